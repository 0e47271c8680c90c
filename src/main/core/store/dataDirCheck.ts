import { closeSync, existsSync, mkdirSync, openSync, rmdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** What an errno means to someone choosing a data folder. */
const WHY: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'part of its path is a file, not a folder',
  EEXIST: 'a file, not a folder, has its name',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
}

/**
 * Why `dir` cannot hold Proctor's state, or undefined when it can: it is
 * created if missing and a file is created and removed in it, as the
 * stores will (access(2) alone would say yes to root on a read-only
 * mount, and no to nothing that is merely missing).
 */
export function dataDirProblem(dir: string): string | undefined {
  const probe = join(dir, `.write-check-${process.pid}`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    closeSync(openSync(probe, 'wx', 0o600))
    rmSync(probe, { force: true })
    return undefined
  } catch (err) {
    const e = realError(err as NodeJS.ErrnoException, dir)
    const why = (e.code && WHY[e.code]) ?? e.message
    return `the data folder ${dir} cannot be written: ${why}${e.code && WHY[e.code] ? ` (${e.code})` : ''}`
  }
}

/**
 * A recursive mkdir under a read-only or foreign folder fails with ENOENT
 * for the deepest missing one; creating the first missing folder alone
 * gives the real reason (EROFS, EACCES).
 */
function realError(err: NodeJS.ErrnoException, dir: string): NodeJS.ErrnoException {
  if (err.code !== 'ENOENT') return err
  let first = resolve(dir)
  while (!existsSync(dirname(first)) && dirname(first) !== first) first = dirname(first)
  try {
    mkdirSync(first, { mode: 0o700 })
    rmdirSync(first)
  } catch (inner) {
    return inner as NodeJS.ErrnoException
  }
  return err
}
