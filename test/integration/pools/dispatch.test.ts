import type { CallInput } from '../../../src/shared/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProctorApi } from '../../../src/shared/contract'
import { ProctorError } from '../../../src/shared/errors'
import type { PoolStatus, TaskView } from '../../../src/shared/pools/pool'
import { waitFor } from '../../helpers/wait'
import { poolOwner, workerConfig, type PoolOwner } from './harness'

/*
 * How tasks reach workers: the load-balancing rules, priority, the queue's
 * bound, and cancel. Each test has its own pool on one owner.
 */

let o: PoolOwner
beforeAll(async () => {
  o = await poolOwner()
})
afterAll(() => o?.close())

async function rejection(p: Promise<unknown>): Promise<ProctorError> {
  try {
    await p
  } catch (err) {
    return err as ProctorError
  }
  throw new Error('expected a rejection')
}

function idle(api: ProctorApi, poolId: string, n: number): Promise<PoolStatus> {
  return waitFor(async () => {
    const s = await api.getPoolStatus({ poolId })
    return s.workers.filter((w) => w.state === 'idle').length === n && s
  }, 15_000, `${n} idle workers in ${poolId}`)
}

async function submit(poolId: string, payload: CallInput<'submitTaskToPool'>['payload'], extra: { priority?: number; timeout?: number } = {}): Promise<string> {
  return (await o.api.submitTaskToPool({ poolId, payload, ...extra })).taskId
}

const wait = (taskId: string): Promise<TaskView> => o.api.awaitTask({ taskId, timeoutMs: 30_000 })

function running(taskId: string): Promise<TaskView> {
  return waitFor(async () => {
    const t = await o.api.getTask({ taskId })
    return t.state === 'running' && t
  }, 10_000, `${taskId} running`)
}

describe('load balancing', () => {
  it('least_busy sends work to the idle worker while the other is busy', async () => {
    await o.api.createPool({ poolId: 'lb', config: workerConfig({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'fixed', loadBalancing: 'least_busy' }) })
    await idle(o.api, 'lb', 2)
    const slow = await submit('lb', { op: 'sleep', ms: 1500 })
    const busyWorker = (await running(slow)).worker
    const quick = await Promise.all([1, 2, 3, 4].map((i) => submit('lb', { op: 'echo', value: i })))
    const done = await Promise.all(quick.map(wait))
    expect(done.map((t) => t.state)).toEqual(['done', 'done', 'done', 'done'])
    // None waited for the busy worker: all went to the idle one.
    expect(done.every((t) => t.worker !== busyWorker)).toBe(true)
    expect((await wait(slow)).state).toBe('done')
  })

  it('round_robin sends work to the workers in turn, waiting for the next one when it is busy', async () => {
    await o.api.createPool({ poolId: 'rr', config: workerConfig({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'fixed', loadBalancing: 'round_robin' }) })
    await idle(o.api, 'rr', 2)
    const slow = await submit('rr', { op: 'sleep', ms: 1000 })
    const first = (await running(slow)).worker
    const quick = await Promise.all([1, 2, 3, 4].map((i) => submit('rr', { op: 'echo', value: i })))
    const done = await Promise.all(quick.map(wait))
    const slowDone = await wait(slow)
    const other = done[0]!.worker
    expect(other).not.toBe(first)
    expect(done.map((t) => t.worker)).toEqual([other, first, other, first])
    // The second quick task waited its turn: it started once the slow one had ended.
    expect(done[1]!.startedAt!).toBeGreaterThanOrEqual(slowDone.endedAt!)
  })

  it('random uses every worker over many tasks', async () => {
    await o.api.createPool({ poolId: 'rnd', config: workerConfig({ minWorkers: 3, maxWorkers: 3, scalingStrategy: 'fixed', loadBalancing: 'random' }) })
    await idle(o.api, 'rnd', 3)
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => submit('rnd', { op: 'echo', value: i })))
    const done = await Promise.all(ids.map(wait))
    expect(new Set(done.map((t) => t.worker)).size).toBe(3)
  })
})

describe('the queue', () => {
  it('runs higher priority first, first in first out within a priority', async () => {
    await o.api.createPool({ poolId: 'prio', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    await idle(o.api, 'prio', 1)
    const blocker = await submit('prio', { op: 'sleep', ms: 500 })
    await running(blocker)
    const low1 = await submit('prio', { op: 'echo' })
    const low2 = await submit('prio', { op: 'echo' })
    const high = await submit('prio', { op: 'echo' }, { priority: 5 })
    const [l1, l2, h] = await Promise.all([wait(low1), wait(low2), wait(high)])
    expect(h.startedAt!).toBeLessThanOrEqual(l1.startedAt!)
    expect(l1.startedAt!).toBeLessThanOrEqual(l2.startedAt!)
    const order = [l1, l2, h].sort((a, b) => a.endedAt! - b.endedAt! || a.startedAt! - b.startedAt!).map((t) => t.id)
    expect(order).toEqual([high, low1, low2])
  })

  it('answers QUEUE_FULL past maxQueueSize, and takes tasks again once there is room', async () => {
    await o.api.createPool({ poolId: 'full', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed', maxQueueSize: 2 }) })
    await idle(o.api, 'full', 1)
    const blocker = await submit('full', { op: 'sleep', ms: 800 })
    await running(blocker)
    const queued = [await submit('full', { op: 'echo' }), await submit('full', { op: 'echo' })]
    const err = await rejection(submit('full', { op: 'echo' }))
    expect(err.code).toBe('QUEUE_FULL')
    expect(err.message).toContain('maxQueueSize')
    await Promise.all([blocker, ...queued].map(wait))
    expect((await wait(await submit('full', { op: 'echo', value: 'again' }))).result).toMatchObject({ value: 'again' })
  })

  it('cancels a queued task (it never runs) and a running one (its result is dropped, its worker serves on)', async () => {
    await o.api.createPool({ poolId: 'cancel', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    await idle(o.api, 'cancel', 1)
    const runningTask = await submit('cancel', { op: 'sleep', ms: 700 })
    await running(runningTask)
    const queuedTask = await submit('cancel', { op: 'echo' })
    const q = await o.api.cancelTask({ taskId: queuedTask })
    expect(q).toMatchObject({ cancelled: true, task: { state: 'cancelled', attempts: 0, error: { code: 'CANCELLED' } } })
    const r = await o.api.cancelTask({ taskId: runningTask })
    expect(r).toMatchObject({ cancelled: true, task: { state: 'cancelled', attempts: 1 } })
    expect((await o.api.awaitTask({ taskId: runningTask })).state).toBe('cancelled')
    // Cancelling what has ended changes nothing.
    expect((await o.api.cancelTask({ taskId: runningTask })).cancelled).toBe(false)
    const next = await wait(await submit('cancel', { op: 'echo', value: 'after' }))
    expect(next).toMatchObject({ state: 'done', result: { value: 'after' } })
    // Still cancelled after its worker answered.
    const after = await o.api.getTask({ taskId: runningTask })
    expect(after.state).toBe('cancelled')
    expect(after.result).toBeUndefined()
    const m = await o.api.getPoolMetrics({ poolId: 'cancel' })
    expect(m).toMatchObject({ cancelled: 2, completed: 1, submitted: 3 })
  })

  it('replaces the worker of a cancelled task that never answers, once the timeout of the task has passed', async () => {
    await o.api.createPool({ poolId: 'abandon', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    const before = (await idle(o.api, 'abandon', 1)).workers[0]!
    const id = await submit('abandon', { op: 'sleep', ms: 60_000 }, { timeout: 600 })
    await running(id)
    expect((await o.api.cancelTask({ taskId: id })).cancelled).toBe(true)
    const after = await waitFor(async () => {
      const w = (await o.api.getPoolStatus({ poolId: 'abandon' })).workers[0]
      return w?.state === 'idle' && w.pid !== before.pid && w
    }, 15_000, 'a fresh worker')
    expect(after.lastEnd?.reason).toContain('timeout')
    expect(await o.api.getTask({ taskId: id })).toMatchObject({ state: 'cancelled' })
    expect(await o.api.getPoolMetrics({ poolId: 'abandon' })).toMatchObject({ cancelled: 1, timedOut: 0 })
  })

  it('awaitTask answers TIMEOUT when the task has not ended in time, and the task goes on', async () => {
    await o.api.createPool({ poolId: 'await', config: workerConfig({ minWorkers: 1, maxWorkers: 1 }) })
    const id = await submit('await', { op: 'sleep', ms: 1000 })
    const err = await rejection(o.api.awaitTask({ taskId: id, timeoutMs: 100 }))
    expect(err.code).toBe('TIMEOUT')
    expect((await wait(id)).state).toBe('done')
  })
})
