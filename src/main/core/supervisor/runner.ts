import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { programArgv, type Program } from '../../../shared/supervisor/program'
import { canTransition, TRANSITIONS_KEPT, type ProgramState, type Transition } from '../../../shared/supervisor/states'
import type { ProgramLogs } from './logs'
import { readProc, type ProcEntry } from './procTree'
import { ProgramTree, type TreeMember, type TreeWatch } from './programTree'
import type { StartRecord } from './startRecord'

/** The variable that marks every process a program starts, so that detached descendants can be found. */
export const MARKER_VAR = 'PROCTOR_PROGRAM'

export interface RunnerDeps {
  logs: ProgramLogs
  tree: TreeWatch
  startRecord: StartRecord
  /** The environment a program's own is added to (env mode 'add'). */
  baseEnv?: NodeJS.ProcessEnv
}

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
  /** ms the program ran */
  uptimeMs: number
  /** It could not be started at all (no such command, cwd missing). */
  spawnError?: string
  /** It was ended by a stop, not on its own. */
  stopped: boolean
}

export interface StopResult {
  /** Everything was gone before the stop timeout; otherwise what was left got KILL. */
  graceful: boolean
  /** Descendants that had left the program's group, each signalled by itself. */
  outsideGroup: Array<{ pid: number; name: string }>
  durationMs: number
}

/** How often a stop looks whether the program's processes are gone. */
const STOP_POLL_MS = 25
/** How long KILLed processes get to disappear before a stop gives up on them (a process in uninterruptible sleep). */
const KILL_WAIT_MS = 3000

/**
 * One supervised program: spawns it in its own process group (and session)
 * with its output captured, moves it through its states with a reason for
 * each move, and stops it with everything it started. The restart policy is
 * not here: it watches exits and calls start(), backoff() or fatal().
 */
export class ProgramRunner {
  private current: ProgramState = 'stopped'
  private readonly history: Transition[] = []
  private child: ChildProcess | undefined
  private tree: ProgramTree | undefined
  private unwatch: (() => void) | undefined
  private startedAt = 0
  private startTimer: NodeJS.Timeout | undefined
  /** Settles once a run's exit is handled: leftovers stopped, state moved, listeners told. */
  private finished: Promise<void> | undefined
  private terminating: Promise<StopResult> | undefined
  private stopping: Promise<StopResult> | undefined
  private readonly transitionListeners = new Set<(t: Transition) => void>()
  private readonly exitListeners = new Set<(exit: ExitInfo) => void>()
  lastExit: ExitInfo | undefined

  constructor(
    private definition: Program,
    private readonly deps: RunnerDeps,
  ) {}

  get program(): Program {
    return this.definition
  }

  get state(): ProgramState {
    return this.current
  }

  /** The program's own process while it runs. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  /** The last moves, oldest first (at most TRANSITIONS_KEPT). */
  transitions(): Transition[] {
    return this.history.slice()
  }

  /** The processes the program started that are known now (its own apart). */
  descendants(): TreeMember[] {
    return this.tree?.list() ?? []
  }

  onTransition(listener: (t: Transition) => void): () => void {
    this.transitionListeners.add(listener)
    return () => this.transitionListeners.delete(listener)
  }

  /** Called once per run, after what the program left behind is gone. */
  onExit(listener: (exit: ExitInfo) => void): () => void {
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  /** A new definition, used from the next start. */
  update(program: Program): void {
    this.definition = program
  }

  /** Spawns the program; it is `running` after startSeconds alive. */
  start(reason = 'start requested'): void {
    this.move('starting', reason)
    const p = this.definition
    const [command, ...args] = programArgv(p)
    const marker = `${p.name}-${randomBytes(6).toString('hex')}`
    const env = { ...(p.env.mode === 'add' ? (this.deps.baseEnv ?? process.env) : {}), ...p.env.vars, [MARKER_VAR]: marker }
    this.startedAt = Date.now()
    const child = spawn(command, args, { cwd: p.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    const exited = new Promise<ExitInfo>((resolve) => {
      // 'on': a ChildProcess with no 'error' listener throws on its next error.
      child.on('error', (err) => {
        // No process came of it: nothing to wait for or clean up.
        if (child.pid === undefined) resolve({ code: null, signal: null, uptimeMs: 0, spawnError: err.message, stopped: false })
      })
      child.once('exit', (code, signal) => resolve({ code, signal, uptimeMs: Date.now() - this.startedAt, stopped: false }))
    })
    this.finished = exited.then((exit) => this.afterExit(child, exit))
    if (child.pid === undefined) return
    this.deps.logs.capture(child.stdout as NonNullable<typeof child.stdout>, 'stdout')
    this.deps.logs.capture(child.stderr as NonNullable<typeof child.stderr>, 'stderr')
    const startTicks = readProc(child.pid)?.startTicks ?? 0
    this.tree = new ProgramTree({ pid: child.pid, startTicks }, `${MARKER_VAR}=${marker}`)
    this.unwatch = this.deps.tree.watch(this.tree)
    this.deps.startRecord.record({ name: p.name, pid: child.pid, startTicks, startedAt: this.startedAt })
    const ready = () => {
      if (this.current === 'starting' && this.child === child) this.move('running', `up for ${p.startSeconds} s`)
    }
    if (p.startSeconds === 0) ready()
    else this.startTimer = setTimeout(ready, p.startSeconds * 1000)
  }

  /**
   * Sends stopSignal to the group and to every descendant that left it,
   * waits stopTimeoutMs for all of them to go, then KILLs what is left.
   * Stopping a program that is not running cancels its backoff or fatal.
   */
  stop(reason = 'stop requested'): Promise<StopResult> {
    if (this.stopping) return this.stopping
    if (this.current === 'stopped') return Promise.resolve({ graceful: true, outsideGroup: [], durationMs: 0 })
    if (!isAlive(this.current)) {
      this.move('stopped', reason)
      return Promise.resolve({ graceful: true, outsideGroup: [], durationMs: 0 })
    }
    this.move('stopping', reason)
    const terminating = this.terminate(this.definition.stopSignal, this.definition.stopTimeoutMs)
    const finished = this.finished
    this.terminating = terminating
    this.stopping = (async () => {
      const result = await terminating
      await finished
      return result
    })().finally(() => {
      this.stopping = undefined
      this.terminating = undefined
    })
    return this.stopping
  }

  /** For the restart policy: a start is scheduled after an exit. */
  backoff(reason: string): void {
    this.move('backoff', reason)
  }

  /** For the restart policy: no more starts until the user asks. */
  fatal(reason: string): void {
    this.move('fatal', reason)
  }

  private async terminate(signal: Program['stopSignal'], timeoutMs: number, scan?: readonly ProcEntry[]): Promise<StopResult> {
    const began = Date.now()
    const outsideGroup = new Map<number, string>()
    // The whole tree as it is now, before the signal makes parents exit and orphans lose their links.
    let left = scan ? this.signalAll(`SIG${signal}`, outsideGroup, scan) : await this.signalAll(`SIG${signal}`, outsideGroup, 'scan')
    const deadline = Date.now() + timeoutMs
    while (left > 0 && Date.now() < deadline) {
      await sleep(STOP_POLL_MS)
      // Known processes by identity while some are left; one more whole scan before calling it done.
      left = this.signalAll(undefined, outsideGroup, 'known') || (await this.signalAll(undefined, outsideGroup, 'scan'))
    }
    const graceful = left === 0
    const killDeadline = Date.now() + KILL_WAIT_MS
    while (left > 0 && Date.now() < killDeadline) {
      left = await this.signalAll('SIGKILL', outsideGroup, 'scan')
      if (left > 0) await sleep(STOP_POLL_MS)
    }
    return { graceful, outsideGroup: [...outsideGroup].map(([pid, name]) => ({ pid, name })), durationMs: Date.now() - began }
  }

  /**
   * Sends `signal` (when given) to the group and to each living descendant
   * outside it, and returns how many processes are left (the leader until
   * it is reaped, the group, the descendants). 'scan' reads the whole
   * process table first (and the environments of orphans, for the marker);
   * 'known' only looks again at the processes already known, by identity;
   * a scan passed in was just taken and is used as it is.
   */
  private signalAll(signal: NodeJS.Signals | undefined, outsideGroup: Map<number, string>, how: 'known' | readonly ProcEntry[]): number
  private signalAll(signal: NodeJS.Signals | undefined, outsideGroup: Map<number, string>, how: 'scan'): Promise<number>
  private signalAll(signal: NodeJS.Signals | undefined, outsideGroup: Map<number, string>, how: 'known' | 'scan' | readonly ProcEntry[]): number | Promise<number> {
    const child = this.child
    const tree = this.tree
    if (!child?.pid || !tree) return how === 'scan' ? Promise.resolve(0) : 0
    const pgid = child.pid
    const act = (procs: readonly ProcEntry[]): number => {
      const leaderAlive = child.exitCode === null && child.signalCode === null
      const group = procs.filter((p) => p.pgrp === pgid && p.pid !== pgid && !p.zombie)
      const outside = tree.living(procs).filter((m) => m.leftGroup)
      if (signal) {
        if (leaderAlive || group.length > 0) signalProcess(-pgid, signal)
        for (const m of outside) {
          outsideGroup.set(m.pid, m.comm)
          signalProcess(m.pid, signal)
        }
      }
      return (leaderAlive ? 1 : 0) + group.length + outside.length
    }
    if (how === 'known') {
      const known = tree.list().map((m) => readProc(m.pid)).filter((p): p is ProcEntry => p !== undefined)
      return act(known)
    }
    if (how !== 'scan') return act(how)
    return this.deps.tree.scanNow().then(async (procs) => {
      tree.update(procs)
      await tree.findMarked(procs)
      return act(procs)
    })
  }

  /** The leader is gone: what it left is stopped before the exit counts (a crashed server's children must not hold its port). */
  private async afterExit(child: ChildProcess, exit: ExitInfo): Promise<void> {
    if (this.startTimer) clearTimeout(this.startTimer)
    this.startTimer = undefined
    const scan = this.current !== 'stopping' && exit.spawnError === undefined ? await this.scanTree() : undefined
    if (scan?.left) await this.terminate(this.definition.stopSignal, this.definition.stopTimeoutMs, scan.procs)
    // A stop under way (asked for, or arriving during the clean-up above) finishes its work first.
    await this.terminating
    const byStop = this.current === 'stopping'
    this.unwatch?.()
    this.unwatch = undefined
    if (child.pid !== undefined) this.deps.startRecord.forget(this.definition.name, child.pid)
    exit.stopped = byStop
    this.lastExit = exit
    this.child = undefined
    this.move(byStop ? 'stopped' : 'exited', byStop ? `stopped (${describeExit(exit)})` : describeExit(exit))
    for (const listener of this.exitListeners) listener(exit)
  }

  /** The process table, and whether anything of the program still runs in it (the marker searched too). */
  private async scanTree(): Promise<{ procs: ProcEntry[]; left: boolean }> {
    const procs = await this.deps.tree.scanNow()
    if (!this.tree) return { procs, left: false }
    this.tree.update(procs)
    await this.tree.findMarked(procs)
    return { procs, left: this.signalAll(undefined, new Map(), procs) > 0 }
  }

  private move(to: ProgramState, reason: string): void {
    const from = this.current
    if (!canTransition(from, to)) throw new Error(`program "${this.definition.name}" cannot go from ${from} to ${to} (${reason})`)
    const transition: Transition = { from, to, at: Date.now(), reason }
    this.current = to
    this.history.push(transition)
    if (this.history.length > TRANSITIONS_KEPT) this.history.shift()
    for (const listener of this.transitionListeners) listener(transition)
  }
}

function isAlive(state: ProgramState): boolean {
  return state === 'starting' || state === 'running' || state === 'stopping'
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Gone meanwhile (ESRCH): what a stop wants.
  }
}

export function describeExit(exit: ExitInfo): string {
  if (exit.spawnError !== undefined) return `could not start: ${exit.spawnError}`
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`
  return `${how} after ${(exit.uptimeMs / 1000).toFixed(1)} s`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
