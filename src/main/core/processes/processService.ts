import type { CallArgs, ProcessTree, Unsubscribe } from '../../../shared/contract'
import { ProctorError } from '../../../shared/errors'
import { sharedDiff } from '../../../shared/process/delta'
import { applyCpuScale } from '../../../shared/process/derive'
import { PROCESS_ORDERS } from '../../../shared/process/sort'
import { buildProcessTree } from '../../../shared/process/tree'
import type { PortsOf } from '../../../shared/ports/byProcess'
import { compileQuery, compileStructuredQuery, parseQuery, QueryError, usesPorts, type QueryEnv } from '../../../shared/query'
import type { StreamSink } from '../../../shared/rpc/router'
import type { ProcessInfo, ProcessSnapshot, ProcessWatchEvent } from '../../../shared/types/process'
import type { Cadence } from '../cadence'
import { PolledStream } from '../polledStream'
import type { Log, Service, SettingsSource } from '../service'
import type { ProcessCollector } from './collector'
import type { AdapterKind } from './factory'
import { ProcessHistoryStore } from './history'
import { currentUser } from './currentUser'
import { checkIdentity } from './identity'

/** A one-shot reading waits this long for a second one so CPU % is real. */
const FIRST_READING_GAP_MS = 250
/** A reading is given up on after two refresh intervals, but never sooner than this (a loaded machine, a first read of 2000 processes). */
const COLLECT_DEADLINE_MIN_MS = 2000

type Calls = 'getProcessList' | 'getProcessTree' | 'findProcesses'
type Streams = 'subscribeToProcessUpdates' | 'subscribeToProcessDeltas' | 'watchProcess'

export interface ProcessServiceDeps {
  settings: SettingsSource
  cadence: Cadence
  collector: ProcessCollector
  log: Log
  /** Each process's ports, read only for a query naming `port` or `listen`. */
  portsOf?: () => Promise<PortsOf>
}

/**
 * Every process: the live stream (read only while someone subscribes),
 * one-shot readings for calls, search, the tree, one process followed by
 * identity, and the per-process history behind the details' charts.
 */
export class ProcessService implements Service<Calls, Streams> {
  readonly stream: PolledStream<ProcessSnapshot>
  readonly history: ProcessHistoryStore
  private lastCollectedAt = 0
  private closed = false
  private readonly diff = sharedDiff()

  readonly handlers: Service<Calls>['handlers'] = {
    getProcessList: () => this.list(),
    getProcessTree: () => this.tree(),
    findProcesses: (args) => this.find(args),
  }

  readonly streams: Service<never, Streams>['streams'] = {
    subscribeToProcessUpdates: (_params, sink) => this.stream.subscribe((s) => sink.next(s)),
    subscribeToProcessDeltas: (_params, sink) => {
      let prev: ProcessSnapshot | undefined
      return this.stream.subscribe((s) => {
        sink.next(this.diff(prev, s))
        prev = s
      })
    },
    watchProcess: (params, sink) => this.watch(params.pid, params.startTime, sink),
  }

  constructor(private readonly deps: ProcessServiceDeps) {
    const settings = deps.settings.get()
    this.history = new ProcessHistoryStore(settings.maxProcessHistory)
    this.stream = new PolledStream(
      () => this.collect(),
      () => deps.cadence.interval(),
      (err) => {
        if (!this.closed) deps.log(`process sampling failed: ${(err as Error).message}`)
      },
      deps.cadence.grid,
    )
    deps.cadence.onChange(() => this.stream.reschedule())
    deps.settings.onChange((next, prev) => {
      if (next.platformAdapter !== prev.platformAdapter) {
        void deps.collector.setAdapter(next.platformAdapter).catch((err: unknown) => {
          if (!this.closed) deps.log(`switching adapters failed: ${(err as Error).message}`)
        })
      }
      if (next.maxProcessHistory !== prev.maxProcessHistory) this.history.setCapacity(next.maxProcessHistory)
    })
  }

  get adapterKind(): AdapterKind {
    return this.deps.collector.adapterKind
  }

  /**
   * The latest snapshot: the live stream's when it is fresh; otherwise a new
   * reading, preceded by a short first one when there is no recent reading
   * to measure CPU against.
   */
  async list(): Promise<ProcessSnapshot> {
    const fresh = this.fresh()
    if (fresh) return fresh
    if (Date.now() - this.lastCollectedAt > Math.max(5000, 3 * this.deps.cadence.interval())) {
      await this.collect()
      await new Promise((r) => setTimeout(r, FIRST_READING_GAP_MS))
    }
    return this.collect()
  }

  /** The live snapshot when fresh, else one reading (CPU % against the last one, if any): for who needs the processes, not their CPU. */
  async current(): Promise<ProcessSnapshot> {
    return this.fresh() ?? this.collect()
  }

  /** The live stream's snapshot while it is at most two refreshes old. */
  private fresh(): ProcessSnapshot | undefined {
    const latest = this.stream.latest
    return latest && Date.now() - latest.timestamp < 2 * this.deps.cadence.interval() ? latest : undefined
  }

  close(): void {
    this.closed = true
    this.stream.stop()
    this.deps.collector.close()
  }

  /**
   * One collection: CPU % against the previous one, in the configured scale,
   * recorded in history. One that hangs for two refresh intervals fails
   * (logged by the stream) and its reader is replaced: the next refresh
   * goes on.
   */
  private async collect(): Promise<ProcessSnapshot> {
    const deadline = Math.max(COLLECT_DEADLINE_MIN_MS, 2 * this.deps.cadence.interval())
    const snapshot = applyCpuScale(await this.deps.collector.collect(deadline), this.deps.settings.get().cpuScale)
    this.lastCollectedAt = Date.now()
    this.history.record(snapshot)
    return snapshot
  }

  private async tree(): Promise<ProcessTree> {
    const snapshot = await this.list()
    return { timestamp: snapshot.timestamp, cpuScale: snapshot.cpuScale, roots: buildProcessTree(snapshot.processes) }
  }

  private async find(args: CallArgs<'findProcesses'>): Promise<ProcessInfo[]> {
    let predicates: ((p: ProcessInfo) => boolean)[]
    try {
      const node = args.query !== undefined ? parseQuery(args.query) : undefined
      const env: QueryEnv = { me: currentUser() }
      if (node !== undefined && usesPorts(node)) {
        if (this.deps.portsOf === undefined) throw new ProctorError('UNAVAILABLE', 'findProcesses: this engine cannot read ports, so `port` and `listen` match nothing')
        env.portsOf = await this.deps.portsOf()
      }
      predicates = [
        ...(node !== undefined ? [compileQuery(node, env)] : []),
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
    const snapshot = await this.list()
    const found = snapshot.processes.filter((p) => predicates.every((match) => match(p)))
    if (args.sortBy) found.sort(PROCESS_ORDERS[args.sortBy])
    return args.limit !== undefined ? found.slice(0, args.limit) : found
  }

  /**
   * Follows one identity: a sample with history each refresh, 'exited' once
   * it is gone. A pid that is not running, or runs another process than
   * the start time names, ends the stream with NOT_FOUND / STALE_PROCESS.
   */
  private watch(pid: number, startTime: number | undefined, sink: StreamSink<ProcessWatchEvent>): Unsubscribe {
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
    const stop = this.stream.subscribe((snapshot) => {
      if (done) return
      const p = snapshot.processes.find((x) => x.pid === pid)
      if (identity === undefined) {
        try {
          identity = checkIdentity({ pid, startTime }, p).startTime
        } catch (err) {
          return finish(err as ProctorError)
        }
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
}
