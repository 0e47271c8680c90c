import { CHECK_RESULTS_KEPT, type CheckResult, type HealthCheck, type HealthStatus } from '../../../shared/supervisor/checks'
import { MiB } from '../../../shared/supervisor/program'
import { formatDelay } from '../../../shared/supervisor/schedule'
import { readProc } from '../supervisor/procTree'
import { probeCommand, probeHttp, probeTcp, type ProbeOutcome } from './probes'
import { after, slackFor } from './roundClock'
import { UsageSampler } from './usage'
import { pidExists } from '../processes/signalZero'

export interface HealthMonitorOptions {
  checks: HealthCheck[]
  /** Between the end of one round and the start of the next. */
  intervalMs: number
  /** A check's timeout unless it has its own. */
  timeoutMs: number
  /** After start(), failing rounds do not count while the program is still `starting`. */
  startPeriodMs: number
  unhealthyThreshold: number
  healthyThreshold: number
  /** The program's own pid first, then its descendants; empty when it is not running. */
  pids: () => number[]
  /** The last IPC heartbeat of the run (ms since the epoch), for checks of kind ipc. */
  heartbeat?: () => number | undefined
  /** The run has no IPC token (IPC was off when it started): checks of kind ipc fail, saying so. */
  ipcOff?: () => boolean
  onChange: (status: HealthStatus, reason: string) => void
}

/** The first round comes at most this long after start(), so that a new program gets a verdict soon. */
export const FIRST_ROUND_MAX_MS = 1000

/**
 * Runs a program's health checks in rounds and turns them into a status,
 * as Docker's HEALTHCHECK does: a round runs every check in parallel and
 * passes when all pass; `healthyThreshold` passing rounds in a row make the
 * program healthy, `unhealthyThreshold` failing ones unhealthy, and
 * failures inside the start period do not count until it has been healthy.
 * Rounds never overlap (a chained timer); the first comes after
 * min(intervalMs, FIRST_ROUND_MAX_MS). A round may start up to 1/32 of its
 * delay late, to share a wake-up with other programs' (roundClock).
 * onChange is called on each change of status, with the reason.
 */
export class HealthMonitor {
  private current: HealthStatus = 'starting'
  private changedAt = Date.now()
  private readonly kept: CheckResult[] = []
  /** Cancels the next round's timer. */
  private cancelNext: (() => void) | undefined
  /** Aborts the round in flight (its probes) on stop. */
  private round: AbortController | undefined
  private startedAt = 0
  private passes = 0
  private failures = 0
  /** Per check index: its sampler (cpu, memory) and how many rounds in a row the CPU was over. */
  private readonly samplers = new Map<number, UsageSampler>()
  private readonly cpuOver = new Map<number, number>()

  constructor(private readonly options: HealthMonitorOptions) {}

  get status(): HealthStatus {
    return this.current
  }

  /** ms since the epoch, when the status last changed (or the monitor was made). */
  get since(): number {
    return this.changedAt
  }

  /** The latest results, one per check per round, newest last (at most CHECK_RESULTS_KEPT). */
  results(): CheckResult[] {
    return this.kept.slice()
  }

  /** Starts checking afresh: status `starting`, counters and CPU samples reset. */
  start(): void {
    this.stop()
    this.startedAt = Date.now()
    this.passes = 0
    this.failures = 0
    this.samplers.clear()
    this.cpuOver.clear()
    this.change('starting', 'checks started')
    this.schedule(Math.min(this.options.intervalMs, FIRST_ROUND_MAX_MS))
  }

  /** No timer left; the round in flight is cancelled and its results dropped. The status stays as it was. */
  stop(): void {
    this.cancelNext?.()
    this.cancelNext = undefined
    this.round?.abort()
    this.round = undefined
  }

  private schedule(delayMs: number): void {
    this.cancelNext = after(delayMs, slackFor(delayMs), () => {
      this.cancelNext = undefined
      const round = new AbortController()
      this.round = round
      void this.runRound(round.signal).then((results) => {
        if (round.signal.aborted) return
        this.round = undefined
        this.judge(results)
        this.schedule(this.options.intervalMs)
      })
    })
  }

  private async runRound(signal: AbortSignal): Promise<CheckResult[]> {
    let pids: number[]
    try {
      pids = this.options.pids()
    } catch {
      // The caller's view of the program failed: judge it as not running rather than stop checking.
      pids = []
    }
    return Promise.all(
      this.options.checks.map(async (check, index): Promise<CheckResult> => {
        const at = Date.now()
        const started = performance.now()
        let outcome: ProbeOutcome
        try {
          outcome = await this.runCheck(check, index, pids, signal)
        } catch (err) {
          // A check that throws is a failing check, never a stalled monitor.
          outcome = { ok: false, detail: err instanceof Error ? err.message : String(err) }
        }
        return { kind: check.kind, ok: outcome.ok, at, durationMs: Math.round(performance.now() - started), detail: outcome.detail }
      }),
    )
  }

  private runCheck(check: HealthCheck, index: number, pids: readonly number[], signal: AbortSignal): ProbeOutcome | Promise<ProbeOutcome> {
    const timeoutMs = ('timeoutMs' in check ? check.timeoutMs : undefined) ?? this.options.timeoutMs
    switch (check.kind) {
      case 'alive':
        return checkAlive(pids[0])
      case 'cpu':
        return this.checkCpu(check, index, pids)
      case 'memory': {
        const bytes = this.sampler(index).sample(pids).memory
        return { ok: bytes <= check.maxBytes, detail: `${mib(bytes)} of ${mib(check.maxBytes)} allowed` }
      }
      case 'http':
        return probeHttp(check, timeoutMs, signal)
      case 'tcp':
        return probeTcp(check, timeoutMs, signal)
      case 'command':
        return probeCommand(check, timeoutMs, signal)
      case 'ipc':
        return this.checkHeartbeat(check)
    }
  }

  /** Passes while the last heartbeat is at most maxSilenceMs old (twice the interval when not given). */
  private checkHeartbeat(check: Extract<HealthCheck, { kind: 'ipc' }>): ProbeOutcome {
    if (this.options.ipcOff?.() ?? true) return { ok: false, detail: IPC_OFF }
    const limit = check.maxSilenceMs ?? 2 * this.options.intervalMs
    const last = this.options.heartbeat?.()
    if (last === undefined) return { ok: false, detail: `no heartbeat in the ${formatDelay(Date.now() - this.startedAt)} since the checks started` }
    const silent = Date.now() - last
    return silent <= limit
      ? { ok: true, detail: `heartbeat ${ago(silent)}` }
      : { ok: false, detail: `no heartbeat for ${formatDelay(silent)} (at most ${formatDelay(limit)})` }
  }

  /** Fails once the CPU has been over the limit `samples` rounds in a row; the first round has no figure and passes. */
  private checkCpu(check: Extract<HealthCheck, { kind: 'cpu' }>, index: number, pids: readonly number[]): ProbeOutcome {
    const { cpu } = this.sampler(index).sample(pids)
    if (cpu === undefined) return { ok: true, detail: 'no CPU figure yet' }
    const over = cpu > check.percent ? (this.cpuOver.get(index) ?? 0) + 1 : 0
    this.cpuOver.set(index, over)
    const figure = `CPU ${cpu.toFixed(1)} %`
    if (over === 0) return { ok: true, detail: `${figure} of ${check.percent} % allowed` }
    const ok = over < check.samples
    return { ok, detail: `${figure} over ${check.percent} % (${over} of ${check.samples} in a row)` }
  }

  private sampler(index: number): UsageSampler {
    let sampler = this.samplers.get(index)
    if (!sampler) {
      sampler = new UsageSampler()
      this.samplers.set(index, sampler)
    }
    return sampler
  }

  private judge(results: CheckResult[]): void {
    this.kept.push(...results)
    if (this.kept.length > CHECK_RESULTS_KEPT) this.kept.splice(0, this.kept.length - CHECK_RESULTS_KEPT)
    const failed = results.flatMap((r, i) => (r.ok ? [] : [`${label(this.options.checks[i])}: ${r.detail}`]))
    const { healthyThreshold, unhealthyThreshold, startPeriodMs } = this.options
    if (failed.length === 0) {
      this.failures = 0
      this.passes += 1
      if (this.current !== 'healthy' && this.passes >= healthyThreshold) {
        this.change('healthy', `${results.length === 1 ? 'the check' : `all ${results.length} checks`} passed${inARow(this.passes)}`)
      }
      return
    }
    this.passes = 0
    // Docker's start period: a program still starting may fail without it counting.
    if (this.current === 'starting' && Date.now() - this.startedAt < startPeriodMs) return
    this.failures += 1
    if (this.current !== 'unhealthy' && this.failures >= unhealthyThreshold) this.change('unhealthy', `${failed.join('; ')}${inARow(this.failures)}`)
  }

  private change(status: HealthStatus, reason: string): void {
    if (status === this.current) return
    this.current = status
    this.changedAt = Date.now()
    this.options.onChange(status, reason)
  }
}

function checkAlive(pid: number | undefined): ProbeOutcome {
  if (pid === undefined) return { ok: false, detail: 'not running' }
  if (process.platform === 'linux') {
    const entry = readProc(pid)
    if (!entry) return { ok: false, detail: `process ${pid} is gone` }
    if (entry.zombie) return { ok: false, detail: `process ${pid} has exited (a zombie not yet reaped)` }
    return { ok: true, detail: `process ${pid} is running` }
  }
  return pidExists(pid) ? { ok: true, detail: `process ${pid} is running` } : { ok: false, detail: `process ${pid} is gone` }
}

/** How a check is named in a reason: its kind and what it looks at. */
export function label(check: HealthCheck | undefined): string {
  switch (check?.kind) {
    case undefined:
      return 'check'
    case 'alive':
      return 'alive'
    case 'cpu':
      return 'cpu'
    case 'memory':
      return 'memory'
    case 'http':
      return `http ${check.url}`
    case 'tcp':
      return `tcp ${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}`
    case 'ipc':
      return 'ipc heartbeat'
    case 'command': {
      const line = [check.command, ...check.args].join(' ')
      return `command ${line.length > 80 ? `${line.slice(0, 79)}…` : line}`
    }
  }
}

/** Why a check or readiness of kind ipc cannot pass. */
export const IPC_OFF = 'IPC is off (enableIPC), so the program was given no IPC token: turn IPC on and restart it'

function ago(ms: number): string {
  return `${formatDelay(ms)} ago`
}

function inARow(n: number): string {
  return n > 1 ? `, ${n} times in a row` : ''
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`
}
