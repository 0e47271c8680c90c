import type { ProcessSnapshot, RawProcessSample } from '../../shared/types/process'
import type { AppInfo, SystemMetrics } from '../../shared/types/system'
import { deriveSnapshot } from '../../shared/process/derive'
import { Router } from '../../shared/rpc/router'
import { createProcessAdapter } from './processes/factory'
import type { ProcessAdapter } from './processes/adapter'
import { SettingsStore } from './settings/settingsStore'
import { SystemSampler } from './system/systemSampler'
import { PolledStream } from './polledStream'

export interface EngineOptions {
  dataDir: string
  version: string
  /** Where diagnostics go; the edge and the host pass their logger. */
  log?: (message: string) => void
}

/** A one-shot reading waits this long for a second one so CPU % is real. */
const FIRST_READING_GAP_MS = 250

/**
 * The engine: plain Node, no electron. Owns the adapters, the samplers and
 * the settings, and serves the contract through one Router that every
 * transport shares.
 */
export class Engine {
  readonly settings: SettingsStore
  readonly router: Router
  readonly processes: PolledStream<ProcessSnapshot>
  readonly system: PolledStream<SystemMetrics>
  private adapter: ProcessAdapter
  private lastRaw: RawProcessSample | undefined
  private readonly systemSampler = new SystemSampler()
  private readonly log: (message: string) => void

  constructor(private readonly options: EngineOptions) {
    this.log = options.log ?? ((m) => console.error(m))
    this.settings = new SettingsStore(options.dataDir)
    for (const notice of this.settings.notices) this.log(notice)
    this.adapter = createProcessAdapter(this.settings.get().platformAdapter)
    const interval = () => this.settings.get().refreshInterval
    const onError = (what: string) => (err: unknown) => this.log(`${what} failed: ${(err as Error).message}`)
    this.processes = new PolledStream(() => this.readProcesses(), interval, onError('process sampling'))
    this.system = new PolledStream(() => this.systemSampler.sample(), interval, onError('system sampling'))

    this.settings.onChange((next, prev) => {
      if (next.platformAdapter !== prev.platformAdapter) {
        this.adapter.close()
        this.adapter = createProcessAdapter(next.platformAdapter)
        this.lastRaw = undefined
      }
      if (next.refreshInterval !== prev.refreshInterval) {
        this.processes.reschedule()
        this.system.reschedule()
      }
    })

    this.router = new Router(
      {
        getAppInfo: () => this.appInfo(),
        getProcessList: () => this.processList(),
        getSystemMetrics: () => this.systemSampler.sample(),
        getSettings: () => this.settings.get(),
        updateSettings: (patch) => this.settings.update(patch),
      },
      {
        subscribeToProcessUpdates: (_params, sink) => this.processes.subscribe((s) => sink.next(s)),
        subscribeToSystemMetrics: (_params, sink) => this.system.subscribe((s) => sink.next(s)),
      },
    )
  }

  appInfo(): AppInfo {
    return {
      name: 'Proctor',
      version: this.options.version,
      platform: process.platform,
      adapter: this.adapter.kind,
      pid: process.pid,
      dataDir: this.options.dataDir,
      notices: [...this.settings.notices],
    }
  }

  /** Reads the process table and derives CPU % against the previous reading. */
  async readProcesses(): Promise<ProcessSnapshot> {
    const raw = await this.adapter.sample()
    const snapshot = deriveSnapshot(this.lastRaw, raw)
    this.lastRaw = raw
    return snapshot
  }

  /**
   * The latest snapshot: from the live stream when it runs; otherwise a
   * fresh reading, preceded by a short first one when there is no recent
   * reading to measure CPU against.
   */
  async processList(): Promise<ProcessSnapshot> {
    const staleAfter = Math.max(5000, 3 * this.settings.get().refreshInterval)
    if (!this.lastRaw || Date.now() - this.lastRaw.timestamp > staleAfter) {
      await this.readProcesses()
      await new Promise((r) => setTimeout(r, FIRST_READING_GAP_MS))
    }
    return this.readProcesses()
  }

  close(): void {
    this.processes.stop()
    this.system.stop()
    this.adapter.close()
  }
}
