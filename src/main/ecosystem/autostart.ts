import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { AUTOSTART_FILE, autostartEntry } from '../../shared/ecosystem/desktopEntry'
import { writeFileAtomic } from '../core/store/atomicFile'
import { autostartDir } from './paths'

/**
 * Start at login on Linux: Proctor's entry in the XDG autostart folder,
 * written whole or removed. The desktop app keeps it in step with the
 * startAtLogin setting (src/main/desktop/loginItem.ts).
 */

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(autostartDir(env), AUTOSTART_FILE)
}

/**
 * Writes the entry that runs `argv` at login, atomically; an entry that
 * already says exactly that is left alone. Answers whether it wrote.
 */
export function enableAutostart(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const path = autostartPath(env)
  const text = autostartEntry(argv)
  if (readOrUndefined(path) === text) return false
  // Readable by all like any desktop entry: it holds a command line, no secret.
  writeFileAtomic(path, text, 0o644)
  return true
}

/** Removes the entry; answers whether there was one. */
export function disableAutostart(env: NodeJS.ProcessEnv = process.env): boolean {
  const path = autostartPath(env)
  if (readOrUndefined(path) === undefined) return false
  rmSync(path, { force: true })
  return true
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
