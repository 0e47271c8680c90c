import { describe, expect, it } from 'vitest'
import { actionBlocker, actionCall, confirmation, describeError, describeResult, errorHint, isDestructive, isProcessAction, PROCESS_ACTIONS, type ActionRequest } from '../../../src/shared/process/actions'
import type { ActionResult } from '../../../src/shared/types/control'
import { proc } from '../query/factory'

const p = proc({ pid: 4242, name: 'worker' })
const req = (over: Partial<ActionRequest> = {}): ActionRequest => ({ action: 'terminate', process: p, ...over })
const result = (over: Partial<ActionResult> = {}): ActionResult => ({ pid: 4242, action: 'terminate', ok: true, name: 'worker', ...over })

describe('confirmation', () => {
  it('asks before what ends or stops a process, or needs an administrator', () => {
    expect(isDestructive(req())).toBe(true)
    expect(isDestructive(req({ action: 'kill' }))).toBe(true)
    expect(isDestructive(req({ action: 'suspend' }))).toBe(true)
    expect(isDestructive(req({ action: 'resume' }))).toBe(false)
    expect(isDestructive(req({ action: 'renice', priority: 5 }))).toBe(false)
    expect(isDestructive(req({ action: 'renice', priority: -5, elevate: true }))).toBe(true)
  })

  it('names the process and the consequence', () => {
    const c = confirmation(req({ action: 'kill' }))
    expect(c.title).toBe('Kill worker (PID 4242)?')
    expect(c.body).toMatch(/SIGKILL/)
    expect(c.confirmLabel).toBe('Kill')
    expect(confirmation(req({ elevate: true })).confirmLabel).toBe('Terminate as administrator')
    expect(confirmation(req({ elevate: true })).body).toMatch(/administrator password/)
  })
})

describe('sending a signal', () => {
  it('asks first for a signal that may end or stop the process, not for one processes ignore', () => {
    for (const signal of ['USR1', 'HUP', 'INT', 'KILL', 'STOP', 'TSTP', 'SIGTERM']) expect(isDestructive(req({ action: 'signal', signal })), signal).toBe(true)
    for (const signal of ['CONT', 'WINCH', 'CHLD', 'URG', 'sigwinch']) expect(isDestructive(req({ action: 'signal', signal })), signal).toBe(false)
    expect(isDestructive(req({ action: 'signal', signal: 'CONT', elevate: true }))).toBe(true)
  })

  it('names the signal in the question, the call and the report', () => {
    const r = req({ action: 'signal', signal: 'USR1' })
    expect(confirmation(r)).toEqual({
      title: 'Send SIGUSR1 to worker (PID 4242)?',
      body: 'SIGUSR1 is sent to worker (PID 4242): unless it handles the signal, it ends.',
      confirmLabel: 'Send SIGUSR1',
    })
    expect(confirmation(req({ action: 'signal', signal: 'TSTP' })).body).toMatch(/stopped until it gets SIGCONT/)
    expect(actionCall(r)).toEqual({ name: 'killProcess', arg: { pid: 4242, startTime: p.startTime, signal: 'USR1' } })
    expect(describeResult(r, result({ action: 'signal', signal: 'USR1' }))).toEqual({ tone: 'success', title: 'Signalled worker (PID 4242)', detail: 'SIGUSR1 sent.' })
  })
})

describe('describeResult', () => {
  it('says how a terminate ended', () => {
    expect(describeResult(req(), result({ endedBy: 'TERM' }))).toEqual({ tone: 'success', title: 'Terminated worker (PID 4242)', detail: 'It exited after SIGTERM.' })
    expect(describeResult(req(), result({ endedBy: 'KILL' })).detail).toMatch(/was killed \(SIGKILL\)/)
    expect(describeResult(req(), result({ endedBy: 'gone' })).detail).toMatch(/already exited/)
  })

  it('says the nice value a renice set', () => {
    expect(describeResult(req({ action: 'renice', priority: 5 }), result({ action: 'renice', nice: 5 })).detail).toBe('Its nice value is now +5.')
  })

  it('a stale process: refresh and try again', () => {
    const out = describeResult(req(), result({ ok: false, error: { code: 'STALE_PROCESS', message: 'pid 4242 is now another process (bash); nothing was done' } }))
    expect(out.tone).toBe('error')
    expect(out.title).toBe('Could not terminate worker (PID 4242)')
    expect(out.detail).toBe('Pid 4242 is now another process (bash); nothing was done')
    expect(out.hint).toMatch(/refresh and try again/)
    expect(out.canElevate).toBeUndefined()
  })

  it('permission denied: offers Retry as administrator only where elevation is possible, and not twice', () => {
    const denied = (elevationPossible: boolean) =>
      result({ ok: false, error: { code: 'PERMISSION_DENIED', message: 'operation not permitted', details: { elevationPossible } } })
    const can = describeResult(req(), denied(true))
    expect(can.canElevate).toBe(true)
    expect(can.hint).toMatch(/Retry as administrator/)
    const cannot = describeResult(req(), denied(false))
    expect(cannot.canElevate).toBeUndefined()
    expect(cannot.hint).toMatch(/as that user or as root/)
    const again = describeResult(req({ elevate: true }), denied(true))
    expect(again.canElevate).toBeUndefined()
    expect(again.title).toMatch(/as administrator$/)
  })

  it('every error code has something the user can do', () => {
    for (const code of ['INVALID_ARGUMENT', 'NOT_FOUND', 'PERMISSION_DENIED', 'PROTECTED', 'STALE_PROCESS', 'QUEUE_FULL', 'TIMEOUT', 'UNAVAILABLE', 'INTERNAL'] as const) {
      expect(errorHint({ code, message: 'x' }).hint.length).toBeGreaterThan(10)
    }
  })

  it('a failed call (the host is gone) is an error toast too', () => {
    const out = describeError(req({ action: 'suspend' }), { code: 'UNAVAILABLE', message: 'connection to the Proctor host was lost' })
    expect(out).toMatchObject({ tone: 'error', title: 'Could not suspend worker (PID 4242)' })
    expect(out.hint).toMatch(/cannot reach its host/)
  })
})

describe('one definition of the actions', () => {
  it('says which processes take no action, in one rule for the window, the keyboard and the tray', () => {
    expect(actionBlocker(proc({ kernelThread: true }))).toMatch(/kernel thread/)
    expect(actionBlocker(proc({ state: 'zombie' }))).toMatch(/zombie/)
    expect(actionBlocker(proc({ state: 'dead' }))).toMatch(/exited/)
    expect(actionBlocker(proc({ state: 'stopped' }))).toBeUndefined()
    expect(actionBlocker(proc())).toBeUndefined()
  })

  it('tells its actions from the menu’s other items', () => {
    for (const a of PROCESS_ACTIONS) expect(isProcessAction(a)).toBe(true)
    for (const other of ['copy-pid', 'retry-elevated', 'show-in-tree', 42, undefined]) expect(isProcessAction(other)).toBe(false)
  })

  it('the terminate question and report name the same grace, the controller’s', () => {
    expect(confirmation(req()).body).toMatch(/after 5 seconds/)
    expect(describeResult(req(), result({ endedBy: 'KILL' })).detail).toMatch(/within 5 seconds/)
  })
})
