import type { CallInput, ProctorApi } from '../contract'
import type { ErrorInfo } from '../errors'
import type { ActionReport, ActionResult } from '../types/control'
import type { ProcessInfo } from '../types/process'

/**
 * The process actions, defined once: each one's words (label, verb, the
 * question before it, the report after it), whether it asks first, which
 * processes it applies to, and the contract call it makes. The window's
 * menus, keyboard, confirmations and toasts, the tray's menu, questions and
 * notifications all read them from here, so they cannot drift apart.
 */

export const PROCESS_ACTIONS = ['terminate', 'kill', 'suspend', 'resume', 'renice', 'signal'] as const
export type ProcessAction = (typeof PROCESS_ACTIONS)[number]

export function isProcessAction(value: unknown): value is ProcessAction {
  return typeof value === 'string' && (PROCESS_ACTIONS as readonly string[]).includes(value)
}

/** How long terminate waits after SIGTERM before SIGKILL, unless told otherwise. */
export const DEFAULT_GRACE_MS = 5000

/** One action on the process the user saw (its identity goes with the call). */
export interface ActionRequest {
  action: ProcessAction
  process: Pick<ProcessInfo, 'pid' | 'startTime' | 'name'>
  /** renice: the nice value to set. */
  priority?: number
  /** signal: the signal to send, without SIG (USR1, HUP, ...). */
  signal?: string
  /** Through the platform's elevation prompt. */
  elevate?: boolean
}

interface ActionWords {
  /** On a menu item or a button: "Terminate". */
  label: string
  /** After "Could not": "terminate". */
  verb: string
  /** While it runs: "Terminating". */
  progress: string
  /** When it worked: "Terminated". */
  done: string
  /** Ends or stops the process: asked about first (when the user wants to be asked). */
  destructive: boolean
  /** What it does to `who`, for the question before it. */
  effect: (who: string, request: ActionRequest) => string
}

const seconds = (ms: number) => `${ms / 1000} seconds`

export const ACTIONS: Record<ProcessAction, ActionWords> = {
  terminate: {
    label: 'Terminate',
    verb: 'terminate',
    progress: 'Terminating',
    done: 'Terminated',
    destructive: true,
    effect: (who) => `${who} is asked to exit (SIGTERM) and killed (SIGKILL) if it has not after ${seconds(DEFAULT_GRACE_MS)}. Unsaved work in it may be lost.`,
  },
  kill: {
    label: 'Kill',
    verb: 'kill',
    progress: 'Killing',
    done: 'Killed',
    destructive: true,
    effect: (who) => `${who} is ended at once (SIGKILL), with no chance to save anything or clean up.`,
  },
  suspend: {
    label: 'Suspend',
    verb: 'suspend',
    progress: 'Suspending',
    done: 'Suspended',
    destructive: true,
    effect: (who) => `${who} is stopped (SIGSTOP) until you resume it; while stopped it does not respond.`,
  },
  resume: {
    label: 'Resume',
    verb: 'resume',
    progress: 'Resuming',
    done: 'Resumed',
    destructive: false,
    effect: (who) => `${who} continues (SIGCONT).`,
  },
  renice: {
    label: 'Renice',
    verb: 'renice',
    progress: 'Renicing',
    done: 'Reniced',
    destructive: false,
    effect: (who, r) => `${who} gets the nice value ${signed(r.priority ?? 0)}.`,
  },
  signal: {
    label: 'Send signal',
    verb: 'signal',
    progress: 'Signalling',
    done: 'Signalled',
    // Whether it asks first depends on the signal: see isDestructive.
    destructive: false,
    effect: (who, r) => `SIG${r.signal ?? 'TERM'} is sent to ${who}: ${signalEffect(r.signal ?? 'TERM')}`,
  },
}

// Signals whose default action neither ends nor stops a process.
const HARMLESS_SIGNALS = new Set(['CHLD', 'CLD', 'CONT', 'URG', 'WINCH', 'INFO'])
const STOPPING_SIGNALS = new Set(['STOP', 'TSTP', 'TTIN', 'TTOU'])

/** Whether sending this signal may end or stop the process (unless it handles it): asked about first. */
export function isDestructiveSignal(signal: string): boolean {
  return !HARMLESS_SIGNALS.has(signal.toUpperCase().replace(/^SIG/, ''))
}

function signalEffect(signal: string): string {
  if (signal === 'KILL') return 'it is ended at once, with no chance to clean up.'
  if (signal === 'STOP') return 'it is stopped until it gets SIGCONT.'
  if (STOPPING_SIGNALS.has(signal)) return 'unless it handles the signal, it is stopped until it gets SIGCONT.'
  if (HARMLESS_SIGNALS.has(signal)) return 'by default a process ignores it or, for SIGCONT, continues.'
  return 'unless it handles the signal, it ends.'
}

/** "worker (PID 4242)": how every message names a process. */
export function who(p: Pick<ProcessInfo, 'name' | 'pid'>): string {
  return `${p.name} (PID ${p.pid})`
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n)
}

/**
 * Why no action applies to a process, or undefined when they do: kernel
 * threads and zombies take no signal that would do anything. The engine
 * still checks everything else (protection, identity, permission).
 */
export function actionBlocker(p: Pick<ProcessInfo, 'kernelThread' | 'state'>): string | undefined {
  if (p.kernelThread) return 'a kernel thread: it takes no signals'
  if (p.state === 'zombie') return 'a zombie: it is gone once its parent reaps it'
  if (p.state === 'dead') return 'it has exited'
  return undefined
}

/** Suspend or resume, whichever fits the process's state. */
export function suspendOrResume(p: Pick<ProcessInfo, 'state'>): 'suspend' | 'resume' {
  return p.state === 'stopped' || p.state === 'tracing' ? 'resume' : 'suspend'
}

/** Whether the action asks first (when the user has not turned that off). */
export function isDestructive(request: Pick<ActionRequest, 'action' | 'elevate' | 'signal'>): boolean {
  if (request.action === 'signal') return isDestructiveSignal(request.signal ?? 'TERM') || request.elevate === true
  return ACTIONS[request.action].destructive || request.elevate === true
}

export interface Confirmation {
  title: string
  body: string
  confirmLabel: string
}

/** The question before an action, the same in the window and the tray. */
export function confirmation(request: ActionRequest): Confirmation {
  const { process: p } = request
  const admin = request.elevate ? ' as administrator' : ''
  const label = actionLabel(request)
  const prompt = request.elevate ? ' Proctor will ask your system for an administrator password.' : ''
  return {
    title: `${label}${request.action === 'signal' ? ' to' : ''} ${who(p)}${admin}?`,
    body: ACTIONS[request.action].effect(who(p), request) + prompt,
    confirmLabel: `${label}${admin}`,
  }
}

/** The action as a button or a question names it: "Renice to +5", "Send SIGUSR1". */
function actionLabel(request: ActionRequest): string {
  if (request.action === 'renice') return `Renice to ${signed(request.priority ?? 0)}`
  if (request.action === 'signal') return `Send SIG${request.signal ?? 'TERM'}`
  return ACTIONS[request.action].label
}

/** The contract call an action makes, with the identity the user saw. */
export type ActionCall =
  | { name: 'terminateProcess'; arg: CallInput<'terminateProcess'> }
  | { name: 'killProcess'; arg: CallInput<'killProcess'> }
  | { name: 'suspendProcess'; arg: CallInput<'suspendProcess'> }
  | { name: 'resumeProcess'; arg: CallInput<'resumeProcess'> }
  | { name: 'reniceProcess'; arg: CallInput<'reniceProcess'> }

export function actionCall(request: ActionRequest): ActionCall {
  const { pid, startTime } = request.process
  const target = { pid, startTime, ...(request.elevate ? { elevate: true } : {}) }
  switch (request.action) {
    case 'terminate':
      return { name: 'terminateProcess', arg: target }
    case 'kill':
      return { name: 'killProcess', arg: { ...target, signal: 'KILL' } }
    case 'suspend':
      return { name: 'suspendProcess', arg: target }
    case 'resume':
      return { name: 'resumeProcess', arg: target }
    case 'renice':
      return { name: 'reniceProcess', arg: { ...target, priority: request.priority ?? 0 } }
    case 'signal':
      return { name: 'killProcess', arg: { ...target, signal: request.signal ?? 'TERM' } }
  }
}

/** The part of the API that actions use. */
export type ActionApi = Pick<ProctorApi, ActionCall['name']>

/** Runs an action through the contract: the window over its transport, the tray in process. */
export function runAction(api: ActionApi, request: ActionRequest): Promise<ActionReport> {
  const { name, arg } = actionCall(request)
  switch (name) {
    case 'terminateProcess':
      return api.terminateProcess(arg)
    case 'killProcess':
      return api.killProcess(arg)
    case 'suspendProcess':
      return api.suspendProcess(arg)
    case 'resumeProcess':
      return api.resumeProcess(arg)
    case 'reniceProcess':
      return api.reniceProcess(arg)
  }
}

// ---------------------------------------------------------------- outcomes

/** What the user reads after an action: what happened and, when it failed, what they can do. */
export interface Outcome {
  tone: 'success' | 'error'
  title: string
  detail?: string
  /** What the user can do. */
  hint?: string
  /** Offer "Retry as administrator". */
  canElevate?: boolean
}

function successDetail(request: ActionRequest, result: ActionResult): string | undefined {
  switch (request.action) {
    case 'terminate':
      if (result.endedBy === 'KILL') return `It did not exit within ${seconds(DEFAULT_GRACE_MS)} of SIGTERM and was killed (SIGKILL).`
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
    case 'signal':
      return `SIG${result.signal ?? request.signal ?? 'TERM'} sent.`
  }
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

/** The report of one result of an action. */
export function describeResult(request: ActionRequest, result: ActionResult): Outcome {
  const admin = request.elevate ? ' as administrator' : ''
  const target = who({ name: result.name ?? request.process.name, pid: result.pid })
  if (result.ok) {
    const detail = successDetail(request, result)
    return { tone: 'success', title: `${ACTIONS[request.action].done} ${target}${admin}`, ...(detail ? { detail } : {}) }
  }
  return describeError(request, result.error ?? { code: 'INTERNAL', message: 'no reason given' })
}

/** The report of an action that failed as a whole (the call itself threw). */
export function describeError(request: ActionRequest, error: ErrorInfo): Outcome {
  const admin = request.elevate ? ' as administrator' : ''
  const { hint, canElevate } = errorHint(error, request)
  return {
    tone: 'error',
    title: `Could not ${ACTIONS[request.action].verb} ${who(request.process)}${admin}`,
    detail: capitalize(error.message),
    hint,
    ...(canElevate ? { canElevate } : {}),
  }
}

function capitalize(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s
}
