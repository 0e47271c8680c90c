import { ProctorError } from '../../../shared/errors'
import { POOL_ENV, workerName, type PoolDefinition, type PoolMetrics, type PoolStatus, type TaskError, type TaskResponse, type TaskState } from '../../../shared/pools/pool'
import type { Settings } from '../../../shared/settings'
import { formatDelay } from '../../../shared/supervisor/schedule'
import { parseProgram, MiB, type Program } from '../../../shared/supervisor/program'
import type { Log } from '../service'
import type { ManagedProgram } from '../supervisor/managedProgram'
import { describeExit } from '../supervisor/runner'
import { pickWorker } from './balancer'
import { PoolStats } from './poolStats'
import type { PoolBroker } from './poolBroker'
import type { Task } from './task'
import { TaskQueue } from './taskQueue'
import { WorkerSlot } from './workerSlot'

/** What a pool uses of the supervisor: programs that are not in the user's registry. */
export interface WorkerSupervisor {
  superviseWorker(program: Program, changed: () => void): ManagedProgram
}

export interface PoolDeps {
  supervisor: WorkerSupervisor
  broker: PoolBroker
  settings: () => Settings
  log: Log
  /** Something users see changed (workers, queue, a task ended). */
  changed: () => void
  /** A task reached its terminal state (once per task). */
  ended: (task: Task) => void
  random?: () => number
}

/** A broker request's own timeout, past the task's: the pool's timer decides, the broker's only cleans up. */
const REQUEST_SLACK_MS = 5000
/** The pool's own restart of a worker the supervisor does not restart (enableAutoRestart off): first wait, doubled, capped. */
const RESPAWN_MIN_MS = 100
const RESPAWN_MAX_MS = 10_000
/** The least time a worker has to say ready after it is started. */
const READY_TIMEOUT_MS = 30_000

/**
 * One pool: its worker slots (each a supervised program, `pool.<id>.<n>`),
 * its queue, the dispatch of tasks by its load-balancing rule as broker
 * requests, timeouts, retries, scaling between min and max, hung-worker
 * detection on heartbeats, and the counters behind its metrics.
 *
 * Every task ends in exactly one terminal state: finish() is the only way
 * out of queued or running, and it refuses a task already ended. An answer
 * counts only for the attempt under way (its key), so a late answer of an
 * abandoned attempt can neither end a task twice nor free a worker twice.
 */
export class Pool {
  private readonly slots = new Map<number, WorkerSlot>()
  private readonly queue = new TaskQueue<Task>()
  private nextN = 1
  private lastN = 0
  private attemptSeq = 0
  private target: number
  private active = false
  private pumping = false
  private closed = false
  private closing: Promise<void> | undefined
  draining = false
  problem: string | undefined
  /** Workers that keep ending before they are ready (a wrong command, a crash at start), for the user. */
  private failing: string | undefined
  private drainWaiters: Array<() => void> = []
  private idleTimer: NodeJS.Timeout | undefined
  private healthTimer: NodeJS.Timeout | undefined
  private readonly stats = new PoolStats()

  constructor(
    readonly definition: PoolDefinition,
    private readonly deps: PoolDeps,
  ) {
    this.target = definition.minWorkers
  }

  get id(): string {
    return this.definition.id
  }

  get queued(): number {
    return this.queue.size
  }

  get runningCount(): number {
    let n = 0
    for (const s of this.slots.values()) if (s.task?.state === 'running') n++
    return n
  }

  // ------------------------------------------------------------ lifecycle

  /** Workers run while the pool is active (pooling and IPC on); turned off, they stop and what waits fails with `why`. */
  async setActive(on: boolean, why?: string): Promise<void> {
    if (this.closed) return
    if (on) {
      this.problem = undefined
      if (this.active) return
      this.active = true
      this.ensureSize()
      this.startTimers()
      this.deps.changed()
      return
    }
    this.problem = why
    if (!this.active) return this.deps.changed()
    this.active = false
    this.stopTimers()
    this.failAll('failed', { code: 'UNAVAILABLE', message: why ?? 'the pool was turned off' })
    await this.stopWorkers(why ?? 'the pool was turned off')
    this.deps.changed()
  }

  /**
   * Removal: new tasks are refused at once; without force, what waits and
   * runs finishes first (drain); with force, it is cancelled. Then the
   * workers stop. Resolves with whether it drained and how many tasks were cancelled.
   */
  async remove(force: boolean): Promise<{ drained: boolean; cancelled: number }> {
    this.draining = true
    this.deps.changed()
    let cancelled = 0
    const drains = !force && this.active
    if (!drains) {
      cancelled = this.failAll('cancelled', { code: 'REMOVED', message: force ? `pool "${this.id}" was removed (force)` : `pool "${this.id}" was removed` })
    } else if (this.queue.size > 0 || this.runningCount > 0) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve))
    }
    await this.close(`pool "${this.id}" was removed`)
    return { drained: drains, cancelled }
  }

  /** Stops every worker; tasks still waiting fail with UNAVAILABLE (Proctor shutting down, the pool removed). Resolves once they are gone. */
  close(reason = 'Proctor is shutting down'): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true
      this.active = false
      this.stopTimers()
      this.failAll('failed', { code: 'UNAVAILABLE', message: reason })
      for (const w of this.drainWaiters.splice(0)) w()
      await this.stopWorkers(reason)
    })()
    return this.closing
  }

  /** A new size within min..max: workers start, or idle ones (then busy ones, once done) stop. */
  scale(targetSize: number): void {
    if (this.draining) throw new ProctorError('UNAVAILABLE', `pool "${this.id}" is being removed: it cannot be scaled`, { poolId: this.id })
    const { minWorkers, maxWorkers } = this.definition
    if (targetSize < minWorkers || targetSize > maxWorkers) {
      throw new ProctorError('INVALID_ARGUMENT', `scale pool "${this.id}": targetSize: must be within minWorkers..maxWorkers (${minWorkers}..${maxWorkers}), got ${targetSize}`, {
        issues: [{ path: ['targetSize'], message: `must be within ${minWorkers}..${maxWorkers}` }],
      })
    }
    this.target = targetSize
    // A worker given up on (fatal) gets another chance when the user sizes the pool.
    for (const s of this.slots.values()) if (s.m.runner.state === 'fatal' && !s.retiring && this.active) s.m.start('started again: the pool was scaled')
    this.ensureSize()
    this.deps.changed()
  }

  // ---------------------------------------------------------------- tasks

  submit(task: Task): void {
    if (this.draining) throw new ProctorError('UNAVAILABLE', `pool "${this.id}" is being removed: it takes no new tasks`, { poolId: this.id })
    if (!this.active) throw new ProctorError('UNAVAILABLE', `pool "${this.id}" does not run: ${this.problem ?? 'it is off'}`, { poolId: this.id })
    if (this.queue.size >= this.definition.maxQueueSize) {
      throw new ProctorError('QUEUE_FULL', `pool "${this.id}" has ${this.queue.size} tasks waiting, its limit (maxQueueSize): try again later`, {
        poolId: this.id,
        maxQueueSize: this.definition.maxQueueSize,
      })
    }
    this.stats.submitted()
    this.queue.push(task, task.priority)
    this.pump()
  }

  /** Cancels a task of this pool; false when it had ended. A running task is abandoned: its worker stays busy until it answers or times out. */
  cancel(task: Task): boolean {
    if (task.state === 'queued') {
      this.queue.remove(task, task.priority)
      this.finish(task, 'cancelled', { error: { code: 'CANCELLED', message: 'cancelled while queued' } })
      this.afterChange()
      return true
    }
    if (task.state === 'running') {
      const key = task.attemptKey
      const slot = [...this.slots.values()].find((s) => s.attemptKey === key && key !== undefined)
      const left = (task.startedAt ?? Date.now()) + task.timeoutMs - Date.now()
      this.finish(task, 'cancelled', { error: { code: 'CANCELLED', message: `cancelled while running on ${task.worker}` } })
      // Its worker still runs it: past the task's timeout it is replaced all the same, or it would stay busy for good.
      if (slot && key !== undefined) {
        slot.abandoned = setTimeout(() => this.timedOut(slot, task, key), Math.max(0, left))
        slot.abandoned.unref()
      }
      this.afterChange()
      return true
    }
    return false
  }

  // ------------------------------------------------------------- dispatch

  private pump(): void {
    if (this.pumping) return
    this.pumping = true
    try {
      while (this.queue.size > 0 && this.active) {
        const ready: WorkerSlot[] = []
        for (const s of this.slots.values()) if (s.ready && !s.retiring && !s.replacing) ready.push(s)
        const slot = pickWorker(this.definition.loadBalancing, ready, this.lastN, this.deps.random)
        if (!slot) break
        this.dispatch(slot, this.queue.shift()!)
      }
      this.grow()
    } finally {
      this.pumping = false
    }
    this.checkDrained()
  }

  private dispatch(slot: WorkerSlot, task: Task): void {
    this.integrate()
    const now = Date.now()
    const key = ++this.attemptSeq
    if (task.attempts === 0) this.stats.firstRun(now - task.submittedAt)
    task.state = 'running'
    task.attempts++
    task.startedAt = now
    task.worker = slot.name
    task.attemptKey = key
    slot.task = task
    slot.attemptKey = key
    this.lastN = slot.n
    task.timer = setTimeout(() => this.timedOut(slot, task, key), task.timeoutMs)
    const request = { task: { id: task.id, attempt: task.attempts, payload: task.payload } }
    let sent: Promise<{ payload: unknown }>
    try {
      sent = this.deps.broker.request(`p:${slot.name}`, request, task.timeoutMs + REQUEST_SLACK_MS)
    } catch (err) {
      // Refused before anything was sent (not connected, a payload the broker cannot frame): answered below, after this turn.
      sent = Promise.reject(err)
    }
    sent.then(
      (r) => this.answered(slot, task, key, r.payload),
      (err: unknown) => this.requestFailed(slot, task, key, err),
    )
  }

  private answered(slot: WorkerSlot, task: Task, key: number, payload: unknown): void {
    if (slot.attemptKey !== key) return
    this.release(slot)
    if (task.attemptKey === key && task.state === 'running') {
      const r = payload as TaskResponse | null
      if (r && typeof r === 'object' && r.ok === true) {
        slot.tasksDone++
        this.finish(task, 'done', { result: r.result })
      } else if (r && typeof r === 'object' && r.ok === false && r.error && typeof r.error.message === 'string') {
        slot.tasksFailed++
        const e = r.error
        this.finish(task, 'failed', {
          error: { code: 'HANDLER_ERROR', message: e.message, ...(typeof e.name === 'string' ? { name: e.name } : {}), ...(typeof e.stack === 'string' ? { stack: e.stack } : {}) },
        })
      } else {
        slot.tasksFailed++
        this.finish(task, 'failed', { error: { code: 'BAD_RESPONSE', message: `${slot.name} answered without { ok, result } (does it use serveTasks?)` } })
      }
    }
    this.afterTask(slot)
  }

  private requestFailed(slot: WorkerSlot, task: Task, key: number, err: unknown): void {
    if (slot.attemptKey !== key) return
    const e = err instanceof ProctorError ? err : new ProctorError('INTERNAL', String(err))
    if (e.code === 'INTERNAL' && e.details?.remoteError) {
      // The worker answered with a broker error of its own (not through serveTasks): the task failed, the worker is fine.
      this.release(slot)
      slot.tasksFailed++
      if (task.attemptKey === key && task.state === 'running') this.finish(task, 'failed', { error: { code: 'HANDLER_ERROR', message: e.message } })
      this.afterTask(slot)
      return
    }
    if (e.code === 'TIMEOUT') return this.timedOut(slot, task, key)
    if (e.code === 'INVALID_ARGUMENT') {
      // The broker cannot send this payload (over its frame limit): the task fails, the worker never saw it.
      this.release(slot)
      if (task.attemptKey === key && task.state === 'running') this.finish(task, 'failed', { error: { code: 'BAD_PAYLOAD', message: e.message } })
      return this.afterChange()
    }
    if (e.code === 'NOT_FOUND' && task.attemptKey === key && task.state === 'running') {
      // Not connected (gone a moment before its exit is handled): the task was never sent; it waits for another worker, no attempt spent.
      slot.ready = false
      this.release(slot)
      if (task.timer) clearTimeout(task.timer)
      task.timer = undefined
      task.attemptKey = undefined
      task.attempts--
      task.state = 'queued'
      this.queue.unshift(task, task.priority)
      return this.afterChange()
    }
    // Disconnected before it answered, or not connected at all: the worker is gone or going.
    slot.ready = false
    this.lost(slot, `${slot.name} went away while running it (${e.message})`)
    this.afterChange()
  }

  private timedOut(slot: WorkerSlot, task: Task, key: number): void {
    if (task.attemptKey === key && task.state === 'running') {
      slot.tasksFailed++
      this.finish(task, 'timed_out', { error: { code: 'TIMEOUT', message: `no result from ${slot.name} within ${formatDelay(task.timeoutMs)}: the worker is replaced` } })
    }
    if (slot.attemptKey === key) {
      this.release(slot)
      this.replace(slot, `a task ran past its timeout (${formatDelay(task.timeoutMs)})`)
    }
    this.afterChange()
  }

  /** The worker's run ended under its task: retried elsewhere while attempts remain, else failed with the reason. */
  private lost(slot: WorkerSlot, reason: string): void {
    const task = slot.task
    const key = slot.attemptKey
    this.release(slot)
    if (!task || task.attemptKey !== key || task.state !== 'running') return
    if (task.timer) clearTimeout(task.timer)
    task.timer = undefined
    task.attemptKey = undefined
    if (task.attempts <= this.definition.retries && this.active && !this.closed) {
      this.stats.retried()
      task.state = 'queued'
      this.queue.unshift(task, task.priority)
      return
    }
    slot.tasksFailed++
    const tries = task.attempts === 1 ? 'tried once' : `tried ${task.attempts} times`
    this.finish(task, 'failed', { error: { code: 'WORKER_DIED', message: `${reason}; ${tries} (retries: ${this.definition.retries})` } })
  }

  /** The slot holds no task any more. */
  private release(slot: WorkerSlot): void {
    if (slot.attemptKey === undefined) return
    if (slot.abandoned) clearTimeout(slot.abandoned)
    slot.abandoned = undefined
    this.integrate()
    slot.task = undefined
    slot.attemptKey = undefined
    slot.freeSince = Date.now()
  }

  /** After a task left its worker normally: recycle after maxTasksPerWorker, stop if retiring, then more work. */
  private afterTask(slot: WorkerSlot): void {
    slot.runTasks++
    const max = this.definition.maxTasksPerWorker
    if (slot.retiring) void this.dropSlot(slot, 'the pool shrank')
    else if (max > 0 && slot.runTasks >= max) this.replace(slot, `recycled after ${slot.runTasks} tasks (maxTasksPerWorker)`)
    this.afterChange()
  }

  private afterChange(): void {
    this.pump()
    this.deps.changed()
  }

  /** Ends a task once: its state, times, counters; the service is told. */
  private finish(task: Task, state: Exclude<TaskState, 'queued' | 'running'>, end: { result?: unknown; error?: TaskError }): void {
    if (task.state !== 'queued' && task.state !== 'running') return
    const now = Date.now()
    if (task.timer) clearTimeout(task.timer)
    task.timer = undefined
    const runMs = task.state === 'running' && task.startedAt !== undefined && state !== 'cancelled' ? now - task.startedAt : undefined
    task.state = state
    task.endedAt = now
    task.attemptKey = undefined
    task.payload = undefined
    if (end.result !== undefined) task.result = end.result
    if (end.error) task.error = end.error
    this.stats.ended(state, runMs, now)
    this.deps.ended(task)
  }

  /** Ends every queued and running task as `state`; how many. */
  private failAll(state: 'failed' | 'cancelled', error: TaskError): number {
    let n = 0
    for (const task of this.queue.drain()) {
      this.finish(task, state, { error })
      n++
    }
    for (const s of this.slots.values()) {
      const task = s.task
      if (task && task.state === 'running') {
        this.finish(task, state, { error: { ...error, message: `${error.message} (it was running on ${s.name})` } })
        n++
      }
    }
    this.checkDrained()
    return n
  }

  private checkDrained(): void {
    if (!this.draining || this.drainWaiters.length === 0) return
    if (this.queue.size > 0 || this.runningCount > 0) return
    for (const w of this.drainWaiters.splice(0)) w()
  }

  // --------------------------------------------------------------- scaling

  private liveSlots(): WorkerSlot[] {
    return [...this.slots.values()].filter((s) => !s.retiring)
  }

  /** Starts or retires workers to meet the target. */
  private ensureSize(): void {
    if (!this.active || this.closed) return
    const live = this.liveSlots()
    for (let i = live.length; i < this.target; i++) this.addSlot()
    if (live.length > this.target) {
      // Not ready first, then free ones, then busy ones (which stop once their task ends).
      const order = live.sort((a, b) => rank(a) - rank(b) || b.n - a.n)
      for (const s of order.slice(0, live.length - this.target)) this.retire(s, 'the pool shrank')
    }
  }

  /** Dynamic pools: more workers while tasks wait and every worker is busy (those starting count as coming), up to max. */
  private grow(): void {
    if (this.definition.scalingStrategy !== 'dynamic' || !this.active || this.draining || this.queue.size === 0) return
    const live = this.liveSlots()
    let coming = 0
    for (const s of live) if (!s.ready || s.attemptKey === undefined) coming++
    const wanted = Math.min(this.definition.maxWorkers - live.length, this.queue.size - coming)
    if (wanted <= 0) return
    this.target = live.length + wanted
    for (let i = 0; i < wanted; i++) this.addSlot()
    this.deps.changed()
  }

  /** Dynamic pools: workers free longer than workerIdleTimeout stop, down to minWorkers. */
  private shrinkIdle(): void {
    if (this.definition.scalingStrategy !== 'dynamic' || !this.active) return
    const now = Date.now()
    const live = this.liveSlots()
    let count = live.length
    const idle = live.filter((s) => s.ready && s.attemptKey === undefined && now - s.freeSince >= this.definition.workerIdleTimeout).sort((a, b) => a.freeSince - b.freeSince)
    for (const s of idle) {
      if (count <= this.definition.minWorkers) break
      this.retire(s, `idle for ${formatDelay(now - s.freeSince)} (workerIdleTimeout)`)
      count--
    }
    if (count !== live.length) {
      this.target = count
      this.deps.changed()
    }
  }

  private addSlot(): void {
    const n = this.nextN++
    const name = workerName(this.id, n)
    const m = this.deps.supervisor.superviseWorker(this.workerProgram(name), () => this.deps.changed())
    const slot = new WorkerSlot(n, name, m)
    this.slots.set(n, slot)
    slot.offs.push(
      m.runner.onTransition((t) => {
        if (t.to === 'running') this.becameReady(slot)
        else if (slot.ready) slot.ready = false
        if (t.to === 'starting' && slot.started) {
          slot.restarts++
          this.stats.restarted()
        }
        if (t.to === 'starting') {
          slot.started = true
          slot.runTasks = 0
        }
      }),
      m.runner.onExit((exit) => this.exited(slot, exit.stopped, describeExit(exit))),
      this.deps.broker.onReady((program) => {
        // Ready again after a reconnect (its run goes on): it takes tasks again.
        if (program === name && m.runner.state === 'running' && !slot.ready) this.becameReady(slot)
      }),
    )
    m.start('started by the pool')
  }

  private becameReady(slot: WorkerSlot): void {
    if (slot.retiring || slot.replacing) return
    this.integrate()
    slot.ready = true
    slot.quickFails = 0
    this.failing = undefined
    slot.readyAt = slot.freeSince = Date.now()
    this.afterChange()
  }

  private exited(slot: WorkerSlot, stopped: boolean, how: string): void {
    this.integrate()
    slot.ready = false
    this.lost(slot, `${slot.name} ${how}`)
    if (!stopped && this.slots.get(slot.n) === slot && !slot.retiring && !slot.replacing && this.active) {
      // The restart policy acts in its own exit listener, before this one: backoff means it restarts the worker.
      const state = slot.m.runner.state
      let next = ''
      if (state === 'backoff') next = `the restart policy restarts it (${slot.m.runner.transitions().at(-1)?.reason ?? 'backoff'})`
      else if (state === 'exited') next = `the pool starts it again in ${formatDelay(this.respawnLater(slot, how))}`
      else if (state === 'fatal') {
        next = 'the restart policy gave up'
        this.failing = `worker ${slot.name} keeps failing (the restart policy gave up): ${how}`
      }
      slot.lastEnd = { at: Date.now(), reason: next ? `${how}; ${next}` : how }
    }
    this.afterChange()
  }

  /** The supervisor does not restart it (enableAutoRestart off, or its policy): the pool does, with a growing wait. */
  private respawnLater(slot: WorkerSlot, how: string): number {
    const delay = Math.min(RESPAWN_MAX_MS, RESPAWN_MIN_MS * 2 ** slot.quickFails)
    slot.quickFails = Math.min(slot.quickFails + 1, 20)
    if (slot.quickFails >= 3) this.failing = `workers keep ending before they are ready (${slot.quickFails} times in a row): ${how}`
    slot.respawn = setTimeout(() => {
      slot.respawn = undefined
      if (this.active && this.slots.get(slot.n) === slot && !slot.retiring && slot.m.runner.state === 'exited') slot.m.start(`restarted by the pool after ${formatDelay(delay)}`)
    }, delay)
    return delay
  }

  /** Stops a worker and starts it again (timeout, hung, recycled): the slot stays, its restarts count. */
  private replace(slot: WorkerSlot, reason: string): void {
    if (slot.replacing || slot.retiring) return
    slot.lastEnd = { at: Date.now(), reason }
    slot.replacing = true
    slot.ready = false
    void slot.m.stop(`replaced: ${reason}`).then(() => {
      slot.replacing = false
      if (this.active && this.slots.get(slot.n) === slot && !slot.retiring) slot.m.start(`replaced: ${reason}`)
      this.deps.changed()
    })
  }

  /** The slot goes once it holds no task. */
  private retire(slot: WorkerSlot, reason: string): void {
    slot.retiring = true
    if (slot.attemptKey === undefined) void this.dropSlot(slot, reason)
  }

  /** Stops the slot's worker and lets go of it; the slot is shown (stopping) until its processes are gone. */
  private async dropSlot(slot: WorkerSlot, reason: string): Promise<void> {
    if (slot.dropping) return slot.dropping
    this.integrate()
    slot.retiring = true
    slot.ready = false
    if (slot.respawn) clearTimeout(slot.respawn)
    slot.dropping = (async () => {
      await slot.m.stop(reason)
      // Its exit (a stop) is handled; nothing of it is listened to any more.
      for (const off of slot.offs.splice(0)) off()
      await slot.m.close()
      this.deps.broker.forgetProgram(slot.name)
      if (this.slots.get(slot.n) === slot) this.slots.delete(slot.n)
      this.deps.changed()
    })()
    return slot.dropping
  }

  private async stopWorkers(reason: string): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => this.dropSlot(s, reason)))
  }

  private workerProgram(name: string): Program {
    const s = this.deps.settings().poolConfig
    const d = this.definition
    return parseProgram(
      {
        name,
        command: d.workerCommand,
        args: d.workerArgs,
        ...(d.cwd !== undefined ? { cwd: d.cwd } : {}),
        env: { vars: { ...d.env, [POOL_ENV.pool]: d.id, [POOL_ENV.heartbeat]: String(heartbeatInterval(s.poolWorkerTimeout)) } },
        restart: 'on-failure',
        // Ready on its `ready` message (serveTasks sends it once its handler is in place).
        ready: { kind: 'ipc' },
        // Starting is not hanging: a loaded machine may take seconds to start a runtime, whatever poolWorkerTimeout says.
        readyTimeoutMs: Math.max(READY_TIMEOUT_MS, s.poolWorkerTimeout),
        stopTimeoutMs: 2000,
        restartDelayMs: 100,
        restartBackoffMultiplier: 2,
        maxRestartDelayMs: RESPAWN_MAX_MS,
        maxRestartAttempts: 20,
        stableMs: 10_000,
        logs: { maxBytes: MiB, files: 2 },
      },
      `pool "${d.id}" worker`,
    )
  }

  // -------------------------------------------------------------- timers

  private startTimers(): void {
    const s = this.deps.settings().poolConfig
    const idleEvery = Math.max(50, Math.min(1000, Math.floor(this.definition.workerIdleTimeout / 4)))
    const idle = () => {
      this.shrinkIdle()
      this.idleTimer = setTimeout(idle, idleEvery)
      this.idleTimer.unref()
    }
    if (this.definition.scalingStrategy === 'dynamic') idle()
    const health = () => {
      this.checkHeartbeats()
      this.healthTimer = setTimeout(health, this.deps.settings().poolConfig.poolHealthCheckInterval)
      this.healthTimer.unref()
    }
    this.healthTimer = setTimeout(health, s.poolHealthCheckInterval)
    this.healthTimer.unref()
  }

  private stopTimers(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    if (this.healthTimer) clearTimeout(this.healthTimer)
    this.idleTimer = this.healthTimer = undefined
  }

  /** Ready workers silent longer than poolWorkerTimeout are hung: replaced, their task retried. */
  private checkHeartbeats(): void {
    const limit = this.deps.settings().poolConfig.poolWorkerTimeout
    const now = Date.now()
    for (const slot of this.slots.values()) {
      if (!slot.ready || slot.retiring || slot.replacing) continue
      const last = Math.max(slot.readyAt, this.deps.broker.lastHeartbeat(slot.name) ?? 0)
      if (now - last <= limit) continue
      const reason = `no heartbeat for ${formatDelay(now - last)} (poolWorkerTimeout ${formatDelay(limit)})`
      this.deps.log(`pool "${this.id}": ${slot.name} is hung: ${reason}; replaced`)
      this.lost(slot, `${slot.name} hung: ${reason}`)
      this.replace(slot, `hung: ${reason}`)
    }
    this.afterChange()
  }

  // ------------------------------------------------------------- reading

  sampleUsage(): void {
    for (const s of this.slots.values()) if (s.m.active) s.m.sampleUsage()
  }

  status(): PoolStatus {
    return {
      id: this.id,
      name: this.definition.name,
      definition: this.definition,
      state: this.draining ? 'draining' : this.active ? 'running' : 'off',
      targetSize: this.target,
      workers: [...this.slots.values()].sort((a, b) => a.n - b.n).map((s) => s.view(this.deps.broker.lastHeartbeat(s.name))),
      queued: this.queue.size,
      running: this.runningCount,
      ...(this.problem !== undefined ? { problem: this.problem } : this.failing !== undefined && this.active ? { problem: this.failing } : {}),
    }
  }

  metrics(): PoolMetrics {
    this.integrate()
    return this.stats.snapshot(this.id, { queueDepth: this.queue.size, running: this.runningCount, workers: this.slots.size })
  }

  /** Task wait and run times since the pool started, by bucket. */
  histograms(): ReturnType<PoolStats['histograms']> {
    return this.stats.histograms()
  }

  /** Busy and live worker time since the last change, added up. */
  private integrate(): void {
    let live = 0
    let busy = 0
    for (const s of this.slots.values()) {
      if (!s.ready) continue
      live++
      if (s.attemptKey !== undefined) busy++
    }
    this.stats.tick(live, busy)
  }
}

/** Workers beat four times per poolWorkerTimeout (at least every 250 ms): one late beat is no hang. */
export function heartbeatInterval(workerTimeoutMs: number): number {
  return Math.max(250, Math.floor(workerTimeoutMs / 4))
}

function rank(s: WorkerSlot): number {
  if (!s.ready) return 0
  return s.attemptKey === undefined ? 1 : 2
}
