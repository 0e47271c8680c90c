import type { ErrorInfo } from '../../../shared/errors'
import type { ActionResult } from '../../../shared/types/control'
import type { ProcessInfo } from '../../../shared/types/process'

/**
 * What the user reads about a process action: the question before a
 * destructive one, and the toast after every one, saying what happened and,
 * when it failed, what they can do about it. Pure.
 */

export type ProcessAction = 'terminate' | 'kill' | 'suspend' | 'resume' | 'renice'

export interface ActionRequest {
  action: ProcessAction
  /** The process as the user saw it (its identity goes with the call). */
  process: ProcessInfo
  /** renice: the nice value to set. */
  priority?: number
  /** Through the platform's elevation prompt. */
  elevate?: boolean
}

export interface Outcome {
  tone: 'success' | 'error'
  title: string
  detail?: string
  /** What the user can do. */
  hint?: string
  /** Offer "Retry as administrator". */
  canElevate?: boolean
}

export interface Confirmation {
  title: string
  body: string
  confirmLabel: string
}

export function who(p: Pick<ProcessInfo, 'name' | 'pid'>): string {
  return `${p.name} (PID ${p.pid})`
}

const VERB: Record<ProcessAction, string> = {
  terminate: 'terminate',
  kill: 'kill',
  suspend: 'suspend',
  resume: 'resume',
  renice: 'renice',
}

const LABEL: Record<ProcessAction, string> = {
  terminate: 'Terminate',
  kill: 'Kill',
  suspend: 'Suspend',
  resume: 'Resume',
  renice: 'Renice',
}

/** Whether the action asks first (when the user has not turned that off): what ends or stops a process. */
export function isDestructive(request: ActionRequest): boolean {
  return request.action === 'terminate' || request.action === 'kill' || request.action === 'suspend' || request.elevate === true
}

export function confirmation(request: ActionRequest): Confirmation {
  const { process: p } = request
  const admin = request.elevate ? ' as administrator' : ''
  const label = request.action === 'renice' ? `Renice to ${signed(request.priority ?? 0)}` : LABEL[request.action]
  const prompt = request.elevate ? ' Proctor will ask your system for an administrator password.' : ''
  const bodies: Record<ProcessAction, string> = {
    terminate: `${who(p)} is asked to exit (SIGTERM) and killed if it has not after 5 seconds. Unsaved work in it may be lost.`,
    kill: `${who(p)} is ended at once (SIGKILL), with no chance to save anything or clean up.`,
    suspend: `${who(p)} is stopped (SIGSTOP) until you resume it; while stopped it does not respond.`,
    resume: `${who(p)} continues (SIGCONT).`,
    renice: `${who(p)} gets the nice value ${signed(request.priority ?? 0)}.`,
  }
  return {
    title: `${label} ${who(p)}${admin}?`,
    body: bodies[request.action] + prompt,
    confirmLabel: `${label}${admin}`,
  }
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n)
}

function successDetail(request: ActionRequest, result: ActionResult): string | undefined {
  switch (request.action) {
    case 'terminate':
      if (result.endedBy === 'KILL') return 'It did not exit within 5 seconds of SIGTERM and was killed (SIGKILL).'
      if (result.endedBy === 'gone') return 'It had already exited.'
      return 'It exited after SIGTERM.'
    case 'kill':
      return 'SIGKILL sent.'
    case 'suspend':
      return 'It is stopped (SIGSTOP) until you resume it.'
    case 'resume':
      return 'It runs again (SIGCONT).'
    case 'renice':
      return result.nice !== undefined ? `Its nice value is now ${signed(result.nice)}.` : undefined
  }
}

const DONE: Record<ProcessAction, string> = {
  terminate: 'Terminated',
  kill: 'Killed',
  suspend: 'Suspended',
  resume: 'Resumed',
  renice: 'Reniced',
}

/** What to tell the user they can do about an error. */
export function errorHint(error: ErrorInfo, request?: ActionRequest): { hint: string; canElevate: boolean } {
  switch (error.code) {
    case 'STALE_PROCESS':
      return { hint: 'The PID now belongs to another process, so nothing was done: refresh and try again.', canElevate: false }
    case 'NOT_FOUND':
      return { hint: 'The process has already exited: there is nothing left to do.', canElevate: false }
    case 'PERMISSION_DENIED': {
      if (error.details?.elevationPossible === true && request && !request.elevate) {
        return { hint: 'It belongs to another user or needs more privileges: Retry as administrator.', canElevate: true }
      }
      if (request?.elevate) return { hint: 'The administrator prompt was refused or failed: nothing was done.', canElevate: false }
      return { hint: 'It belongs to another user or needs more privileges: run Proctor as that user or as root.', canElevate: false }
    }
    case 'PROTECTED':
      return {
        hint: 'Proctor does not act on init, kernel threads, itself, its parents or the protected names in the settings.',
        canElevate: false,
      }
    case 'TIMEOUT':
      return { hint: 'It is still running, probably stuck in the kernel (disk wait): try again later.', canElevate: false }
    case 'UNAVAILABLE':
      return { hint: 'Proctor cannot reach its host: check that it is running, then try again.', canElevate: false }
    case 'QUEUE_FULL':
      return { hint: 'Proctor is busy: try again in a moment.', canElevate: false }
    case 'INVALID_ARGUMENT':
    case 'INTERNAL':
      return { hint: 'Try again; if it keeps failing, the host’s log says more.', canElevate: false }
  }
}

/** The toast for one result of an action. */
export function describeResult(request: ActionRequest, result: ActionResult): Outcome {
  const admin = request.elevate ? ' as administrator' : ''
  const target = who({ name: result.name ?? request.process.name, pid: result.pid })
  if (result.ok) {
    const detail = successDetail(request, result)
    return { tone: 'success', title: `${DONE[request.action]} ${target}${admin}`, ...(detail ? { detail } : {}) }
  }
  return describeError(request, result.error ?? { code: 'INTERNAL', message: 'no reason given' })
}

/** The toast for an action that failed as a whole (the call itself threw). */
export function describeError(request: ActionRequest, error: ErrorInfo): Outcome {
  const admin = request.elevate ? ' as administrator' : ''
  const { hint, canElevate } = errorHint(error, request)
  return {
    tone: 'error',
    title: `Could not ${VERB[request.action]} ${who(request.process)}${admin}`,
    detail: capitalize(error.message),
    hint,
    ...(canElevate ? { canElevate } : {}),
  }
}

function capitalize(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s
}
