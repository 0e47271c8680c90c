import type { ProcessIdentity } from '../../../shared/types/process'
import { identityKey } from '../../../shared/process/derive'

/**
 * A process is (pid, start time), never the pid alone: the kernel reuses
 * pids. The UI keys rows, selection, highlights and collapsed tree nodes by
 * this string, so they follow the process, not a row index or a pid.
 */
export type ProcessKey = string

export const processKey: (p: ProcessIdentity) => ProcessKey = identityKey

/** The identity an action carries: what the user saw. */
export function identityOf(p: ProcessIdentity): ProcessIdentity {
  return { pid: p.pid, startTime: p.startTime }
}
