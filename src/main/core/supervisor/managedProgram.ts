import { join } from 'node:path'
import type { Settings } from '../../../shared/settings'
import type { HealthStatus } from '../../../shared/supervisor/checks'
import type { Program } from '../../../shared/supervisor/program'
import { formatDelay, policyRestarts, restartDelay, restartSchedule, type EndKind } from '../../../shared/supervisor/schedule'
import type { LastExit, ProgramHealth, ProgramStatus } from '../../../shared/supervisor/status'
import { realClock, type Clock } from '../clock'
import { HealthMonitor } from '../health/healthMonitor'
import { waitReady } from '../health/readiness'
import { UsageSampler } from '../health/usage'
import type { ProcessInspector } from '../processes/inspector'
import type { Log } from '../service'
import { ProgramLogs } from './logs'
import type { ProgramBroker } from './programBroker'
import type { TreeWatch } from './programTree'
import { describeExit, ProgramRunner, type ExitInfo, type StopResult } from './runner'
import type { StartRecord } from './startRecord'

/** What a checks round may take when neither the program nor its checks say: the interval, up to this. */
const MAX_DEFAULT_TIMEOUT_MS = 10_000

export interface ManagedDeps {
  logsDir: string
  tree: TreeWatch
  startRecord: StartRecord
  settings: () => Settings
  inspector: ProcessInspector
  log: Log
  /** Something users see changed: state, health, definition. */
  changed: () => void
  /** A program gave up (fatal): said loudly, with a desktop notification where there is one. */
  fatal: (name: string, reason: string) => void
  /** The IPC broker, where this engine runs one: tokens for runs, `ready` and heartbeats for the checks. */
  broker?: ProgramBroker
  /** What restart delays, uptimes and the stable window are measured on (the real clock unless given). */
  clock?: Clock
}

/**
 * One program under supervision: its runner and logs, the restart policy
 * acting on its exits, its readiness and health checks. The service above
 * knows the set (names, dependencies, order); this knows one program.
 */
export class ManagedProgram {
  readonly runner: ProgramRunner
  private logs: ProgramLogs
  /** Restarts since the program last stayed up for stableMs. */
  private attempts = 0
  totalRestarts = 0
  /** Cancels the restart scheduled after an exit. */
  private cancelScheduled: (() => void) | undefined
  nextRestartAt: number | undefined
  private health: HealthMonitor | undefined
  private readiness: AbortController | undefined
  /** How the run under way is ending, when Proctor ends it (unhealthy, not ready). */
  private ending: EndKind | undefined
  private readonly usage = new UsageSampler()
  private cpu: number | undefined
  private memory: number | undefined
  lastStartAt: number | undefined
  private startTime: number | undefined
  private exitedAt = 0
  /** What a start waits for ("db to be ready"), shown while it waits. */
  waitingFor: string | undefined
  /** Why the last start did not happen (a dependency not ready in time). */
  startError: string | undefined
  /** The run under way was given an IPC token (the broker listened when it started). */
  private runEnvGiven = false
  /**
   * Stopped by the user or by Proctor's shutdown, until the next start: no
   * restart may follow, even of a run that was already ending as a failure
   * (unhealthy) when the stop came, whose exit would otherwise schedule one.
   */
  private held = false
  private readonly clock: Clock

  constructor(
    program: Program,
    private readonly deps: ManagedDeps,
  ) {
    this.clock = deps.clock ?? realClock
    this.logs = this.openLogs(program)
    const broker = deps.broker
    this.runner = new ProgramRunner(program, {
      logs: this.logs,
      tree: deps.tree,
      startRecord: deps.startRecord,
      clock: this.clock,
      runEnv: () => {
        const env = broker?.programEnv(this.name)
        this.runEnvGiven = env !== undefined
        return env
      },
    })
    this.runner.onTransition(() => deps.changed())
    this.runner.onExit((exit) => this.exited(exit))
  }

  get name(): string {
    return this.runner.program.name
  }

  get program(): Program {
    return this.runner.program
  }

  get programLogs(): ProgramLogs {
    return this.logs
  }

  /** A new definition, used from the next start (log limits too, once it is not running). */
  update(program: Program): void {
    const limits = this.runner.program.logs
    this.runner.update(program)
    if ((limits.maxBytes !== program.logs.maxBytes || limits.files !== program.logs.files) && !this.active) {
      const old = this.logs
      this.logs = this.openLogs(program)
      this.runner.useLogs(this.logs)
      void old.close()
    }
    this.deps.changed()
  }

  get active(): boolean {
    const s = this.runner.state
    return s === 'starting' || s === 'running' || s === 'stopping'
  }

  /** Started by the user (or as a dependency, or at the owner's start): the restart count starts over. */
  start(reason: string): void {
    this.cancelRestart()
    this.held = false
    this.attempts = 0
    this.spawn(reason)
  }

  /** Stopped by the user: no restart follows, and a pending one is cancelled. */
  async stop(reason: string): Promise<StopResult> {
    this.held = true
    this.cancelRestart()
    this.endChecks()
    const result = await this.runner.stop(reason)
    // The stop met a run already ending as a failure (unhealthy, not ready): it ends stopped, as asked.
    if (this.held && this.runner.state === 'exited') await this.runner.stop(reason)
    return result
  }

  /** The health switch or thresholds changed: checks start or stop on running programs. */
  settingsChanged(): void {
    if (!this.active || this.runner.state === 'stopping') return
    const wanted = this.deps.settings().enableHealthChecks && this.program.health.checks.length > 0
    if (wanted && !this.health) this.startHealth()
    else if (!wanted && this.health) {
      this.health.stop()
      this.health = undefined
      this.deps.changed()
    }
  }

  get healthStatus(): HealthStatus | undefined {
    return this.health?.status
  }

  /** Reads CPU and memory of the program's processes (a refresh tick), while it runs. */
  sampleUsage(): void {
    const pids = this.pids()
    if (pids.length === 0) {
      this.cpu = this.memory = undefined
      return
    }
    const u = this.usage.sample(pids)
    this.cpu = u.cpu
    this.memory = u.memory
  }

  pids(): number[] {
    const pid = this.runner.pid
    return pid === undefined ? [] : [pid, ...this.runner.descendants().map((d) => d.pid)]
  }

  status(): ProgramStatus {
    const r = this.runner
    const last = r.transitions().at(-1)
    const schedule = restartSchedule(this.program, this.deps.settings().healthConfig)
    // The count starts over once a run has stayed up for stableMs.
    if (r.state === 'running' && this.lastStartAt !== undefined && this.clock.now() - this.lastStartAt >= schedule.stableMs) this.attempts = 0
    const pids = this.pids()
    return {
      name: this.name,
      program: this.program,
      state: r.state,
      since: last?.at ?? 0,
      reason: last?.reason ?? 'never started',
      ...(r.pid !== undefined ? { pid: r.pid } : {}),
      ...(r.pid !== undefined && this.startTime !== undefined ? { startTime: this.startTime } : {}),
      descendants: Math.max(0, pids.length - 1),
      pids,
      restarts: this.attempts,
      totalRestarts: this.totalRestarts,
      ...(this.nextRestartAt !== undefined ? { nextRestartAt: this.nextRestartAt } : {}),
      ...(this.active && this.cpu !== undefined ? { cpu: this.cpu } : {}),
      ...(this.active && this.memory !== undefined ? { memory: this.memory } : {}),
      health: this.healthReport(),
      ...(r.lastExit ? { lastExit: lastExitOf(r.lastExit, this.exitedAt) } : {}),
      ...(this.lastStartAt !== undefined ? { lastStartAt: this.lastStartAt } : {}),
      ...(this.waitingFor !== undefined ? { waitingFor: this.waitingFor } : {}),
      ...(this.startError !== undefined ? { startError: this.startError } : {}),
    }
  }

  /** Lets go of the log file once the program is stopped. */
  async close(): Promise<void> {
    this.held = true
    this.cancelRestart()
    this.endChecks()
    await this.logs.close()
  }

  private healthReport(): ProgramHealth {
    if (this.program.health.checks.length === 0) return { status: 'none', results: [] }
    if (!this.deps.settings().enableHealthChecks) return { status: 'off', results: this.health?.results() ?? [] }
    if (!this.health) return { status: 'starting', results: [] }
    return { status: this.health.status, since: this.health.since, results: this.health.results() }
  }

  private spawn(reason: string): void {
    this.ending = undefined
    this.lastStartAt = this.clock.now()
    this.runner.start(reason)
    const pid = this.runner.pid
    if (pid === undefined) return
    this.startTime = undefined
    void this.deps.inspector.inspect(pid).then((p) => {
      if (this.runner.pid === pid && p) {
        this.startTime = p.startTime
        this.deps.changed()
      }
    })
    const ready = this.program.ready
    if (ready) {
      const abort = new AbortController()
      this.readiness = abort
      const name = this.name
      const broker = this.deps.broker
      const ipc = {
        listening: this.runEnvGiven,
        onReady: (listener: () => void) => broker?.onReady((program) => program === name && listener()) ?? (() => {}),
      }
      void waitReady(ready, { timeoutMs: this.program.readyTimeoutMs, logs: this.logs, ipc, signal: abort.signal }).then((result) => {
        if (abort.signal.aborted || this.runner.pid !== pid) return
        this.readiness = undefined
        if (result.ok) this.runner.ready(pid, `ready: ${result.detail}`)
        else this.failRun('failure', `not ready: ${result.detail}`)
      })
    }
    this.settingsChanged()
  }

  private startHealth(): void {
    const s = this.deps.settings().healthConfig
    const h = this.program.health
    const intervalMs = h.intervalMs ?? s.checkInterval
    const monitor = new HealthMonitor({
      checks: h.checks,
      intervalMs,
      timeoutMs: h.timeoutMs ?? Math.min(intervalMs, MAX_DEFAULT_TIMEOUT_MS),
      startPeriodMs: h.startPeriodMs,
      unhealthyThreshold: h.unhealthyThreshold ?? s.unhealthyThreshold,
      healthyThreshold: h.healthyThreshold ?? s.healthyThreshold,
      pids: () => this.pids(),
      heartbeat: () => (this.runEnvGiven ? this.deps.broker?.lastHeartbeat(this.name) : undefined),
      ipcOff: () => !this.runEnvGiven,
      onChange: (status, reason) => {
        if (this.health !== monitor) return
        this.deps.changed()
        if (status === 'unhealthy' && this.restartsOn('unhealthy')) this.failRun('unhealthy', `unhealthy: ${reason}`)
      },
    })
    this.health = monitor
    monitor.start()
    this.deps.changed()
  }

  /** Whether the policy and the global switch restart after this kind of end. */
  private restartsOn(kind: EndKind): boolean {
    return this.deps.settings().enableAutoRestart && policyRestarts(this.program.restart, kind)
  }

  /** Ends the run as a failure; its exit then goes through the policy like a crash. */
  private failRun(kind: EndKind, reason: string): void {
    // Its own process has exited already (a check that fails while what it left is stopped): the exit says how it ended.
    if (this.runner.leaderExited) return
    this.ending = kind
    this.endChecks()
    void this.runner.fail(reason)
  }

  private endChecks(): void {
    this.readiness?.abort()
    this.readiness = undefined
    this.health?.stop()
    this.health = undefined
  }

  private exited(exit: ExitInfo): void {
    this.exitedAt = this.clock.now()
    this.endChecks()
    this.cpu = this.memory = undefined
    if (exit.stopped || this.held) return
    const kind: EndKind = this.ending ?? (exit.spawnError !== undefined || exit.signal !== null || exit.code !== 0 ? 'failure' : 'success')
    this.ending = undefined
    if (!policyRestarts(this.program.restart, kind)) return
    if (!this.deps.settings().enableAutoRestart) return
    const schedule = restartSchedule(this.program, this.deps.settings().healthConfig)
    if (exit.uptimeMs >= schedule.stableMs) this.attempts = 0
    this.attempts += 1
    if (this.attempts > schedule.maxAttempts) {
      const n = this.attempts
      const what = kind === 'unhealthy' ? 'unhealthy' : 'ended'
      const reason =
        `${exit.failure ?? describeExit(exit)}; ${what} ${n === 1 ? 'once' : `${n} times in a row`} without staying up ` +
        `${formatDelay(schedule.stableMs)} (at most ${schedule.maxAttempts} restart${schedule.maxAttempts === 1 ? '' : 's'})`
      this.runner.fatal(reason)
      this.deps.fatal(this.name, reason)
      return
    }
    const delay = restartDelay(schedule, this.attempts)
    const n = this.attempts
    this.runner.backoff(`restart ${n} of ${schedule.maxAttempts} in ${formatDelay(delay)}`)
    this.nextRestartAt = this.clock.now() + delay
    const restart = () => {
      this.cancelScheduled = undefined
      this.nextRestartAt = undefined
      if (this.held) return
      this.totalRestarts += 1
      this.spawn(`restart ${n} of ${schedule.maxAttempts}, after ${formatDelay(delay)}`)
    }
    // No delay: in this turn of the event loop, not the next one's timers (a 0 ms timeout waits
    // for the loop to come round, and for the sweep of the old run's leftovers begun meanwhile).
    if (delay === 0) {
      const immediate = setImmediate(restart)
      this.cancelScheduled = () => clearImmediate(immediate)
    } else {
      const timer = this.clock.setTimeout(restart, delay)
      this.cancelScheduled = () => this.clock.clearTimeout(timer)
    }
  }

  private cancelRestart(): void {
    this.cancelScheduled?.()
    this.cancelScheduled = undefined
    this.nextRestartAt = undefined
  }

  private openLogs(program: Program): ProgramLogs {
    return new ProgramLogs({ dir: this.deps.logsDir, name: program.name, maxBytes: program.logs.maxBytes, files: program.logs.files })
  }
}

function lastExitOf(exit: ExitInfo, at: number): LastExit {
  return {
    code: exit.code,
    signal: exit.signal,
    uptimeMs: exit.uptimeMs,
    ...(exit.spawnError !== undefined ? { spawnError: exit.spawnError } : {}),
    at,
  }
}

export const LOGS_FOLDER = 'logs'

export function logsDirOf(dataDir: string): string {
  return join(dataDir, LOGS_FOLDER)
}
