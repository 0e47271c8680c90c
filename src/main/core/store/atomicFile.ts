import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { pidExists } from '../processes/signalZero'

/**
 * Replaces a file so that a crash leaves either the old or the new content,
 * never a torn one: temp file, fsync, rename, fsync of the folder.
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
  const fd = openSync(tmp, 'w', mode)
  try {
    try {
      writeSync(fd, content)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (err) {
    // A full disk: the half-written temp file must not stay and take more room.
    rmSync(tmp, { force: true })
    throw err
  }
  try {
    const dfd = openSync(dir, 'r')
    try {
      fsyncSync(dfd)
    } finally {
      closeSync(dfd)
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}

/** writeFileAtomic off the event loop: for files written often, where a sync fsync would stall it. */
export async function writeFileAtomicAsync(path: string, content: string, mode = 0o600): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`
  const file = await open(tmp, 'w', mode)
  try {
    try {
      await file.writeFile(content)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  try {
    const folder = await open(dir, 'r')
    try {
      await folder.sync()
    } finally {
      await folder.close()
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}

/**
 * Removes the temp files a writer of `path` left when it died between
 * writing and renaming (a kill -9, a power cut): PATH.PID.MS[.RAND].tmp
 * whose PID no longer runs. They hold at most a write that was never
 * acknowledged; the file itself is whole either way.
 */
export function removeStaleTemps(path: string): string[] {
  const dir = dirname(path)
  const prefix = `${basename(path)}.`
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue
    const m = /^(\d+)\.\d+(?:\.[a-z0-9]+)?\.tmp$/.exec(name.slice(prefix.length))
    if (!m || pidExists(Number(m[1]))) continue
    try {
      rmSync(join(dir, name), { force: true })
      removed.push(name)
    } catch {
      // A read-only folder: the leftover stays, harmless (it is never read).
    }
  }
  return removed
}
