/**
 * The states of a supervised program, in the spirit of supervisord's
 * states.py: named once here, and a program moves between them only along
 * the edges below, each move recorded with its time and reason.
 */
export const PROGRAM_STATES = ['stopped', 'starting', 'running', 'stopping', 'backoff', 'exited', 'fatal'] as const
export type ProgramState = (typeof PROGRAM_STATES)[number]

export interface Transition {
  from: ProgramState
  to: ProgramState
  /** ms since the epoch */
  at: number
  reason: string
}

/** Transitions kept per program for the UI; older ones are dropped. */
export const TRANSITIONS_KEPT = 100

const EDGES: Record<ProgramState, readonly ProgramState[]> = {
  // started by the user, or again by the restart policy
  stopped: ['starting'],
  exited: ['starting', 'backoff', 'fatal', 'stopped'],
  backoff: ['starting', 'fatal', 'stopped'],
  fatal: ['starting', 'stopped'],
  // up for startSeconds; died before; stopped meanwhile
  starting: ['running', 'exited', 'stopping'],
  running: ['exited', 'stopping'],
  // a stop asked for, or a failed run being ended (not ready in time, unhealthy)
  stopping: ['stopped', 'exited'],
}

export function canTransition(from: ProgramState, to: ProgramState): boolean {
  return EDGES[from].includes(to)
}

/** States in which the program's process may be alive. */
export function isActive(state: ProgramState): boolean {
  return state === 'starting' || state === 'running' || state === 'stopping'
}
