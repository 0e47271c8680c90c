import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import type { PoolStatus } from '../../../src/shared/pools/pool'
import { waitFor } from '../../helpers/wait'
import { poolOwner, workerConfig, type PoolOwner } from './harness'

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

function workers(poolId: string, n: number, state = 'idle'): Promise<PoolStatus> {
  return waitFor(async () => {
    const s = await o.api.getPoolStatus({ poolId })
    return s.workers.length === n && s.workers.every((w) => w.state === state) && s
  }, 20_000, `${n} ${state} workers in ${poolId}`)
}

describe('scaling', () => {
  it('a dynamic pool grows while tasks wait and every worker is busy, never past maxWorkers, and shrinks idle workers after workerIdleTimeout, never below minWorkers', async () => {
    await o.api.createPool({ poolId: 'dyn', config: workerConfig({ minWorkers: 1, maxWorkers: 3, scalingStrategy: 'dynamic', workerIdleTimeout: 1000 }) })
    await workers('dyn', 1)
    let most = 0
    const watch = setInterval(() => {
      void o.api.getPoolStatus({ poolId: 'dyn' }).then((s) => (most = Math.max(most, s.workers.length)))
    }, 50)
    try {
      const ids = await Promise.all(Array.from({ length: 8 }, () => o.api.submitTaskToPool({ poolId: 'dyn', payload: { op: 'sleep', ms: 600 } })))
      await workers('dyn', 3, 'busy').catch(() => undefined)
      const done = await Promise.all(ids.map(({ taskId }) => o.api.awaitTask({ taskId, timeoutMs: 30_000 })))
      expect(done.every((t) => t.state === 'done')).toBe(true)
      expect(new Set(done.map((t) => t.worker)).size).toBe(3)
      // Idle for workerIdleTimeout: back to minWorkers.
      const shrunk = await workers('dyn', 1)
      expect(shrunk.targetSize).toBe(1)
    } finally {
      clearInterval(watch)
    }
    expect(most).toBe(3)
  })

  it('a dynamic pool does not grow while a worker is free', async () => {
    await o.api.createPool({ poolId: 'calm', config: workerConfig({ minWorkers: 2, maxWorkers: 4, scalingStrategy: 'dynamic' }) })
    await workers('calm', 2)
    for (let i = 0; i < 5; i++) await o.api.awaitTask({ taskId: (await o.api.submitTaskToPool({ poolId: 'calm', payload: { op: 'echo' } })).taskId })
    expect((await o.api.getPoolStatus({ poolId: 'calm' })).workers).toHaveLength(2)
  })

  it('a fixed pool keeps its size under load; scalePool sets it within min..max and refuses outside', async () => {
    await o.api.createPool({ poolId: 'fixed', config: workerConfig({ minWorkers: 1, maxWorkers: 3, scalingStrategy: 'fixed' }) })
    await workers('fixed', 1)
    const ids = await Promise.all(Array.from({ length: 4 }, () => o.api.submitTaskToPool({ poolId: 'fixed', payload: { op: 'sleep', ms: 200 } })))
    expect((await o.api.getPoolStatus({ poolId: 'fixed' })).workers).toHaveLength(1)
    await Promise.all(ids.map(({ taskId }) => o.api.awaitTask({ taskId })))
    expect((await o.api.scalePool({ poolId: 'fixed', targetSize: 3 })).targetSize).toBe(3)
    await workers('fixed', 3)
    const tooMany = await rejection(o.api.scalePool({ poolId: 'fixed', targetSize: 4 }))
    expect(tooMany.code).toBe('INVALID_ARGUMENT')
    expect(tooMany.message).toContain('targetSize')
    expect((await rejection(o.api.scalePool({ poolId: 'fixed', targetSize: 0 }))).code).toBe('INVALID_ARGUMENT')
    const pids = (await o.api.getPoolStatus({ poolId: 'fixed' })).workers.map((w) => w.pid)
    await o.api.scalePool({ poolId: 'fixed', targetSize: 1 })
    const one = await workers('fixed', 1)
    expect(pids).toContain(one.workers[0]!.pid)
  })

  it('metrics: counts, queue depth, wait and run quantiles, throughput and utilisation', async () => {
    await o.api.createPool({ poolId: 'm', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    await workers('m', 1)
    const ids = await Promise.all(Array.from({ length: 5 }, () => o.api.submitTaskToPool({ poolId: 'm', payload: { op: 'sleep', ms: 100 } })))
    const during = await o.api.getPoolMetrics({ poolId: 'm' })
    expect(during.queueDepth + during.running).toBeGreaterThan(0)
    await Promise.all(ids.map(({ taskId }) => o.api.awaitTask({ taskId })))
    const m = await o.api.getPoolMetrics({ poolId: 'm' })
    expect(m).toMatchObject({ poolId: 'm', submitted: 5, completed: 5, failed: 0, timedOut: 0, cancelled: 0, queueDepth: 0, running: 0, workers: 1 })
    expect(m.runMs.p50).toBeGreaterThanOrEqual(100)
    expect(m.runMs.p99).toBeGreaterThanOrEqual(m.runMs.p50)
    // The last waited for the four before it.
    expect(m.waitMs.p99).toBeGreaterThanOrEqual(300)
    expect(m.throughput).toBeGreaterThan(0)
    expect(m.utilisation).toBeGreaterThan(0)
    expect(m.utilisation).toBeLessThanOrEqual(1)
  })
})
