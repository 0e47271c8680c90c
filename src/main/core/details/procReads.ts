import { readFileSync } from 'node:fs'
import { ProctorError } from '../../../shared/errors'

/**
 * A /proc file of one process, read when a details tab asks for it, telling
 * "not permitted" (another user's process, kernel hardening) apart from
 * "gone": the first is an answer the panel shows, the second NOT_FOUND.
 */
export type ProcRead = { ok: true; text: string } | { ok: false; reason: string }

export function readProcFile(pid: number, path: string, what: string, root = '/proc'): ProcRead {
  try {
    return { ok: true, text: readFileSync(`${root}/${pid}/${path}`, 'utf8') }
  } catch (err) {
    return { ok: false, reason: refusal(pid, err, what) }
  }
}

/** The reason an EACCES/EPERM gives, or NOT_FOUND when the process is gone; other errors pass on. */
export function refusal(pid: number, err: unknown, what: string): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') {
    return `the ${what} of process ${pid} may not be read by this user (it belongs to another user, or the system forbids it): run Proctor as that user or as root to see it`
  }
  if (code === 'ENOENT' || code === 'ESRCH') throw new ProctorError('NOT_FOUND', `no process with pid ${pid} is running`, { pid })
  throw err
}
