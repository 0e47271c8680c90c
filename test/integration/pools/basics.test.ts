import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import { waitFor } from '../../helpers/wait'
import { alive, poolOwner, workerConfig, type PoolOwner } from './harness'

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

describe('a pool, end to end', () => {
  it('starts minWorkers workers, runs tasks on them and gives results with their attempts', async () => {
    const status = await o.api.createPool({ poolId: 'basic', config: workerConfig({ minWorkers: 2, maxWorkers: 2 }) })
    expect(status).toMatchObject({ id: 'basic', name: 'basic', state: 'running', targetSize: 2 })
    expect(status.definition).toMatchObject({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'dynamic', loadBalancing: 'least_busy', retries: 2 })
    const { taskId } = await o.api.submitTaskToPool({ poolId: 'basic', payload: { op: 'echo', value: 42 } })
    expect(taskId).toMatch(/^basic\/\d+$/)
    const done = await o.api.awaitTask({ taskId, timeoutMs: 20_000 })
    expect(done).toMatchObject({ state: 'done', attempts: 1, result: { value: 42, attempt: 1 } })
    expect(done.worker).toMatch(/^pool\.basic\.\d+$/)
    const pools = await o.api.getPoolStatus({ poolId: 'basic' })
    expect(pools.workers).toHaveLength(2)
    await waitFor(async () => (await o.api.getPoolStatus({ poolId: 'basic' })).workers.every((w) => w.state === 'idle'), 10_000, 'both idle')
    // CPU since the last look, and memory, of each worker.
    const usage = await waitFor(async () => {
      const s = await o.api.getPoolStatus({ poolId: 'basic' })
      return s.workers.every((w) => w.cpu !== undefined && (w.memory ?? 0) > 1024 * 1024) && s
    }, 10_000, 'usage of the workers')
    expect(usage.workers.every((w) => w.tasksDone + w.tasksFailed >= 0 && w.restarts === 0 && w.pid !== undefined)).toBe(true)
    expect(usage.workers.reduce((n, w) => n + w.tasksDone, 0)).toBe(1)
    // Workers are not the user's programs.
    expect((await o.api.listPrograms()).programs).toEqual([])
  })

  it('carries a handler error back with its name, message and stack', async () => {
    const { taskId } = await o.api.submitTaskToPool({ poolId: 'basic', payload: { op: 'fail', message: 'bad input 7' } })
    const t = await o.api.awaitTask({ taskId, timeoutMs: 20_000 })
    expect(t.state).toBe('failed')
    expect(t.error).toMatchObject({ code: 'HANDLER_ERROR', name: 'RangeError', message: 'bad input 7' })
    expect(t.error?.stack).toContain('pool-worker')
  })

  it('refuses a payload too large for one broker frame as INVALID_ARGUMENT naming it', async () => {
    const err = await rejection(o.api.submitTaskToPool({ poolId: 'basic', payload: { op: 'echo', value: 'x'.repeat(1_100_000) } }))
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toMatch(/payload: is \d+ bytes as JSON; a task carries at most \d+/)
    // Multi-byte characters count as bytes.
    expect((await rejection(o.api.submitTaskToPool({ poolId: 'basic', payload: 'é'.repeat(600_000) }))).code).toBe('INVALID_ARGUMENT')
    const fits = await o.api.submitTaskToPool({ poolId: 'basic', payload: { op: 'echo', value: 'x'.repeat(900_000) } })
    expect((await o.api.awaitTask({ taskId: fits.taskId, timeoutMs: 20_000 })).state).toBe('done')
  })

  it('answers bad input with INVALID_ARGUMENT naming the field, and an unknown pool with NOT_FOUND', async () => {
    const bad = await rejection(o.api.createPool({ poolId: 'x', config: { workerCommand: 'node', minWorkers: -1 } as never }))
    expect(bad.code).toBe('INVALID_ARGUMENT')
    expect(bad.message).toContain('config.minWorkers')
    const minMax = await rejection(o.api.createPool({ poolId: 'x', config: { workerCommand: 'node', minWorkers: 5, maxWorkers: 2 } }))
    expect(minMax.code).toBe('INVALID_ARGUMENT')
    expect(minMax.message).toContain('minWorkers')
    const badId = await rejection(o.api.createPool({ poolId: '.hidden', config: { workerCommand: 'node' } }))
    expect(badId.message).toContain('poolId')
    const missing = await rejection(o.api.getPoolStatus({ poolId: 'nope' }))
    expect(missing.code).toBe('NOT_FOUND')
    expect((await rejection(o.api.submitTaskToPool({ poolId: 'nope', payload: 1 }))).code).toBe('NOT_FOUND')
    expect((await rejection(o.api.getTask({ taskId: 'nope/1' }))).code).toBe('NOT_FOUND')
    const dup = await rejection(o.api.createPool({ poolId: 'basic', config: workerConfig() }))
    expect(dup.code).toBe('INVALID_ARGUMENT')
  })

  it('takes the documented example as written, with poolConfig defaults for the rest', async () => {
    const s = await o.api.createPool({
      poolId: 'compute-pool',
      config: { name: 'Compute Workers', workerCommand: 'node', workerArgs: ['worker.js'], minWorkers: 2, maxWorkers: 8 },
    })
    expect(s.definition).toMatchObject({ name: 'Compute Workers', minWorkers: 2, maxWorkers: 8, taskTimeout: 30_000, maxQueueSize: 1000 })
    await o.api.removePool({ poolId: 'compute-pool', force: true })
  })

  it('leaves no worker process after removePool', async () => {
    await o.api.createPool({ poolId: 'gone', config: workerConfig({ minWorkers: 3, maxWorkers: 3 }) })
    const ready = await waitFor(async () => {
      const s = await o.api.getPoolStatus({ poolId: 'gone' })
      return s.workers.filter((w) => w.state === 'idle').length === 3 && s
    }, 15_000, 'three idle workers')
    const pids = ready.workers.map((w) => w.pid!)
    expect(pids.every(alive)).toBe(true)
    const removed = await o.api.removePool({ poolId: 'gone' })
    expect(removed).toMatchObject({ removed: 'gone', drained: true, cancelled: 0 })
    expect(pids.filter(alive)).toEqual([])
    expect((await rejection(o.api.getPoolStatus({ poolId: 'gone' }))).code).toBe('NOT_FOUND')
    expect((await o.api.getAllPools()).pools.map((p) => p.id)).not.toContain('gone')
  })
})
