import { Engine, type EngineOptions } from '../engine'
import type { OwnerInfo } from '../../../shared/supervisor/status'
import { BrokerService } from '../broker/brokerService'
import { MetricsEndpoint } from '../metrics/metricsEndpoint'
import { SupervisorService } from '../supervisor/supervisorService'
import { PoolService } from '../pools/poolService'
import { readOwnerRecord } from './controlClient'
import { startControlServer, type ControlServer, type OwnerRecord } from './controlServer'
import { OwnerLock, type LockHolder, type OwnerKind } from './ownerLock'
import { RemoteOwner } from './remoteOwner'
import { ensureRuntimeDir, runtimeDirFor } from './runtimeDir'
import { dataDirProblem } from '../store/dataDirCheck'
import { noSupervisor } from '../supervisor/slice'
import { noBroker } from '../broker/slice'
import { noPools } from '../pools/slice'

/**
 * One engine per user owns the programs: whichever of the desktop app,
 * `proctor daemon` and `proctor serve` takes the lock in the data folder.
 * takeOwnership is the one way they start: it takes the lock and builds
 * the owner's engine with its supervisor and control socket, or, when
 * another owner runs, builds an engine whose supervisor calls go to it
 * (or refuses, for the daemon, which only ever owns).
 */

export interface TakeOwnershipOptions {
  dataDir: string
  kind: OwnerKind
  /** The engine's other options (version, log, desktop, ...). */
  engineOptions: Omit<EngineOptions, 'dataDir' | 'supervisor'>
  /** Default: runtimeDirFor(dataDir) (PROCTOR_RUNTIME_DIR, $XDG_RUNTIME_DIR/proctor/..., <dataDir>/run). */
  runtimeDir?: string
  /** When another owner runs: 'client' (default) shows its programs through it; 'refuse' throws OwnedElsewhereError. */
  ifOwned?: 'client' | 'refuse'
  /** Desktop notifications of the supervisor (a program gone FATAL, ...). */
  notify?: (title: string, body: string) => void
  /** How this engine names itself to the owner when it is a client. */
  clientName?: string
}

interface Common {
  engine: Engine
  runtimeDir: string
  /** Stops what this engine supervises (the owner), closes the engine, lets go of the lock. */
  close(): Promise<void>
}

/**
 * 'owner' supervises; 'client' shows another owner's programs; 'monitor'
 * could not write the data folder, so it neither owns nor takes part in
 * ownership (no lock, no control socket) and runs the monitor alone,
 * saying so in its start-up notices.
 */
export type Ownership =
  | (Common & { role: 'owner'; owner: OwnerInfo; server: ControlServer; metrics: MetricsEndpoint })
  | (Common & { role: 'client'; owner: OwnerInfo; remote: RemoteOwner })
  | (Common & { role: 'monitor'; problem: string })

const KIND_NAMES: Record<OwnerKind, string> = { desktop: 'the desktop app', daemon: '`proctor daemon` (or `proctor serve`)' }

/** The data folder cannot be written, and the caller only ever owns (the daemon). */
export class DataDirUnwritableError extends Error {}

/** What a monitor-only engine still does and what it does not, for its start-up notice. */
export function monitorOnlyNotice(problem: string): string {
  return (
    `${problem[0]!.toUpperCase()}${problem.slice(1)}. Proctor runs as a monitor only: processes, system metrics, ports and process actions work, ` +
    'but settings cannot be changed, actions are not written to the audit log, and programs, worker pools and the IPC broker are off ' +
    '(`proctor` commands cannot reach this instance). Make the folder writable, or choose another one (--data-dir or PROCTOR_DATA_DIR), and start Proctor again.'
  )
}

/** Another engine owns the data folder's programs. */
export class OwnedElsewhereError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly record: OwnerRecord | undefined,
    dataDir: string,
  ) {
    super(
      `the programs of ${dataDir} are already supervised by ${KIND_NAMES[holder.kind]}, pid ${holder.pid}, since ${new Date(holder.since).toISOString()}` +
        (record ? `, listening on ${record.socket}` : '') +
        `: use \`proctor programs ...\` to talk to it, or stop it first (kill ${holder.pid})`,
    )
  }
}

export async function takeOwnership(options: TakeOwnershipOptions): Promise<Ownership> {
  const { dataDir, kind } = options
  const runtimeDir = options.runtimeDir ?? runtimeDirFor(dataDir)
  // The lock, the registry and the logs live in the data folder: without it nothing can be supervised.
  const problem = dataDirProblem(dataDir)
  if (problem) {
    if (options.ifOwned === 'refuse') {
      throw new DataDirUnwritableError(`${problem}: the daemon keeps its programs and its lock there; make it writable or choose another (--data-dir or PROCTOR_DATA_DIR)`)
    }
    const off = `${problem}, so Proctor runs as a monitor only`
    const engine = new Engine({
      ...options.engineOptions,
      dataDir,
      notices: [monitorOnlyNotice(problem)],
      supervisor: () => noSupervisor(`${off}: programs cannot be supervised`),
      broker: () => noBroker(`${off}: the IPC broker is off`),
      pools: () => noPools(`${off}: worker pools are off`),
    })
    return { role: 'monitor', engine, runtimeDir, problem, close: async () => engine.close() }
  }
  const socket = ensureRuntimeDir(runtimeDir)
  const attempt = OwnerLock.acquire(dataDir, kind)

  if (attempt.acquired) {
    const lock = attempt.lock
    // A crash still frees the lock (the next owner sees a dead pid); a plain exit lets go of it at once.
    const onExit = () => lock.release()
    process.once('exit', onExit)
    const owner: OwnerInfo = { kind, pid: process.pid, since: lock.holder.since, socket, local: true }
    let supervisor: SupervisorService | undefined
    let broker: BrokerService | undefined
    let pools: PoolService | undefined
    let engine: Engine | undefined
    let server: ControlServer | undefined
    let metrics: MetricsEndpoint | undefined
    try {
      engine = new Engine({
        ...options.engineOptions,
        dataDir,
        broker: (ctx) => (broker = new BrokerService(ctx, { runtimeDir })),
        supervisor: (ctx) => {
          supervisor = new SupervisorService(ctx, { owner, ...(broker ? { broker } : {}), ...(options.notify ? { notify: options.notify } : {}) })
          return supervisor
        },
        // Pools use the supervisor (workers are its programs) and the broker (tasks are requests): built last.
        pools: (ctx) => {
          if (!supervisor || !broker) throw new Error('internal error: pools need the supervisor and the broker')
          return (pools = new PoolService(ctx, { supervisor, broker }))
        },
      })
      // The broker listens (when IPC is on) before any program starts, so each gets its token;
      // programs left behind by a dead owner found, autostart programs started: then served.
      await broker?.begin()
      await supervisor?.begin()
      await pools?.begin()
      server = await startControlServer({
        router: engine.router,
        runtimeDir,
        owner: { pid: process.pid, startTicks: lock.holder.startTicks, kind, since: lock.holder.since, dataDir },
      })
      // /metrics reports the programs, pools and broker: the owner serves it, whichever kind it is.
      const built = engine
      metrics = new MetricsEndpoint({
        settings: built.settings,
        dataDir,
        log: options.engineOptions.log ?? ((m) => console.error(m)),
        sources: {
          version: options.engineOptions.version,
          adapterSetting: () => built.settings.get().platformAdapter,
          ...(supervisor ? { supervisor } : {}),
          ...(pools ? { pools } : {}),
          ...(broker ? { broker } : {}),
        },
      })
      await metrics.begin()
    } catch (err) {
      await metrics?.close().catch(() => {})
      await server?.close().catch(() => {})
      await pools?.shutdown().catch(() => {})
      await supervisor?.shutdown().catch(() => {})
      engine?.close()
      lock.release()
      process.off('exit', onExit)
      throw err
    }
    const running = server
    const built = engine
    const endpoint = metrics
    let closing: Promise<void> | undefined
    return {
      role: 'owner',
      engine: built,
      owner,
      runtimeDir,
      server: running,
      metrics: endpoint,
      close: () => {
        closing ??= (async () => {
          await endpoint.close()
          await running.close()
          try {
            await pools?.shutdown()
            await supervisor?.shutdown()
          } finally {
            built.close()
            lock.release()
            process.off('exit', onExit)
          }
        })()
        return closing
      },
    }
  }

  const holder = attempt.holder
  const record = readOwnerRecord(runtimeDir)
  if (options.ifOwned === 'refuse') throw new OwnedElsewhereError(holder, record, dataDir)
  const remote = new RemoteOwner(runtimeDir, {
    client: options.clientName ?? `${kind === 'desktop' ? 'desktop app' : 'proctor serve'}, pid ${process.pid}`,
    ...(options.engineOptions.log ? { log: options.engineOptions.log } : {}),
  })
  const engine = new Engine({ ...options.engineOptions, dataDir, supervisor: () => remote, broker: () => remote, pools: () => remote })
  const owner: OwnerInfo = { kind: holder.kind, pid: holder.pid, since: holder.since, socket: record?.socket ?? socket, local: false }
  return {
    role: 'client',
    engine,
    owner,
    runtimeDir,
    remote,
    close: async () => engine.close(),
  }
}
