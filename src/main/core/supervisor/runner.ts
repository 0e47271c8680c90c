import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { programArgv, type Program } from '../../../shared/supervisor/program'
import { canTransition, TRANSITIONS_KEPT, type ProgramState, type Transition } from '../../../shared/supervisor/states'
import { realClock, type Clock, type ClockTimer } from '../clock'
import type { ProgramLogs } from './logs'
import { isExiting, readProc } from './procTree'
import { ProgramTree, type TreeMember, type TreeWatch } from './programTree'
import type { StartRecord } from './startRecord'
import { mayHaveLeft, stopTree, sweep, type RunProcesses, type StopResult } from './stopTree'

export type { StopResult }

/** The variable that marks every process a program starts, so that detached descendants can be found. */
export const MARKER_VAR = 'PROCTOR_PROGRAM'

export interface RunnerDeps {
  logs: ProgramLogs
  tree: TreeWatch
  startRecord: StartRecord
  /** The environment a program's own is added to (env mode 'add'). */
  baseEnv?: NodeJS.ProcessEnv
  /** Variables Proctor gives each run (the IPC socket and token), over the program's own. */
  runEnv?: () => Record<string, string> | undefined
  /** Times of transitions, uptimes and startSeconds (the real clock unless given). */
  clock?: Clock
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
  /** It was ended by fail(): why (not ready in time, unhealthy). */
  failure?: string
}

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
  /** The current run's processes, once it has a pid. */
  private run: RunProcesses | undefined
  private unwatch: (() => void) | undefined
  private startedAt = 0
  private startTimer: ClockTimer | undefined
  /** Settles once a run's exit is handled: leftovers stopped, state moved, listeners told. */
  private finished: Promise<void> | undefined
  private terminating: Promise<StopResult> | undefined
  private stopping: Promise<StopResult> | undefined
  /** Set by fail(): the stop under way ends the run as a failure, not as a stop. */
  private failure: string | undefined
  /** The run's own process has exited: the run is ending on its own (what it left may still be stopping). */
  private leaderGone = false
  private readonly transitionListeners = new Set<(t: Transition) => void>()
  private readonly exitListeners = new Set<(exit: ExitInfo) => void>()
  lastExit: ExitInfo | undefined
  private readonly clock: Clock

  constructor(
    private definition: Program,
    private deps: RunnerDeps,
  ) {
    this.clock = deps.clock ?? realClock
  }

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

  /**
   * Its own process has exited, or is exiting (its exit not yet seen: a
   * loaded machine can keep it half-gone a while): how it exits is how the
   * run ends, whatever a check says meanwhile.
   */
  get leaderExited(): boolean {
    const pid = this.child?.pid
    return this.leaderGone || (pid !== undefined && isExiting(pid))
  }

  /** The processes the program started that are known now (its own apart). */
  descendants(): TreeMember[] {
    return this.run?.tree.list() ?? []
  }

  onTransition(listener: (t: Transition) => void): () => void {
    this.transitionListeners.add(listener)
    return () => this.transitionListeners.delete(listener)
  }

  /**
   * Called once per run, when its state has moved to exited or stopped:
   * after what it left in its group and known tree is gone (orphans it
   * detached unseen are swept right after).
   */
  onExit(listener: (exit: ExitInfo) => void): () => void {
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  /** Where output goes from the next start (new log limits). */
  useLogs(logs: ProgramLogs): void {
    this.deps = { ...this.deps, logs }
  }

  /** A new definition, used from the next start. */
  update(program: Program): void {
    this.definition = program
  }

  /** Spawns the program; it is `running` after startSeconds alive, or, with a readiness check, when ready() is called. */
  start(reason = 'start requested'): void {
    this.move('starting', reason)
    // A stop of the previous run may still be settling (its sweep): it is not this run's.
    this.stopping = undefined
    this.terminating = undefined
    this.leaderGone = false
    const p = this.definition
    const [command, ...args] = programArgv(p)
    const marker = `${p.name}-${randomBytes(6).toString('hex')}`
    const env = { ...(p.env.mode === 'add' ? (this.deps.baseEnv ?? process.env) : {}), ...p.env.vars, ...this.deps.runEnv?.(), [MARKER_VAR]: marker }
    this.startedAt = this.clock.now()
    const output = this.deps.logs.output()
    const child = spawn(command, args, { cwd: p.cwd, env, detached: true, stdio: ['ignore', output.stdout, output.stderr] })
    output.attach(child)
    this.child = child
    const exited = new Promise<ExitInfo>((resolve) => {
      // 'on': a ChildProcess with no 'error' listener throws on its next error.
      child.on('error', (err) => {
        // No process came of it: nothing to wait for or clean up.
        if (child.pid === undefined) resolve({ code: null, signal: null, uptimeMs: 0, spawnError: err.message, stopped: false })
      })
      child.once('exit', (code, signal) => resolve({ code, signal, uptimeMs: this.clock.now() - this.startedAt, stopped: false }))
    })
    this.run = undefined
    this.finished = exited.then((exit) => {
      if (this.child === child) this.leaderGone = true
      return this.afterExit(child, exit)
    })
    if (child.pid === undefined) return
    const startTicks = readProc(child.pid)?.startTicks ?? 0
    const tree = new ProgramTree({ pid: child.pid, startTicks }, `${MARKER_VAR}=${marker}`)
    this.run = { leaderAlive: () => child.exitCode === null && child.signalCode === null, pgid: child.pid, tree }
    this.unwatch = this.deps.tree.watch(tree)
    this.deps.startRecord.record({ name: p.name, pid: child.pid, startTicks, startedAt: this.startedAt, marker })
    const ready = () => {
      if (this.current === 'starting' && this.child === child) this.move('running', `up for ${p.startSeconds} s`)
    }
    if (p.ready) return
    if (p.startSeconds === 0) ready()
    else this.startTimer = this.clock.setTimeout(ready, p.startSeconds * 1000)
  }

  /** Its readiness check passed: `running` (if it is still this run, starting). */
  ready(pid: number, reason: string): void {
    if (this.current === 'starting' && this.child?.pid === pid) this.move('running', reason)
  }

  /**
   * Ends the run as a failure (not ready in time, unhealthy): stopped as a
   * stop would, but `exited` with `reason`, for the restart policy to judge.
   */
  fail(reason: string): Promise<StopResult> {
    if (!isAlive(this.current) || this.current === 'stopping') return this.stopping ?? Promise.resolve(NOTHING_TO_STOP)
    this.failure = reason
    return this.stop(reason)
  }

  /**
   * Sends stopSignal to the group and to every descendant that left it,
   * waits stopTimeoutMs for all of them to go, then KILLs what is left.
   * Stopping a program that is not running cancels its backoff or fatal.
   */
  stop(reason = 'stop requested'): Promise<StopResult> {
    if (this.stopping) return this.stopping
    if (this.current === 'stopped') return Promise.resolve(NOTHING_TO_STOP)
    if (!isAlive(this.current)) {
      this.move('stopped', reason)
      return Promise.resolve(NOTHING_TO_STOP)
    }
    this.move('stopping', reason)
    const run = this.run
    const terminating = run ? stopTree(run, this.deps.tree, `SIG${this.definition.stopSignal}`, this.definition.stopTimeoutMs) : Promise.resolve(NOTHING_TO_STOP)
    const finished = this.finished
    this.terminating = terminating
    // `finished` settles after the exit's sweep, which can outlast a restart at once (delay 0):
    // the next run's own stop must not be taken for this one, nor be cleared by it.
    const stopping: Promise<StopResult> = (async () => {
      const result = await terminating
      await finished
      return result
    })().finally(() => {
      if (this.stopping === stopping) this.stopping = undefined
      if (this.terminating === terminating) this.terminating = undefined
    })
    this.stopping = stopping
    return stopping
  }

  /** For the restart policy: a start is scheduled after an exit. */
  backoff(reason: string): void {
    this.move('backoff', reason)
  }

  /** For the restart policy: no more starts until the user asks. */
  fatal(reason: string): void {
    this.move('fatal', reason)
  }

  /**
   * The leader is gone. What it left in its group or known tree is stopped
   * before the exit counts (a crashed server's children must not hold its
   * port when it starts again); a whole scan for detached orphans follows
   * in the background, so that a restart need not wait for it.
   */
  private async afterExit(child: ChildProcess, exit: ExitInfo): Promise<void> {
    if (this.startTimer !== undefined) this.clock.clearTimeout(this.startTimer)
    this.startTimer = undefined
    const run = this.run?.pgid === child.pid ? this.run : undefined
    const unwatch = this.unwatch
    const { stopSignal, stopTimeoutMs, name } = this.definition
    const onItsOwn = this.current !== 'stopping' && run !== undefined
    // A stop of the tree scans the whole table (the marker included): no sweep is needed after it.
    const stopped = onItsOwn && mayHaveLeft(run)
    if (stopped) await stopTree(run, this.deps.tree, `SIG${stopSignal}`, stopTimeoutMs)
    // A stop under way (asked for, or arriving during the clean-up above) finishes its work first.
    await this.terminating
    const failure = this.failure
    this.failure = undefined
    const byStop = this.current === 'stopping' && failure === undefined
    if (child.pid !== undefined) this.deps.startRecord.forget(name, child.pid)
    exit.stopped = byStop
    exit.failure = failure
    this.lastExit = exit
    this.child = undefined
    this.move(byStop ? 'stopped' : 'exited', byStop ? `stopped (${describeExit(exit)})` : failure ?? describeExit(exit))
    for (const listener of this.exitListeners) listener(exit)
    if (run && !byStop && !stopped) await sweep(run, this.deps.tree, `SIG${stopSignal}`, stopTimeoutMs)
    unwatch?.()
    if (this.unwatch === unwatch) this.unwatch = undefined
  }

  private move(to: ProgramState, reason: string): void {
    const from = this.current
    if (!canTransition(from, to)) throw new Error(`program "${this.definition.name}" cannot go from ${from} to ${to} (${reason})`)
    const transition: Transition = { from, to, at: this.clock.now(), reason }
    this.current = to
    this.history.push(transition)
    if (this.history.length > TRANSITIONS_KEPT) this.history.shift()
    for (const listener of this.transitionListeners) listener(transition)
  }
}

const NOTHING_TO_STOP: StopResult = { graceful: true, outsideGroup: [], durationMs: 0 }

function isAlive(state: ProgramState): boolean {
  return state === 'starting' || state === 'running' || state === 'stopping'
}

export function describeExit(exit: ExitInfo): string {
  if (exit.spawnError !== undefined) return `could not start: ${exit.spawnError}`
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`
  return `${how} after ${(exit.uptimeMs / 1000).toFixed(1)} s`
}

