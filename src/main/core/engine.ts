import type { ProcessInfo, ProcessSnapshot, ProcessWatchEvent } from '../../shared/types/process'
import type { AppInfo, SystemMetrics } from '../../shared/types/system'
import type { CallArgs, ProcessTree, Unsubscribe } from '../../shared/contract'
import { applyCpuScale } from '../../shared/process/derive'
import { buildProcessTree } from '../../shared/process/tree'
import { sharedDiff } from '../../shared/process/delta'
import { PROCESS_ORDERS } from '../../shared/process/sort'
import { compileStructuredQuery, compileTextQuery, QueryError } from '../../shared/query'
import { ProctorError } from '../../shared/errors'
import type { MenuEntry } from '../../shared/process/menu'
import { Router, type StreamSink } from '../../shared/rpc/router'
import type { ProcessCollector } from './processes/collector'
import { InlineCollector } from './processes/collector'
import { ProcessHistoryStore } from './processes/history'
import { SettingsStore } from './settings/settingsStore'
import { createSystemReader } from './system/systemSampler'
import { SystemMetricsService } from './system/metricsService'
import { countStatesOf } from '../../shared/system/processCounts'
import { PolledStream } from './polledStream'
import { ProcessController } from './control/controller'
import { ProcessProbe } from './control/probe'
import { AuditLog } from './control/auditLog'
import { signalNames } from './control/signals'

export interface DesktopServices {
  /** Shows the menu natively; resolves the chosen item's id, or null when dismissed. */
  popupMenu(items: MenuEntry[], x: number, y: number): Promise<string | null>
  revealPath(path: string): void
}

export interface EngineOptions {
  dataDir: string
  version: string
  /** Where diagnostics go; the edge and the host pass their logger. */
  log?: (message: string) => void
  /**
   * 'sliced' (default) reads processes in slices of a few ms, yielding to
   * the event loop between them, so this thread stays responsive; 'inline'
   * reads them in one go, for one-shot CLI reads.
   */
  collector?: 'sliced' | 'inline'
  /** What only the desktop app can do (native menus, the file manager); absent when headless. */
  desktop?: DesktopServices
  /** Pids of Proctor's other processes (the desktop app's renderer, GPU, ...), protected from actions. */
  ownPids?: () => number[]
  /**
   * Sample system metrics in the background for history when the settings
   * ask for it (default). A one-shot CLI command passes false: it exits
   * before any history could be of use.
   */
  backgroundMetrics?: boolean
}

/** A one-shot reading waits this long for a second one so CPU % is real. */
const FIRST_READING_GAP_MS = 250

/**
 * The engine: plain Node, no electron. Owns the collectors, samplers and
 * settings, and serves the contract through one Router that every
 * transport shares.
 */
export class Engine {
  readonly settings: SettingsStore
  readonly router: Router
  readonly processes: PolledStream<ProcessSnapshot>
  readonly system: PolledStream<SystemMetrics>
  readonly history: ProcessHistoryStore
  readonly audit: AuditLog
  readonly control: ProcessController
  private readonly collector: ProcessCollector
  private lastCollectedAt = 0
  private closed = false
  private foreground = true
  readonly metrics: SystemMetricsService
  private readonly log: (message: string) => void
  private readonly diff = sharedDiff()

  constructor(private readonly options: EngineOptions) {
    this.log = options.log ?? ((m) => console.error(m))
    this.settings = new SettingsStore(options.dataDir)
    for (const notice of this.settings.notices) this.log(notice)
    const settings = this.settings.get()
    this.collector = new InlineCollector(settings.platformAdapter, options.collector === 'inline' ? { sliceMs: Infinity } : {})
    this.history = new ProcessHistoryStore(settings.maxProcessHistory)
    const interval = () => this.refreshInterval()
    const onError = (what: string) => (err: unknown) => {
      if (!this.closed) this.log(`${what} failed: ${(err as Error).message}`)
    }
    this.audit = new AuditLog(options.dataDir)
    this.control = new ProcessController({
      snapshot: () => this.collect(),
      probe: new ProcessProbe(),
      audit: this.audit,
      protectedNames: () => this.settings.get().protectedNames,
      ownPids: () => [process.pid, ...(options.ownPids?.() ?? [])],
    })
    // Processes and system metrics are sampled in the same wakeups: one timer a refresh, not two.
    const grid = { originMs: performance.now() }
    this.processes = new PolledStream(() => this.collect(), interval, onError('process sampling'), grid)
    // Process counts come free from a fresh process list; without one the reader counts a few per sample.
    const processCounts = () => {
      const s = this.processes.latest
      return s && Date.now() - s.timestamp < 2 * this.refreshInterval() ? countStatesOf(s.processes) : undefined
    }
    this.metrics = new SystemMetricsService(settings.metricsHistorySize, () => createSystemReader({ processCounts }), settings.monitorSystemMetrics)
    this.system = new PolledStream(() => this.metrics.sample(this.refreshInterval()), interval, onError('system sampling'), grid)
    // Recording history: sampled from launch whether or not anyone subscribes.
    const background = (monitor: boolean) => monitor && options.backgroundMetrics !== false
    this.system.keepRunning(background(settings.monitorSystemMetrics))

    this.settings.onChange((next, prev) => {
      if (next.platformAdapter !== prev.platformAdapter) {
        void this.collector.setAdapter(next.platformAdapter).catch(onError('switching adapters'))
      }
      if (next.maxProcessHistory !== prev.maxProcessHistory) this.history.setCapacity(next.maxProcessHistory)
      if (next.metricsHistorySize !== prev.metricsHistorySize) this.metrics.history.setCapacity(next.metricsHistorySize)
      if (next.monitorSystemMetrics !== prev.monitorSystemMetrics) {
        this.metrics.setRecording(next.monitorSystemMetrics)
        this.system.keepRunning(background(next.monitorSystemMetrics))
      }
      if (next.refreshInterval !== prev.refreshInterval || next.backgroundRefreshInterval !== prev.backgroundRefreshInterval) {
        this.processes.reschedule()
        this.system.reschedule()
      }
    })

    this.router = new Router(
      {
        getAppInfo: () => this.appInfo(),
        getProcessList: () => this.processList(),
        getProcessTree: () => this.processTree(),
        findProcesses: (args) => this.findProcesses(args),
        killProcess: (args) => this.control.run('signal', args),
        terminateProcess: (args) => this.control.run('terminate', args),
        suspendProcess: (args) => this.control.run('suspend', args),
        resumeProcess: (args) => this.control.run('resume', args),
        reniceProcess: (args) => this.control.run('renice', args),
        popupProcessMenu: async ({ items, x, y }) => ({ id: await this.desktop('a native menu').popupMenu(items, x, y) }),
        revealExecutable: (args) => this.revealExecutable(args.pid, args.startTime),
        getSignalNames: () => signalNames(),
        getAuditLog: (args) => this.audit.read(args?.limit),
        getSystemMetrics: () => this.metrics.current(this.system.latest, this.refreshInterval()),
        getMetricsHistory: (args) => this.metrics.getHistory(args),
        getAggregatedMetrics: (args) => this.metrics.getAggregates(args),
        getSettings: () => this.settings.get(),
        updateSettings: (patch) => this.settings.update(patch),
      },
      {
        subscribeToProcessUpdates: (_params, sink) => this.processes.subscribe((s) => sink.next(s)),
        subscribeToProcessDeltas: (_params, sink) => {
          let prev: ProcessSnapshot | undefined
          return this.processes.subscribe((s) => {
            sink.next(this.diff(prev, s))
            prev = s
          })
        },
        watchProcess: (params, sink) => this.watchProcess(params.pid, params.startTime, sink),
        subscribeToMetrics: (_params, sink) => this.system.subscribe((s) => sink.next(s)),
      },
    )
  }

  /**
   * Foreground: a window is visible and sampling runs at refreshInterval.
   * Background (tray only, window hidden): at backgroundRefreshInterval, if
   * that is slower, so a Proctor nobody looks at costs almost nothing.
   */
  setForeground(foreground: boolean): void {
    if (foreground === this.foreground) return
    this.foreground = foreground
    this.processes.reschedule()
    this.system.reschedule()
  }

  get isForeground(): boolean {
    return this.foreground
  }

  refreshInterval(): number {
    const s = this.settings.get()
    return this.foreground ? s.refreshInterval : Math.max(s.refreshInterval, s.backgroundRefreshInterval)
  }

  appInfo(): AppInfo {
    return {
      name: 'Proctor',
      version: this.options.version,
      platform: process.platform,
      adapter: this.collector.adapterKind,
      pid: process.pid,
      dataDir: this.options.dataDir,
      notices: [...this.settings.notices],
    }
  }

  /** One collection: CPU % against the previous one, in the configured scale, recorded in history. */
  private async collect(): Promise<ProcessSnapshot> {
    const snapshot = applyCpuScale(await this.collector.collect(), this.settings.get().cpuScale)
    this.lastCollectedAt = Date.now()
    this.history.record(snapshot)
    return snapshot
  }

  /**
   * The latest snapshot: the live stream's when it is fresh; otherwise a new
   * reading, preceded by a short first one when there is no recent reading
   * to measure CPU against.
   */
  async processList(): Promise<ProcessSnapshot> {
    const interval = this.refreshInterval()
    const latest = this.processes.latest
    if (latest && Date.now() - latest.timestamp < 2 * interval) return latest
    if (Date.now() - this.lastCollectedAt > Math.max(5000, 3 * interval)) {
      await this.collect()
      await new Promise((r) => setTimeout(r, FIRST_READING_GAP_MS))
    }
    return this.collect()
  }

  async processTree(): Promise<ProcessTree> {
    const snapshot = await this.processList()
    return { timestamp: snapshot.timestamp, cpuScale: snapshot.cpuScale, roots: buildProcessTree(snapshot.processes) }
  }

  async findProcesses(args: CallArgs<'findProcesses'>): Promise<ProcessInfo[]> {
    let predicates: ((p: ProcessInfo) => boolean)[]
    try {
      predicates = [
        ...(args.query !== undefined ? [compileTextQuery(args.query)] : []),
        ...(args.filter !== undefined ? [compileStructuredQuery(args.filter)] : []),
      ]
    } catch (err) {
      if (err instanceof QueryError) {
        throw new ProctorError('INVALID_ARGUMENT', `findProcesses: ${err.field ?? 'query'}: ${err.message}`, {
          position: err.position,
          ...(err.field ? { field: err.field } : {}),
        })
      }
      throw err
    }
    const snapshot = await this.processList()
    const found = snapshot.processes.filter((p) => predicates.every((match) => match(p)))
    const by = args.sortBy
    if (by) {
      found.sort(PROCESS_ORDERS[by])
    }
    return args.limit !== undefined ? found.slice(0, args.limit) : found
  }

  /**
   * Follows one identity: a sample with history each refresh, 'exited' once
   * it is gone. A pid that is not running, or runs another process than
   * the start time names, ends the stream with NOT_FOUND / STALE_PROCESS.
   */
  private watchProcess(pid: number, startTime: number | undefined, sink: StreamSink<ProcessWatchEvent>): Unsubscribe {
    let identity: number | undefined
    let done = false
    const finish = (err?: ProctorError) => {
      done = true
      // After this listener returns: the stream may not unsubscribe itself mid-publish.
      queueMicrotask(() => {
        stop()
        if (err) sink.error(err)
        else sink.complete()
      })
    }
    const stop = this.processes.subscribe((snapshot) => {
      if (done) return
      const p = snapshot.processes.find((x) => x.pid === pid)
      if (identity === undefined) {
        if (!p) return finish(new ProctorError('NOT_FOUND', `no process with pid ${pid}`, { pid }))
        if (startTime !== undefined && p.startTime !== startTime) {
          return finish(
            new ProctorError('STALE_PROCESS', `pid ${pid} now belongs to another process`, {
              pid,
              startTime,
              actualStartTime: p.startTime,
            }),
          )
        }
        identity = p.startTime
      }
      if (!p || p.startTime !== identity) {
        sink.next({ type: 'exited', pid, startTime: identity, timestamp: snapshot.timestamp })
        return finish()
      }
      sink.next({ type: 'sample', process: p, history: this.history.get(pid, identity) })
    })
    return () => {
      done = true
      stop()
    }
  }

  private desktop(what: string): DesktopServices {
    if (!this.options.desktop) throw new ProctorError('UNAVAILABLE', `${what} needs the desktop app; this is the headless host`)
    return this.options.desktop
  }

  private async revealExecutable(pid: number, startTime: number | undefined): Promise<null> {
    const desktop = this.desktop('revealing a file')
    const p = (await this.processList()).processes.find((x) => x.pid === pid)
    if (!p) throw new ProctorError('NOT_FOUND', `no process with pid ${pid}`, { pid })
    if (startTime !== undefined && p.startTime !== startTime) {
      throw new ProctorError('STALE_PROCESS', `pid ${pid} is now another process`, { pid, startTime, actualStartTime: p.startTime })
    }
    if (!p.exe) throw new ProctorError('PERMISSION_DENIED', `the executable of pid ${pid} (${p.name}) cannot be read`, { pid, elevationPossible: false })
    desktop.revealPath(p.exe)
    return null
  }

  close(): void {
    this.closed = true
    this.processes.stop()
    this.system.stop()
    this.collector.close()
    this.metrics.close()
  }
}
