import { existsSync, readFileSync, renameSync } from 'node:fs'
import { ProctorError } from '../../../shared/errors'
import type { FileReading } from '../../../shared/schemaVersion'
import { removeStaleTemps, writeFileAtomic } from './atomicFile'

export interface FileLoad<T> {
  /** What the file held; undefined when there was no file or it could not be used. */
  value?: T
  /** For the user when the file could not be used: what was wrong, where it was kept, what is in use instead. */
  notice?: string
}

/**
 * Loads a JSON state file through `read` (which checks its version and
 * content). A file that cannot be used is never overwritten: it is moved
 * aside as PATH.corrupt-TIME and the notice says so, naming the file as
 * `label` and what is in use `instead`. Temp files an earlier writer left
 * when it died mid-write are removed first.
 */
export function loadOrSetAside<T>(path: string, read: (doc: unknown) => FileReading<T>, label: string, instead: string): FileLoad<T> {
  removeStaleTemps(path)
  if (!existsSync(path)) return {}
  let problem: string
  try {
    const reading = read(JSON.parse(readFileSync(path, 'utf8')))
    if (reading.ok) return { value: reading.value }
    problem = reading.problem
  } catch (err) {
    problem = `it is not valid JSON (${(err as Error).message})`
  }
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
  try {
    renameSync(path, aside)
  } catch (err) {
    // A read-only data folder: the file stays where it is, untouched, and start-up goes on.
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    return { notice: `${label} ${path} could not be used: ${problem}. It could not be moved aside (${code}) and was left as it is; ${instead}.` }
  }
  return { notice: `${label} ${path} could not be used: ${problem}. It was kept as ${aside}; ${instead}.` }
}

/**
 * Writes `{ schemaVersion, [key]: value }` atomically, readable by people
 * as well. A write that fails (a full disk, a folder made read-only) is
 * UNAVAILABLE naming the file and why; the file keeps what it held, and
 * callers change their state only after this returns.
 */
export function saveVersioned(path: string, schemaVersion: number, key: string, value: unknown): void {
  try {
    writeFileAtomic(path, `${JSON.stringify({ schemaVersion, [key]: value }, null, 2)}\n`)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new ProctorError('UNAVAILABLE', `could not save ${path}: ${e.code ?? e.message}${e.code === 'ENOSPC' ? ' (the disk is full)' : ''}; nothing was changed`, {
      path,
      ...(e.code ? { errno: e.code } : {}),
    })
  }
}
