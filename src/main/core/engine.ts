import type { StreamSources, CallHandlers } from '../../shared/rpc/router'
import { Router } from '../../shared/rpc/router'
import type { AppInfo } from '../../shared/types/system'
import { countStatesOf } from '../../shared/system/processCounts'
import { AppService } from './app/appService'
import { Cadence } from './cadence'
import { AuditLog } from './control/auditLog'
import { noBroker, type BrokerSlice } from './broker/slice'
import { ControlService } from './control/controlService'
import { DesktopService, type NativeDesktop } from './desktop/desktopService'
import { DetailsService } from './details/detailsService'
import { InlineCollector } from './processes/collector'
import { SettingInspector } from './processes/inspector'
import { ProcessService } from './processes/processService'
import type { Service } from './service'
import { INTERNAL_CALLER } from '../../shared/types/caller'
import { SettingsService } from './settings/settingsService'
import { SettingsStore } from './settings/settingsStore'
import { noSupervisor, type SupervisorSlice } from './supervisor/slice'
import { noPools, type PoolsSlice } from './pools/slice'
import type { PoolsContext } from './pools/poolService'
import { createSocketReader } from './ports/factory'
import { PortService } from './ports/portService'
import { createSystemReader } from './system/systemSampler'
import { SystemService } from './system/systemService'

export type { NativeDesktop } from './desktop/desktopService'

/** What the supervisor slice may use of the engine it is built into. */
export interface SupervisorContext {
  dataDir: string
  settings: SettingsStore
  cadence: Cadence
  processes: ProcessService
  control: ControlService
  audit: AuditLog
  inspector: SettingInspector
  log: (message: string) => void
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
  desktop?: NativeDesktop
  /** Pids of Proctor's other processes (the desktop app's renderer, GPU, ...), protected from actions. */
  ownPids?: () => number[]
  /**
   * Sample system metrics in the background for history when the settings
   * ask for it (default). A one-shot CLI command passes false: it exits
   * before any history could be of use.
   */
  backgroundMetrics?: boolean
  /**
   * The supervisor slice: the owner builds its SupervisorService, an
   * engine that found another owner a forwarder to it; left out, the
   * supervisor calls answer UNAVAILABLE, saying how to start an owner.
   */
  supervisor?: (context: SupervisorContext) => SupervisorSlice
  /**
   * The broker slice, built before the supervisor (which gives programs
   * their IPC tokens): the owner's BrokerService, or a forwarder to the
   * owner; left out, the broker calls answer UNAVAILABLE.
   */
  broker?: (context: BrokerContext) => BrokerSlice
  /**
   * The pools slice, built after the broker and the supervisor (pools use
   * both): the owner's PoolService, or a forwarder to the owner; left out,
   * the pool calls answer UNAVAILABLE.
   */
  pools?: (context: PoolsContext) => PoolsSlice
  /** What could not be used at start besides the settings file (a data folder that cannot be written, ...). */
  notices?: readonly string[]
}

/** What the broker slice may use of the engine it is built into. */
export interface BrokerContext {
  dataDir: string
  settings: SettingsStore
  cadence: Cadence
  audit: AuditLog
  inspector: SettingInspector
  log: (message: string) => void
}

/**
 * The engine: plain Node, no electron. A composition root: it builds the
 * services in dependency order, merges their slices of the contract into
 * the one Router every transport shares (the compiler checks that every
 * call and stream has its handler), and closes them in reverse order.
 */
export class Engine {
  readonly settings: SettingsService
  readonly processes: ProcessService
  readonly system: SystemService
  readonly control: ControlService
  readonly details: DetailsService
  readonly audit: AuditLog
  readonly supervisor: SupervisorSlice
  readonly broker: BrokerSlice
  readonly pools: PoolsSlice
  readonly ports: PortService
  readonly desktop: DesktopService
  readonly router: Router
  private readonly cadence: Cadence
  private readonly app: AppService
  private readonly services: ReadonlyArray<Service<never, never>>
  private readonly unfollowSettings: () => void

  constructor(options: EngineOptions) {
    const log = options.log ?? ((m: string) => console.error(m))
    const store = new SettingsStore(options.dataDir)
    for (const notice of [...(options.notices ?? []), ...store.notices]) log(notice)
    const initial = store.get()
    // Another engine of this user (a window beside the daemon) or the user may change the file.
    this.unfollowSettings = store.follow(log)

    this.audit = new AuditLog(options.dataDir)
    this.settings = new SettingsService(store, this.audit)
    this.cadence = new Cadence(store)
    this.processes = new ProcessService({
      settings: store,
      cadence: this.cadence,
      collector: new InlineCollector(initial.platformAdapter, options.collector === 'inline' ? { sliceMs: Infinity } : {}),
      log,
      // Read only for a query naming `port` or `listen`.
      portsOf: () => this.ports.portsOf(),
    })
    // Process counts come free from a fresh process list; without one the reader counts a few per sample.
    const processCounts = () => {
      const s = this.processes.stream.latest
      return s && Date.now() - s.timestamp < 2 * this.cadence.interval() ? countStatesOf(s.processes) : undefined
    }
    this.system = new SystemService({
      settings: store,
      cadence: this.cadence,
      reader: () => createSystemReader({ processCounts }),
      background: options.backgroundMetrics !== false,
      log,
    })
    const inspector = new SettingInspector(store)
    this.control = new ControlService({
      settings: store,
      inspector,
      audit: this.audit,
      ownPids: () => [process.pid, ...(options.ownPids?.() ?? [])],
    })
    this.details = new DetailsService({ inspector })
    const desktop = (this.desktop = new DesktopService(options.desktop, inspector))
    this.app = new AppService({
      version: options.version,
      dataDir: options.dataDir,
      adapterKind: () => this.processes.adapterKind,
      notices: () => [...(options.notices ?? []), ...store.notices],
    })

    this.broker = options.broker?.({ dataDir: options.dataDir, settings: store, cadence: this.cadence, audit: this.audit, inspector, log }) ?? noBroker()
    this.supervisor =
      options.supervisor?.({ dataDir: options.dataDir, settings: store, cadence: this.cadence, processes: this.processes, control: this.control, audit: this.audit, inspector, log }) ??
      noSupervisor()
    this.pools = options.pools?.({ dataDir: options.dataDir, settings: store, cadence: this.cadence, audit: this.audit, log }) ?? noPools()

    const supervisor = this.supervisor
    this.ports = new PortService({
      processes: () => this.processes.current(),
      programs: async () => {
        const overview = await supervisor.handlers.listPrograms(undefined, INTERNAL_CALLER)
        return new Map(overview.programs.flatMap((p) => p.pids.map((pid) => [pid, p.name] as const)))
      },
      reader: createSocketReader(),
      cadence: this.cadence,
      log,
      root: process.getuid?.() === 0,
    })

    const { app, settings, processes, system, control, details, broker, pools, ports } = this
    this.services = [settings, processes, system, control, details, broker, supervisor, pools, ports, desktop, app]
    this.router = new Router(
      {
        ...app.handlers,
        ...settings.handlers,
        ...processes.handlers,
        ...control.handlers,
        ...details.handlers,
        ...system.handlers,
        ...desktop.handlers,
        ...supervisor.handlers,
        ...broker.handlers,
        ...pools.handlers,
        ...ports.handlers,
      } satisfies CallHandlers,
      {
        ...processes.streams,
        ...system.streams,
        ...supervisor.streams,
        ...broker.streams,
        ...pools.streams,
        ...ports.streams,
        ...desktop.streams,
      } satisfies StreamSources,
    )
  }

  /** A window shows Proctor (foreground) or none does (tray only): the samplers' pace follows. */
  setForeground(foreground: boolean): void {
    this.cadence.setForeground(foreground)
  }

  get isForeground(): boolean {
    return this.cadence.isForeground
  }

  refreshInterval(): number {
    return this.cadence.interval()
  }

  appInfo(): AppInfo {
    return this.app.info()
  }

  close(): void {
    this.unfollowSettings()
    for (const service of [...this.services].reverse()) service.close?.()
  }
}
