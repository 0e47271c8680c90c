import { ProctorError } from '../../../shared/errors'
import type { ProcessInfo } from '../../../shared/types/process'

/** A process as a caller named it: its pid and, when known, the start time it saw. */
export interface NamedProcess {
  pid: number
  startTime?: number | undefined
}

/**
 * The process a caller named, or why it cannot be had: NOT_FOUND when the
 * pid runs nothing, STALE_PROCESS when it now runs another process than the
 * one the caller saw (a pid reused). One check and one wording for every
 * action, watch and lookup by identity.
 */
export function checkIdentity<P extends Pick<ProcessInfo, 'pid' | 'startTime' | 'name'>>(named: NamedProcess, found: P | undefined): P {
  if (!found) throw new ProctorError('NOT_FOUND', `no process with pid ${named.pid} is running`, { pid: named.pid })
  if (named.startTime !== undefined && found.startTime !== named.startTime) {
    throw new ProctorError(
      'STALE_PROCESS',
      `pid ${named.pid} is now another process (${found.name}, started ${new Date(found.startTime).toISOString()}), not the one named: nothing was done`,
      { pid: named.pid, startTime: named.startTime, actualStartTime: found.startTime },
    )
  }
  return found
}
