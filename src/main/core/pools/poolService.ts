import type { Unsubscribe } from '../../../shared/contract'
import { ProctorError } from '../../../shared/errors'
import { isTerminal, resolvePool, type PoolDefinition, type PoolsOverview, type PoolStatus, type TaskView } from '../../../shared/pools/pool'
import type { StreamSink } from '../../../shared/rpc/router'
import type { Settings } from '../../../shared/settings'
import type { Caller } from '../../../shared/types/caller'
import type { PoolAuditEntry } from '../../../shared/types/control'
import { formatDelay } from '../../../shared/supervisor/schedule'
import { IPC_OFF_MESSAGE } from '../broker/brokerService'
import type { Cadence } from '../cadence'
import { audited, type AuditLog } from '../control/auditLog'
import type { Log, SettingsSource } from '../service'
import { Pool, type WorkerSupervisor } from './pool'
import type { PoolBroker } from './poolBroker'
import { PoolStore } from './poolStore'
import type { PoolsSlice } from './slice'
import { Task } from './task'

/** What the pools slice may use of the engine it is built into. */
export interface PoolsContext {
  dataDir: string
  settings: SettingsSource
  cadence: Pick<Cadence, 'interval'>
  /** Where pool changes and cancelled tasks are recorded with their caller; none in tests that do not look. */
  audit?: Pick<AuditLog, 'append'>
  log: Log
}

export interface PoolServiceOptions {
  supervisor: WorkerSupervisor
  broker: PoolBroker
  /** Ended tasks kept for getTask and awaitTask, oldest dropped first. */
  keepEnded?: number
  random?: () => number
}

export const POOLING_OFF_MESSAGE =
  'worker pools are off: turn on enablePooling in the settings (updateSettings { "enablePooling": true }); pools need IPC too (enableIPC)'

/** Overview pushes are at most this often; a burst of changes becomes one. */
const PUSH_MS = 250
const KEEP_ENDED = 100_000
/** What a task request adds around its payload in a frame (ids, attempt, field names), with room to spare. */
const FRAME_ENVELOPE_BYTES = 512

/**
 * The owner's worker pools: their definitions (persisted in the data
 * folder, started again at the owner's start), one Pool each, the tasks
 * by id, and the contract's pool calls and stream. Pools use the
 * supervisor (workers are supervised programs) and the broker (tasks are
 * Proctor's requests to them), never the reverse.
 */
export class PoolService implements PoolsSlice {
  private readonly store: PoolStore
  private readonly pools = new Map<string, Pool>()
  private readonly tasks = new Map<string, Task>()
  /** Ended tasks in the order they ended, for the bound on what is kept. */
  private readonly ended: string[] = []
  private endedHead = 0
  private readonly awaiting = new Map<string, Set<(view: TaskView) => void>>()
  private readonly notices: string[] = []
  private readonly listeners = new Set<(o: PoolsOverview) => void>()
  private seq = 0
  private pushTimer: NodeJS.Timeout | undefined
  private tickTimer: NodeJS.Timeout | undefined
  private lastPush = 0
  private closed = false
  private readonly unsubscribe: () => void
  private applying: Promise<void> = Promise.resolve()
  private activeKey = ''

  readonly handlers: PoolsSlice['handlers'] = {
    createPool: ({ poolId, config }, caller) =>
      this.audited('create', poolId, caller, () => this.create(poolId, config), (s) => `created with ${s.workers.length} worker${s.workers.length === 1 ? '' : 's'} starting`),
    removePool: ({ poolId, force }, caller) =>
      this.audited(
        'remove',
        poolId,
        caller,
        () => this.remove(poolId, force),
        (r) => (r.drained ? 'removed after its tasks ended' : `removed at once${r.cancelled > 0 ? `, ${r.cancelled} task${r.cancelled === 1 ? '' : 's'} cancelled` : ''}`),
      ),
    scalePool: ({ poolId, targetSize }, caller) =>
      this.audited(
        'scale',
        poolId,
        caller,
        () => {
          const pool = this.require(poolId)
          this.assertOn()
          pool.scale(targetSize)
          return pool.status()
        },
        () => `scaled to ${targetSize} worker${targetSize === 1 ? '' : 's'}`,
      ),
    submitTaskToPool: ({ poolId, payload, timeout, priority }) => {
      const pool = this.require(poolId)
      this.assertOn()
      this.assertFits(poolId, payload)
      const task = new Task(`${poolId}/${++this.seq}`, poolId, payload, priority, timeout ?? pool.definition.taskTimeout)
      pool.submit(task)
      if (!isTerminal(task.state)) this.tasks.set(task.id, task)
      return { taskId: task.id, poolId, queued: pool.queued }
    },
    getTask: ({ taskId }) => this.task(taskId).view(),
    awaitTask: ({ taskId, timeoutMs }) => this.awaitTask(taskId, timeoutMs),
    cancelTask: ({ taskId }, caller) =>
      this.audited(
        'cancel',
        taskId,
        caller,
        () => {
          const task = this.task(taskId)
          const pool = this.pools.get(task.poolId)
          const cancelled = pool ? pool.cancel(task) : false
          return { cancelled, task: task.view() }
        },
        (r) => (r.cancelled ? 'cancelled' : `had ended already (${r.task.state})`),
      ),
    getPoolStatus: ({ poolId }) => {
      const pool = this.require(poolId)
      // CPU since the last look (none on the first), memory now.
      pool.sampleUsage()
      return pool.status()
    },
    getPoolMetrics: ({ poolId }) => this.require(poolId).metrics(),
    getAllPools: () => {
      const { enabled, ipc } = this.switches()
      return { enabled, ipc, pools: [...this.pools.values()].map((p) => p.status()), notices: this.notices.slice() }
    },
  }

  readonly streams: PoolsSlice['streams'] = {
    subscribeToPools: (_params, sink) => this.subscribe(sink),
  }

  constructor(
    private readonly context: PoolsContext,
    private readonly options: PoolServiceOptions,
  ) {
    this.store = new PoolStore(context.dataDir)
    this.notices.push(...this.store.notices)
    for (const notice of this.store.notices) context.log(notice)
    for (const definition of this.store.list()) this.pools.set(definition.id, this.build(definition))
    this.unsubscribe = context.settings.onChange((next, prev) => {
      if (next.enablePooling !== prev.enablePooling || next.enableIPC !== prev.enableIPC || next.ipcConfig.socketDir !== prev.ipcConfig.socketDir) {
        void this.follow()
      }
    })
  }

  /** After the broker's begin: the pools' workers start if pooling and IPC are on. */
  begin(): Promise<void> {
    return this.follow()
  }

  /** Stops every pool's workers (tasks still waiting fail with UNAVAILABLE); the definitions stay for the next owner. */
  async shutdown(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.unsubscribe()
    await Promise.all([...this.pools.values()].map((p) => p.close('Proctor is shutting down')))
    this.close()
  }

  close(): void {
    this.closed = true
    this.unsubscribe()
    if (this.pushTimer) clearTimeout(this.pushTimer)
    if (this.tickTimer) clearTimeout(this.tickTimer)
    this.listeners.clear()
    for (const pool of this.pools.values()) void pool.close('Proctor is closing')
  }

  overview(): PoolsOverview {
    const { enabled, ipc } = this.switches()
    return {
      enabled,
      ipc,
      pools: [...this.pools.values()].map((p) => ({ ...p.status(), metrics: p.metrics() })),
      notices: this.notices.slice(),
    }
  }

  /** Each pool's task wait and run times by bucket, for /metrics. */
  histograms(): Array<{ poolId: string } & ReturnType<Pool['histograms']>> {
    return [...this.pools.values()].map((p) => ({ poolId: p.id, ...p.histograms() }))
  }

  // ------------------------------------------------------------ the switches

  private switches(): { enabled: boolean; ipc: boolean } {
    const s = this.context.settings.get()
    return { enabled: s.enablePooling, ipc: s.enableIPC }
  }

  /** Why pools cannot run now, or undefined when they can. */
  private offReason(s: Settings = this.context.settings.get()): string | undefined {
    if (!s.enablePooling) return POOLING_OFF_MESSAGE
    if (!s.enableIPC) return `worker pools need the IPC broker: ${IPC_OFF_MESSAGE}`
    if (!this.options.broker.isListening) return 'worker pools need the IPC broker, which does not listen (see the IPC page for why)'
    return undefined
  }

  private assertOn(): void {
    const why = this.offReason()
    if (why) throw new ProctorError('UNAVAILABLE', why, { setting: this.context.settings.get().enablePooling ? 'enableIPC' : 'enablePooling' })
  }

  /** Pools follow the switches and the broker, one change at a time; a broker that moved means new workers. */
  private follow(): Promise<void> {
    this.applying = this.applying
      .then(async () => {
        await this.options.broker.settled()
        if (this.closed) return
        const why = this.offReason()
        const s = this.context.settings.get()
        const key = why ? '' : `${s.ipcConfig.socketDir ?? ''}`
        if (key !== this.activeKey || why) await Promise.all([...this.pools.values()].map((p) => p.setActive(false, why ?? 'the IPC broker moved')))
        this.activeKey = key
        if (!why) await Promise.all([...this.pools.values()].map((p) => p.setActive(true)))
      })
      .catch((err: unknown) => this.context.log(`pools: ${String(err)}`))
    return this.applying
  }

  // ------------------------------------------------------------------ pools

  private require(poolId: string): Pool {
    const pool = this.pools.get(poolId)
    if (!pool) throw new ProctorError('NOT_FOUND', `no pool is named "${poolId}"`, { poolId })
    return pool
  }

  private build(definition: PoolDefinition): Pool {
    return new Pool(definition, {
      supervisor: this.options.supervisor,
      broker: this.options.broker,
      settings: () => this.context.settings.get(),
      log: this.context.log,
      changed: () => this.changed(),
      ended: (task) => this.taskEnded(task),
      ...(this.options.random ? { random: this.options.random } : {}),
    })
  }

  private async create(poolId: string, config: Parameters<typeof resolvePool>[1]): Promise<PoolStatus> {
    this.assertOn()
    const existing = this.pools.get(poolId)
    if (existing) {
      const why = existing.draining ? 'is being removed; create it again once it is gone' : 'exists already'
      throw new ProctorError('INVALID_ARGUMENT', `create pool "${poolId}": poolId: a pool "${poolId}" ${why}`, { issues: [{ path: ['poolId'], message: why }] })
    }
    const definition = resolvePool(poolId, config, this.context.settings.get().poolConfig)
    this.store.add(definition)
    const pool = this.build(definition)
    this.pools.set(poolId, pool)
    await pool.setActive(true)
    return pool.status()
  }

  private async remove(poolId: string, force: boolean): Promise<{ removed: string; drained: boolean; cancelled: number }> {
    const pool = this.require(poolId)
    if (pool.draining && !force) throw new ProctorError('INVALID_ARGUMENT', `remove pool "${poolId}": it is being removed already (force: true stops it at once)`)
    // Off the disk first: whatever happens to the drain, the pool does not come back at the next start.
    this.store.remove(poolId)
    const result = await pool.remove(force)
    if (this.pools.get(poolId) === pool) this.pools.delete(poolId)
    this.changed()
    return { removed: poolId, ...result }
  }

  private audited<T>(verb: PoolAuditEntry['verb'], target: string, caller: Caller, run: () => T | Promise<T>, outcome: (r: T) => string): Promise<T> {
    return audited(this.context.audit, { action: 'pool', verb, target, caller }, run, outcome)
  }

  // ------------------------------------------------------------------ tasks

  /** A payload too large for one broker frame is bad input, refused at once rather than failed at dispatch. */
  private assertFits(poolId: string, payload: unknown): void {
    const limit = this.options.broker.maxFrameBytes - FRAME_ENVELOPE_BYTES
    const text = JSON.stringify(payload) ?? 'null'
    // Characters are at most 3 bytes of UTF-8 each (a pair of surrogates, 4 for 2): counted only near the limit.
    if (text.length * 3 <= limit) return
    const bytes = Buffer.byteLength(text)
    if (bytes <= limit) return
    throw new ProctorError('INVALID_ARGUMENT', `submit task to pool "${poolId}": payload: is ${bytes} bytes as JSON; a task carries at most ${limit}`, {
      issues: [{ path: ['payload'], message: `at most ${limit} bytes as JSON` }],
    })
  }

  private task(taskId: string): Task {
    const task = this.tasks.get(taskId)
    if (!task) throw new ProctorError('NOT_FOUND', `no task "${taskId}" (unknown, or ended long enough ago to be forgotten)`, { taskId })
    return task
  }

  private awaitTask(taskId: string, timeoutMs: number): Promise<TaskView> | TaskView {
    const task = this.task(taskId)
    if (isTerminal(task.state)) return task.view()
    return new Promise<TaskView>((resolve, reject) => {
      let set = this.awaiting.get(taskId)
      if (!set) this.awaiting.set(taskId, (set = new Set()))
      const waiter = (view: TaskView) => {
        clearTimeout(timer)
        resolve(view)
      }
      const timer = setTimeout(() => {
        set.delete(waiter)
        if (set.size === 0) this.awaiting.delete(taskId)
        reject(new ProctorError('TIMEOUT', `task "${taskId}" has not ended within ${formatDelay(timeoutMs)}: it is ${task.state} (it goes on)`, { taskId, state: task.state }))
      }, timeoutMs)
      set.add(waiter)
    })
  }

  private taskEnded(task: Task): void {
    this.tasks.set(task.id, task)
    this.ended.push(task.id)
    const keep = this.options.keepEnded ?? KEEP_ENDED
    while (this.ended.length - this.endedHead > keep) this.tasks.delete(this.ended[this.endedHead++]!)
    if (this.endedHead > 4096 && this.endedHead * 2 > this.ended.length) {
      this.ended.splice(0, this.endedHead)
      this.endedHead = 0
    }
    const waiters = this.awaiting.get(task.id)
    if (waiters) {
      this.awaiting.delete(task.id)
      const view = task.view()
      for (const w of waiters) w(view)
    }
  }

  // ---------------------------------------------------------------- streams

  private changed(): void {
    if (this.listeners.size === 0 || this.pushTimer || this.closed) return
    this.pushTimer = setTimeout(() => this.push(), Math.max(0, this.lastPush + PUSH_MS - Date.now()))
  }

  private push(): void {
    if (this.pushTimer) clearTimeout(this.pushTimer)
    this.pushTimer = undefined
    if (this.listeners.size === 0) return
    this.lastPush = Date.now()
    const overview = this.overview()
    for (const l of this.listeners) l(overview)
  }

  /** While someone watches: workers' CPU and memory every refresh. */
  private tick(): void {
    if (this.tickTimer || this.listeners.size === 0 || this.closed) return
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined
      for (const pool of this.pools.values()) pool.sampleUsage()
      this.push()
      this.tick()
    }, this.context.cadence.interval())
  }

  private subscribe(sink: StreamSink<PoolsOverview>): Unsubscribe {
    const listener = (o: PoolsOverview) => sink.next(o)
    this.listeners.add(listener)
    for (const pool of this.pools.values()) pool.sampleUsage()
    sink.next(this.overview())
    this.tick()
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0 && this.tickTimer) {
        clearTimeout(this.tickTimer)
        this.tickTimer = undefined
      }
    }
  }
}
