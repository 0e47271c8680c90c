import type { CallInput } from '../../../src/shared/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolStatus, TaskView } from '../../../src/shared/pools/pool'
import { waitFor } from '../../helpers/wait'
import { alive, poolOwner, workerConfig, type PoolOwner } from './harness'

/*
 * What goes wrong on workers: a task past its timeout, a worker killed
 * under its task, a worker that dies on every try, a hung worker (no
 * heartbeats), and recycling after maxTasksPerWorker.
 */

let o: PoolOwner
beforeAll(async () => {
  o = await poolOwner({ poolConfig: { poolHealthCheckInterval: 1000, poolWorkerTimeout: 3000 } })
})
afterAll(() => o?.close())

function idle(poolId: string, n: number): Promise<PoolStatus> {
  return waitFor(async () => {
    const s = await o.api.getPoolStatus({ poolId })
    return s.workers.filter((w) => w.state === 'idle').length === n && s
  }, 15_000, `${n} idle workers in ${poolId}`)
}

async function submit(poolId: string, payload: CallInput<'submitTaskToPool'>['payload'], extra: { timeout?: number } = {}): Promise<string> {
  return (await o.api.submitTaskToPool({ poolId, payload, ...extra })).taskId
}

const wait = (taskId: string): Promise<TaskView> => o.api.awaitTask({ taskId, timeoutMs: 30_000 })

function running(taskId: string): Promise<TaskView> {
  return waitFor(async () => {
    const t = await o.api.getTask({ taskId })
    return t.state === 'running' && t
  }, 10_000, `${taskId} running`)
}

async function pidOf(poolId: string, worker: string): Promise<number> {
  return waitFor(async () => (await o.api.getPoolStatus({ poolId })).workers.find((w) => w.name === worker)?.pid, 5000, `pid of ${worker}`)
}

describe('when workers fail', () => {
  it('fails a task past its timeout with TIMEOUT and replaces its worker', async () => {
    await o.api.createPool({ poolId: 'to', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    const before = (await idle('to', 1)).workers[0]!
    const id = await submit('to', { op: 'sleep', ms: 20_000 }, { timeout: 400 })
    const t = await wait(id)
    expect(t).toMatchObject({ state: 'timed_out', attempts: 1, error: { code: 'TIMEOUT' } })
    expect(t.error?.message).toContain('replaced')
    const after = (await idle('to', 1)).workers[0]!
    expect(after.name).toBe(before.name)
    expect(after.pid).not.toBe(before.pid)
    expect(after.restarts).toBeGreaterThanOrEqual(1)
    await waitFor(() => !alive(before.pid!), 5000, 'the old worker gone')
    // The replacement serves.
    expect((await wait(await submit('to', { op: 'echo', value: 1 }))).state).toBe('done')
    expect(await o.api.getPoolMetrics({ poolId: 'to' })).toMatchObject({ timedOut: 1, completed: 1 })
  })

  it('retries the task of a worker killed under it on another worker, and says how many attempts it took', async () => {
    await o.api.createPool({ poolId: 'kill', config: workerConfig({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'fixed' }) })
    await idle('kill', 2)
    const id = await submit('kill', { op: 'sleep', ms: 1500 })
    const r = await running(id)
    const pid = await pidOf('kill', r.worker!)
    process.kill(pid, 'SIGKILL')
    const t = await wait(id)
    expect(t.state).toBe('done')
    expect(t.attempts).toBe(2)
    expect(t.worker).not.toBe(r.worker)
    expect((t.result as { pid: number }).pid).not.toBe(pid)
    expect(await o.api.getPoolMetrics({ poolId: 'kill' })).toMatchObject({ retries: 1, completed: 1, failed: 0 })
    // The killed worker comes back: the pool restarts it, as auto-restart is off here.
    const back = await idle('kill', 2)
    expect(back.workers.find((w) => w.name === r.worker)?.lastEnd?.reason).toMatch(/^killed by SIGKILL after .*; the pool starts it again in /)
  })

  it('fails a task after its retries when every worker dies under it, with the reason', async () => {
    await o.api.createPool({ poolId: 'dies', config: workerConfig({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'fixed', retries: 1 }) })
    await idle('dies', 2)
    const t = await wait(await submit('dies', { op: 'exit' }))
    expect(t).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'WORKER_DIED' } })
    expect(t.error?.message).toMatch(/tried 2 times \(retries: 1\)/)
    // A task that dies on its first try only is done on its second.
    expect(await wait(await submit('dies', { op: 'exitFirst' }))).toMatchObject({ state: 'done', attempts: 2, result: { attempt: 2 } })
  })

  it('replaces a hung worker (no heartbeat for poolWorkerTimeout) and retries its task', async () => {
    await o.api.createPool({ poolId: 'hung', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed', retries: 1, taskTimeout: 60_000 }) })
    const before = (await idle('hung', 1)).workers[0]!
    const t = await wait(await submit('hung', { op: 'hangFirst' }))
    // Long before the task's own timeout: on the missing beats.
    expect(t).toMatchObject({ state: 'done', attempts: 2, result: { attempt: 2 } })
    expect((t.result as { pid: number }).pid).not.toBe(before.pid)
    const after = (await idle('hung', 1)).workers[0]!
    expect(after.restarts).toBeGreaterThanOrEqual(1)
    expect(after.lastEnd?.reason).toMatch(/^hung: no heartbeat for/)
    await waitFor(() => !alive(before.pid!), 5000, 'the hung worker gone')
    // With no retry left, the task fails, saying why.
    await o.api.createPool({ poolId: 'hung0', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed', retries: 0, taskTimeout: 60_000 }) })
    await idle('hung0', 1)
    const failed = await wait(await submit('hung0', { op: 'hang' }))
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'WORKER_DIED' } })
    expect(failed.error?.message).toMatch(/hung: no heartbeat for .* tried once \(retries: 0\)/)
  })

  it('recycles a worker after maxTasksPerWorker tasks', async () => {
    await o.api.createPool({ poolId: 'recycle', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed', maxTasksPerWorker: 2 }) })
    await idle('recycle', 1)
    const pids: number[] = []
    for (let i = 0; i < 3; i++) {
      const t = await wait(await submit('recycle', { op: 'echo' }))
      pids.push((t.result as { pid: number }).pid)
    }
    expect(pids[0]).toBe(pids[1])
    expect(pids[2]).not.toBe(pids[1])
  })

  it('tells when its workers keep ending before they are ready (a wrong command)', async () => {
    await o.api.createPool({ poolId: 'wrong', config: { workerCommand: '/nonexistent/worker', minWorkers: 1, maxWorkers: 1 } })
    const s = await waitFor(async () => (await o.api.getPoolStatus({ poolId: 'wrong' })).problem, 15_000, 'a problem')
    expect(s).toMatch(/workers keep ending before they are ready .*could not start/)
    expect((await o.api.getPoolStatus({ poolId: 'wrong' })).state).toBe('running')
    await o.api.removePool({ poolId: 'wrong', force: true })
  })
})
