import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../store/atomicFile'

/**
 * The programs the next owner starts again: those that ran under
 * `unless-stopped` when their owner stopped cleanly (docker's meaning), or
 * all that ran when the desktop app hands its programs to a daemon. Read
 * once and removed, so a later start does not repeat it.
 */
export const RESUME_FILE = 'resume.json'

export function writeResumeList(dataDir: string, names: string[]): void {
  const path = join(dataDir, RESUME_FILE)
  if (names.length === 0) rmSync(path, { force: true })
  else writeFileAtomic(path, `${JSON.stringify({ programs: names })}\n`)
}

/** The names written by the last owner; empty when there are none or the file cannot be read. */
export function takeResumeList(dataDir: string): string[] {
  const path = join(dataDir, RESUME_FILE)
  let names: unknown
  try {
    names = (JSON.parse(readFileSync(path, 'utf8')) as { programs?: unknown }).programs
  } catch {
    return []
  } finally {
    rmSync(path, { force: true })
  }
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : []
}
