import type { Unsubscribe } from '../../../shared/contract'
import { ProctorError, toErrorInfo } from '../../../shared/errors'
import type { StreamSink } from '../../../shared/rpc/router'
import type { DependencyCondition, Program } from '../../../shared/supervisor/program'
import { formatDelay } from '../../../shared/supervisor/schedule'
import type { OwnerInfo, ProgramDetail, ProgramLogLine, ProgramsOverview, ProgramStatus, StopReport } from '../../../shared/supervisor/status'
import type { Caller } from '../../../shared/types/caller'
import type { ProgramAuditEntry } from '../../../shared/types/control'
import type { Clock } from '../clock'
import type { SupervisorContext } from '../engine'
import { draftAdoption } from './adoption'
import { recoverLeftBehind } from './leftBehind'
import { logsDirOf, ManagedProgram } from './managedProgram'
import { TreeWatch } from './programTree'
import { ProgramRegistry } from './registry'
import type { ProgramBroker } from './programBroker'
import type { SupervisorSlice } from './slice'
import { StartRecord } from './startRecord'
import { takeResumeList, writeResumeList } from './resumeList'
import { dependentsOf, stopWaves } from './startOrder'

export interface SupervisorOptions {
  owner: Omit<OwnerInfo, 'local'>
  /** A desktop notification, where there is a desktop. */
  notify?: (title: string, body: string) => void
  /** The owner's IPC broker: each run's token, and `ready` and heartbeats for checks of kind ipc. */
  broker?: ProgramBroker
  /** What restart schedules are timed on: the real clock unless given (a fake one runs a day of them in a test). */
  clock?: Clock
}

/** Overview pushes are at most this often; a burst of transitions becomes one. */
const PUSH_MS = 250
/** Log lines are sent in batches at most this often. */
const LOG_BATCH_MS = 50

/**
 * The owner's supervisor: the registry of programs, one ManagedProgram per
 * program, the order they start and stop in (dependencies), and the
 * contract's supervisor calls and streams. Only the engine that holds the
 * owner lock builds one (see core/owner/).
 */
export class SupervisorService implements SupervisorSlice {
  readonly registry: ProgramRegistry
  private readonly managed = new Map<string, ManagedProgram>()
  private readonly tree = new TreeWatch()
  private readonly startRecord: StartRecord
  private readonly starting = new Map<string, Promise<void>>()
  private readonly notices: string[] = []
  private readonly overviewListeners = new Set<(o: ProgramsOverview) => void>()
  private readonly changeListeners = new Set<() => void>()
  private pushTimer: NodeJS.Timeout | undefined
  private tickTimer: NodeJS.Timeout | undefined
  private lastPush = 0
  private closed = false
  private readonly unsubscribeSettings: () => void

  readonly handlers: SupervisorSlice['handlers'] = {
    listPrograms: () => this.overview(),
    getProgram: ({ name }) => this.detail(name),
    addProgram: ({ program, start }, caller) =>
      this.audited('add', program.name, caller, async () => {
        this.registry.add(program)
        if (start) await this.startChain(program.name, 'started when added')
        return this.require(program.name).status()
      }),
    editProgram: ({ name, changes }, caller) => this.audited('edit', name, caller, () => this.edit(name, changes)),
    removeProgram: ({ name }, caller) => this.audited('remove', name, caller, () => this.remove(name)),
    startProgram: ({ name, wait }, caller) => this.audited('start', name, caller, () => this.start(name, wait)),
    stopProgram: ({ name }, caller) => this.audited('stop', name, caller, () => this.stop(name, 'stop requested')),
    restartProgram: ({ name }, caller) =>
      this.audited('restart', name, caller, async () => {
        const m = this.require(name)
        await m.stop('restart requested')
        await this.startChain(name, 'restart requested')
        return m.status()
      }),
    getProgramLogs: ({ name, lines, stream }) => {
      const m = this.require(name)
      const logs = m.programLogs
      const all = logs.lines()
      const chosen = (stream === 'both' ? all : all.filter((l) => l.stream === stream)).slice(-lines)
      return {
        name,
        lines: chosen,
        file: logs.file.path,
        dropped: logs.dropped,
        ...(logs.fileError !== undefined ? { fileError: logs.fileError } : {}),
        ...(m.lastStartAt !== undefined ? { lastStartAt: m.lastStartAt } : {}),
      }
    },
    draftAdoption: async ({ pid, startTime }) => draftAdoption(this.context.inspector, { pid, startTime }, (n) => this.managed.has(n)),
    adoptProcess: (args, caller) => this.audited('adopt', args.program.name, caller, () => this.adopt(args.pid, args.startTime, args.program, caller)),
  }

  readonly streams: SupervisorSlice['streams'] = {
    subscribeToPrograms: (_params, sink) => this.subscribeOverview(sink),
    subscribeToProgramLogs: ({ name }, sink) => this.subscribeLogs(name, sink),
  }

  constructor(
    private readonly context: SupervisorContext,
    private readonly options: SupervisorOptions,
  ) {
    this.registry = new ProgramRegistry(context.dataDir)
    this.notices.push(...this.registry.notices)
    this.startRecord = new StartRecord(context.dataDir)
    for (const program of this.registry.list()) this.adopted(program)
    this.registry.onChange(() => this.sync())
    this.unsubscribeSettings = context.settings.onChange((next, prev) => {
      if (next.enableHealthChecks !== prev.enableHealthChecks || next.healthConfig !== prev.healthConfig) {
        for (const m of this.managed.values()) m.settingsChanged()
      }
      if (next.enableAutoRestart !== prev.enableAutoRestart || next.enableHealthChecks !== prev.enableHealthChecks || next.enableIPC !== prev.enableIPC) this.changed()
    })
  }

  /**
   * After construction, before serving: programs a previous owner left
   * running (it died without stopping them) are stopped and started again
   * under capture; then autostart programs start, dependencies first.
   */
  async begin(): Promise<void> {
    const found = await recoverLeftBehind(this.context.dataDir, this.registry, this.tree, this.notices)
    for (const notice of this.notices) this.context.log(notice)
    const resumed = takeResumeList(this.context.dataDir).filter((name) => this.registry.get(name) !== undefined)
    const names = new Set([...found, ...resumed, ...this.registry.list().filter((p) => p.autostart).map((p) => p.name)])
    const why = (name: string) =>
      found.includes(name) ? 'started again under capture' : resumed.includes(name) ? 'running when the previous owner stopped' : 'autostart'
    const results = await Promise.allSettled([...names].map((name) => this.startChain(name, why(name))))
    for (const r of results) if (r.status === 'rejected') this.context.log(`autostart: ${(r.reason as Error).message}`)
  }

  /**
   * Stops every program (dependents first), writes what is pending, and
   * lets go of the files. The next owner starts again what ran under
   * `unless-stopped`, and with `handOver` everything that ran (the desktop
   * app handing its programs to a daemon).
   */
  async shutdown(options: { handOver?: boolean } = {}): Promise<void> {
    if (this.closed) return
    this.closed = true
    const active = [...this.managed.values()].filter((m) => m.active || this.starting.has(m.name))
    writeResumeList(
      this.context.dataDir,
      active.filter((m) => options.handOver || m.program.restart === 'unless-stopped').map((m) => m.name),
    )
    await this.stopSet([...this.managed.values()], 'Proctor is shutting down')
    await Promise.all([...this.managed.values()].map((m) => m.close()))
    await this.startRecord.flush()
    this.close()
  }

  close(): void {
    this.closed = true
    this.unsubscribeSettings()
    this.tree.close()
    if (this.pushTimer) clearTimeout(this.pushTimer)
    if (this.tickTimer) clearTimeout(this.tickTimer)
    this.overviewListeners.clear()
  }

  overview(): ProgramsOverview {
    const s = this.context.settings.get()
    return {
      programs: [...this.managed.values()].map((m) => m.status()),
      owner: { ...this.options.owner, local: true },
      healthChecks: s.enableHealthChecks,
      autoRestart: s.enableAutoRestart,
      ipc: s.enableIPC,
      notices: this.notices.slice(),
    }
  }

  private detail(name: string): ProgramDetail {
    const m = this.require(name)
    return { ...m.status(), transitions: m.runner.transitions() }
  }

  private require(name: string): ManagedProgram {
    this.registry.require(name)
    const m = this.managed.get(name)
    if (!m) throw new ProctorError('INTERNAL', `internal error: program "${name}" has no supervisor`)
    return m
  }

  // --- starting, in dependency order ----------------------------------------

  private async start(name: string, wait: 'spawned' | 'ready'): Promise<ProgramStatus> {
    const m = this.require(name)
    await this.startChain(name, 'start requested')
    if (wait === 'ready') await this.waitCondition(m, 'ready', m.program.readyTimeoutMs + m.program.startSeconds * 1000, `start of "${name}"`)
    return m.status()
  }

  /**
   * Starts `name` once its dependencies (started first, concurrently)
   * reach their conditions; a program several others need starts once.
   */
  private startChain(name: string, reason: string): Promise<void> {
    const m = this.require(name)
    if (m.active) return Promise.resolve()
    const pending = this.starting.get(name)
    if (pending) return pending
    const run = (async () => {
      m.startError = undefined
      await Promise.all(
        m.program.dependsOn.map(async (dep) => {
          const d = this.require(dep.name)
          if (!d.active) await this.startChain(dep.name, `needed by ${name}`)
          await this.waitCondition(d, dep.condition, m.program.readyTimeoutMs, `"${name}"`)
        }),
      )
      if (this.closed) throw new ProctorError('UNAVAILABLE', `not starting "${name}": Proctor is shutting down`)
      if (!m.active) m.start(reason)
    })()
      .catch((err: unknown) => {
        m.startError = (err as Error).message
        throw err
      })
      .finally(() => {
        this.starting.delete(name)
        m.waitingFor = undefined
        this.changed()
      })
    this.starting.set(name, run)
    return run
  }

  /** Resolves once `d` meets `condition`; TIMEOUT after timeoutMs, at once when it cannot (fatal, stopped, exited with no restart to come). */
  private waitCondition(d: ManagedProgram, condition: DependencyCondition, timeoutMs: number, who: string): Promise<void> {
    const met = (): boolean => {
      const state = d.runner.state
      if (condition === 'started') return state === 'starting' || state === 'running'
      if (condition === 'ready') return state === 'running'
      return state === 'running' && d.healthStatus === 'healthy'
    }
    if (met()) return Promise.resolve()
    if (condition === 'healthy' && !this.context.settings.get().enableHealthChecks) {
      return Promise.reject(
        new ProctorError('UNAVAILABLE', `${who} waits for "${d.name}" to be healthy, but health checks are off (turn on enableHealthChecks)`),
      )
    }
    const waiting = `${d.name} to be ${condition === 'started' ? 'started' : condition}`
    for (const m of this.managed.values()) if (this.starting.has(m.name) && m.program.dependsOn.some((x) => x.name === d.name)) m.waitingFor = waiting
    this.changed()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        done()
        reject(new ProctorError('TIMEOUT', `${who} waited ${formatDelay(timeoutMs)} for ${waiting}; it is ${describeState(d)}`))
      }, timeoutMs)
      const check = () => {
        if (met()) {
          done()
          resolve()
        } else if (d.runner.state === 'fatal' || ((d.runner.state === 'stopped' || d.runner.state === 'exited') && !this.starting.has(d.name))) {
          // Exited with no restart to come (a restart would be `backoff`): it will not get there by waiting.
          done()
          reject(new ProctorError('UNAVAILABLE', `${who} needs ${waiting}, but it is ${describeState(d)}`))
        }
      }
      this.changeListeners.add(check)
      const done = () => {
        clearTimeout(timer)
        this.changeListeners.delete(check)
      }
    })
  }

  // --- stopping, dependents first ------------------------------------------

  private async stop(name: string, reason: string): Promise<StopReport> {
    const m = this.require(name)
    const dependents = dependentsOf(name, this.registry.list()).map((n) => this.require(n))
    const activeDependents = dependents.filter((d) => d.active)
    await this.stopSet(activeDependents, `${name} is stopping`)
    const result = await m.stop(reason)
    return { name, ...result, dependents: activeDependents.map((d) => d.name) }
  }

  /** Stops `programs` in waves: each wave is those no running program of the set depends on, stopped together. */
  private async stopSet(programs: ManagedProgram[], reason: string): Promise<void> {
    for (const wave of stopWaves(
      programs.map((m) => m.program),
      (n) => this.managed.get(n)?.active ?? false,
    )) {
      await Promise.all(wave.map((n) => this.require(n).stop(reason)))
    }
  }

  // --- the registry ----------------------------------------------------------

  private async edit(name: string, changes: Record<string, unknown>): Promise<ProgramStatus> {
    const m = this.require(name)
    const renamed = typeof changes.name === 'string' && changes.name !== name
    if (renamed && (m.active || this.starting.has(name))) {
      throw new ProctorError('INVALID_ARGUMENT', `edit program "${name}": name: stop it before renaming it`, {
        issues: [{ path: ['name'], message: 'stop it before renaming it' }],
      })
    }
    const program = this.registry.edit(name, changes)
    // The old name's IPC endpoint goes with it; the next start issues one under the new name.
    if (program.name !== name) this.options.broker?.forgetProgram(name)
    return this.require(program.name).status()
  }

  private async remove(name: string): Promise<{ removed: string; stop?: StopReport }> {
    const m = this.require(name)
    // Refused before anything is stopped while others depend on it.
    this.registry.assertRemovable(name)
    const stop = m.active ? await this.stop(name, 'removed') : undefined
    // Not running: a pending restart is cancelled.
    if (!stop) await m.stop('removed')
    this.registry.remove(name)
    this.options.broker?.forgetProgram(name)
    return { removed: name, ...(stop ? { stop } : {}) }
  }

  /** Brings the managed set in line with the registry: new programs, new definitions, removed ones. */
  private sync(): void {
    const programs = this.registry.list()
    const names = new Set(programs.map((p) => p.name))
    for (const [name, m] of this.managed) {
      if (!names.has(name)) {
        this.managed.delete(name)
        void m.close()
      }
    }
    for (const p of programs) {
      const m = this.managed.get(p.name)
      if (m) m.update(p)
      else this.adopted(p)
    }
    this.changed()
  }

  private adopted(program: Program): void {
    this.managed.set(
      program.name,
      new ManagedProgram(program, {
        logsDir: logsDirOf(this.context.dataDir),
        tree: this.tree,
        startRecord: this.startRecord,
        settings: () => this.context.settings.get(),
        inspector: this.context.inspector,
        log: this.context.log,
        changed: () => this.changed(),
        fatal: (name, reason) => {
          this.context.log(`program "${name}" is fatal: ${reason}`)
          this.options.notify?.(`${name} keeps failing: Proctor stopped restarting it`, reason)
        },
        ...(this.options.broker ? { broker: this.options.broker } : {}),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
      }),
    )
  }

  /**
   * A pool's worker: supervised as a program is (its own process group,
   * output captured, the restart policy, recorded so that a later owner
   * stops it if this one dies), but not in the registry nor in
   * listPrograms. The pool owns it: it starts, stops and closes it.
   */
  superviseWorker(program: Program, changed: () => void): ManagedProgram {
    if (this.registry.get(program.name)) throw new ProctorError('INVALID_ARGUMENT', `a program is named "${program.name}" already: pool workers need that name`)
    return new ManagedProgram(program, {
      logsDir: logsDirOf(this.context.dataDir),
      tree: this.tree,
      startRecord: this.startRecord,
      settings: () => this.context.settings.get(),
      inspector: this.context.inspector,
      log: this.context.log,
      changed,
      fatal: (name, reason) => this.context.log(`pool worker "${name}" is fatal: ${reason}`),
      ...(this.options.broker ? { broker: this.options.broker } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    })
  }

  // --- adoption --------------------------------------------------------------

  private async adopt(pid: number, startTime: number, program: Program, caller: Caller): Promise<ProgramStatus> {
    // The definition is checked (and saved) before the process is touched.
    this.registry.add(program)
    try {
      const report = await this.context.control.run('terminate', { pid, startTime, graceMs: 5000 }, caller)
      const failed = report.results.find((r) => !r.ok)
      if (failed?.error) throw ProctorError.from(failed.error)
    } catch (err) {
      this.registry.remove(program.name)
      throw err
    }
    await this.startChain(program.name, `adopted from pid ${pid}`)
    return this.require(program.name).status()
  }

  /** Runs a change and records it in the audit log, with who asked and how it ended. */
  private async audited<T>(verb: ProgramAuditEntry['verb'], name: string, caller: Caller, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run()
      this.context.audit.append({ timestamp: Date.now(), action: 'program', verb, name, ok: true, outcome: outcomeOf(verb, result), caller })
      return result
    } catch (err) {
      const info = toErrorInfo(err)
      this.context.audit.append({ timestamp: Date.now(), action: 'program', verb, name, ok: false, outcome: info.message, errorCode: info.code, caller })
      throw err
    }
  }

  // --- streams ---------------------------------------------------------------

  /** Something users see changed: dependency waits re-check, and subscribers get an overview soon. */
  private changed(): void {
    for (const listener of [...this.changeListeners]) listener()
    if (this.overviewListeners.size === 0 || this.pushTimer || this.closed) return
    this.pushTimer = setTimeout(() => this.push(), Math.max(0, this.lastPush + PUSH_MS - Date.now()))
  }

  private push(): void {
    if (this.pushTimer) clearTimeout(this.pushTimer)
    this.pushTimer = undefined
    if (this.overviewListeners.size === 0) return
    this.lastPush = Date.now()
    const overview = this.overview()
    for (const listener of this.overviewListeners) listener(overview)
  }

  /** While someone watches and a program runs: CPU, memory and uptime every refresh. */
  private tick(): void {
    if (this.tickTimer || this.overviewListeners.size === 0 || this.closed) return
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined
      let any = false
      for (const m of this.managed.values()) {
        if (!m.active) continue
        any = true
        m.sampleUsage()
      }
      if (any) this.push()
      this.tick()
    }, this.context.cadence.interval())
  }

  private subscribeOverview(sink: StreamSink<ProgramsOverview>): Unsubscribe {
    const listener = (o: ProgramsOverview) => sink.next(o)
    this.overviewListeners.add(listener)
    for (const m of this.managed.values()) if (m.active) m.sampleUsage()
    sink.next(this.overview())
    this.tick()
    return () => {
      this.overviewListeners.delete(listener)
      if (this.overviewListeners.size === 0 && this.tickTimer) {
        clearTimeout(this.tickTimer)
        this.tickTimer = undefined
      }
    }
  }

  private subscribeLogs(name: string, sink: StreamSink<ProgramLogLine[]>): Unsubscribe {
    const logs = this.require(name).programLogs
    let batch: ProgramLogLine[] = []
    let timer: NodeJS.Timeout | undefined
    const flush = () => {
      timer = undefined
      const lines = batch
      batch = []
      if (lines.length > 0) sink.next(lines)
    }
    const off = logs.onLine((line) => {
      batch.push(line)
      timer ??= setTimeout(flush, LOG_BATCH_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }
}

function outcomeOf(verb: ProgramAuditEntry['verb'], result: unknown): string {
  const r = result as Partial<ProgramStatus & StopReport>
  if (verb === 'stop') return `stopped in ${r.durationMs ?? 0} ms${r.graceful === false ? ' (KILL needed)' : ''}`
  if (verb === 'remove') return 'removed'
  return r.state !== undefined ? `${r.state}${r.pid !== undefined ? `, pid ${r.pid}` : ''}` : 'done'
}

function describeState(m: ManagedProgram): string {
  const last = m.runner.transitions().at(-1)
  return last ? `${m.runner.state} (${last.reason})` : m.runner.state
}
