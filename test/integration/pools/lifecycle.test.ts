import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { takeOwnership } from '../../../src/main/core/owner/ownership'
import type { ProctorApi } from '../../../src/shared/contract'
import { ProctorError } from '../../../src/shared/errors'
import type { PoolsOverview, PoolStatus } from '../../../src/shared/pools/pool'
import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import { dataDirWith } from '../../helpers/dataDir'
import { waitFor } from '../../helpers/wait'
import { alive, poolOwner, workerConfig, type PoolOwner } from './harness'

/*
 * A pool's life: removal by draining or at once, definitions that come
 * back with the next owner, the enablePooling and enableIPC switches, the
 * pools of an owner seen from a client engine, and the pools stream.
 */

const open: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close()
})

async function owner(...args: Parameters<typeof poolOwner>): Promise<PoolOwner> {
  const o = await poolOwner(...args)
  open.push(o)
  return o
}

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

describe('removing a pool', () => {
  it('drains: refuses new tasks, lets queued and running ones finish, then stops every worker', async () => {
    const o = await owner()
    await o.api.createPool({ poolId: 'drain', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    const pid = (await idle(o.api, 'drain', 1)).workers[0]!.pid!
    const ids = [
      (await o.api.submitTaskToPool({ poolId: 'drain', payload: { op: 'sleep', ms: 500 } })).taskId,
      (await o.api.submitTaskToPool({ poolId: 'drain', payload: { op: 'sleep', ms: 300 } })).taskId,
    ]
    const removing = o.api.removePool({ poolId: 'drain' })
    await waitFor(async () => (await o.api.getPoolStatus({ poolId: 'drain' })).state === 'draining', 5000, 'draining')
    const refused = await rejection(o.api.submitTaskToPool({ poolId: 'drain', payload: { op: 'echo' } }))
    expect(refused.code).toBe('UNAVAILABLE')
    expect(refused.message).toContain('being removed')
    expect(await removing).toEqual({ removed: 'drain', drained: true, cancelled: 0 })
    for (const id of ids) expect((await o.api.getTask({ taskId: id })).state).toBe('done')
    expect(alive(pid)).toBe(false)
  })

  it('with force: cancels what waits and runs, and stops at once', async () => {
    const o = await owner()
    await o.api.createPool({ poolId: 'force', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    const pid = (await idle(o.api, 'force', 1)).workers[0]!.pid!
    const ids = [
      (await o.api.submitTaskToPool({ poolId: 'force', payload: { op: 'sleep', ms: 20_000 } })).taskId,
      (await o.api.submitTaskToPool({ poolId: 'force', payload: { op: 'sleep', ms: 20_000 } })).taskId,
    ]
    const started = Date.now()
    expect(await o.api.removePool({ poolId: 'force', force: true })).toEqual({ removed: 'force', drained: false, cancelled: 2 })
    expect(Date.now() - started).toBeLessThan(10_000)
    for (const id of ids) expect(await o.api.getTask({ taskId: id })).toMatchObject({ state: 'cancelled', error: { code: 'REMOVED' } })
    expect(alive(pid)).toBe(false)
  })
})

describe('pool definitions', () => {
  it('persist in the data folder and come back, with their workers, at the next owner', async () => {
    const first = await poolOwner()
    await first.api.createPool({ poolId: 'keep', config: workerConfig({ name: 'Kept', minWorkers: 2, maxWorkers: 4 }) })
    const pids = (await idle(first.api, 'keep', 2)).workers.map((w) => w.pid!)
    const onDisk = JSON.parse(readFileSync(join(first.dataDir, 'pools.json'), 'utf8')) as { schemaVersion: number; pools: Array<{ id: string }> }
    expect(onDisk.schemaVersion).toBe(1)
    expect(onDisk.pools.map((p) => p.id)).toEqual(['keep'])
    await first.close()
    // The owner's shutdown stops its workers.
    expect(pids.filter(alive)).toEqual([])
    const second = await owner({}, first.dataDir)
    const back = await idle(second.api, 'keep', 2)
    expect(back).toMatchObject({ name: 'Kept', state: 'running' })
    expect((await second.api.awaitTask({ taskId: (await second.api.submitTaskToPool({ poolId: 'keep', payload: { op: 'echo', value: 1 } })).taskId })).state).toBe('done')
  })

  it('a pools file that cannot be used is set aside with a notice', async () => {
    const dataDir = dataDirWith({ enableIPC: true, enablePooling: true })
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(dataDir, 'pools.json'), '{"schemaVersion":1,"pools":[{"id":"x"}]}')
    const o = await owner({}, dataDir)
    const all = await o.api.getAllPools()
    expect(all.pools).toEqual([])
    expect(all.notices.join(' ')).toMatch(/Pools file .* could not be used: .*kept as/)
  })
})

describe('the switches', () => {
  it('with enablePooling off, pool changes say how to turn it on; turned on, pools start; turned off, their workers stop and waiting tasks fail', async () => {
    const o = await owner({ enablePooling: false })
    const off = await rejection(o.api.createPool({ poolId: 'sw', config: workerConfig() }))
    expect(off.code).toBe('UNAVAILABLE')
    expect(off.message).toContain('enablePooling')
    expect(await o.api.getAllPools()).toMatchObject({ enabled: false, ipc: true, pools: [] })
    await o.api.updateSettings({ enablePooling: true })
    await o.api.createPool({ poolId: 'sw', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    const pid = (await idle(o.api, 'sw', 1)).workers[0]!.pid!
    const busy = (await o.api.submitTaskToPool({ poolId: 'sw', payload: { op: 'sleep', ms: 20_000 } })).taskId
    const queued = (await o.api.submitTaskToPool({ poolId: 'sw', payload: { op: 'echo' } })).taskId
    await o.api.updateSettings({ enablePooling: false })
    const s = await waitFor(async () => {
      const x = await o.api.getPoolStatus({ poolId: 'sw' })
      return x.state === 'off' && x.workers.length === 0 && x
    }, 10_000, 'the pool off')
    expect(s.problem).toContain('enablePooling')
    expect(alive(pid)).toBe(false)
    for (const id of [busy, queued]) expect(await o.api.getTask({ taskId: id })).toMatchObject({ state: 'failed', error: { code: 'UNAVAILABLE' } })
    expect((await rejection(o.api.submitTaskToPool({ poolId: 'sw', payload: 1 }))).code).toBe('UNAVAILABLE')
    await o.api.updateSettings({ enablePooling: true })
    await idle(o.api, 'sw', 1)
    // Off, a pool can still be removed (nothing runs to drain).
    await o.api.updateSettings({ enablePooling: false })
    await waitFor(async () => (await o.api.getPoolStatus({ poolId: 'sw' })).state === 'off', 10_000, 'off again')
    expect(await o.api.removePool({ poolId: 'sw' })).toEqual({ removed: 'sw', drained: false, cancelled: 0 })
    expect(JSON.parse(readFileSync(join(o.dataDir, 'pools.json'), 'utf8'))).toMatchObject({ pools: [] })
  })

  it('follows enableIPC: off, the workers stop and the pool says it needs IPC; on again, they come back', async () => {
    const o = await owner()
    await o.api.createPool({ poolId: 'ipcsw', config: workerConfig({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'fixed' }) })
    const pids = (await idle(o.api, 'ipcsw', 2)).workers.map((w) => w.pid!)
    await o.api.updateSettings({ enableIPC: false })
    const off = await waitFor(async () => {
      const s = await o.api.getPoolStatus({ poolId: 'ipcsw' })
      return s.state === 'off' && s.workers.length === 0 && s
    }, 10_000, 'the pool off')
    expect(off.problem).toContain('enableIPC')
    expect(pids.filter(alive)).toEqual([])
    await o.api.updateSettings({ enableIPC: true })
    const back = await idle(o.api, 'ipcsw', 2)
    expect(back.workers.map((w) => w.pid)).not.toEqual(expect.arrayContaining(pids))
    expect((await o.api.awaitTask({ taskId: (await o.api.submitTaskToPool({ poolId: 'ipcsw', payload: { op: 'echo' } })).taskId })).state).toBe('done')
  })

  it('with enableIPC off, pools say they need it', async () => {
    const o = await owner({ enableIPC: false })
    const err = await rejection(o.api.createPool({ poolId: 'noipc', config: workerConfig() }))
    expect(err.code).toBe('UNAVAILABLE')
    expect(err.message).toContain('enableIPC')
  })
})

describe('with enableAutoRestart on', () => {
  it('a crashed worker is restarted by the supervisor (its restart policy)', async () => {
    const o = await owner({ enableAutoRestart: true })
    await o.api.createPool({ poolId: 'policy', config: workerConfig({ minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' }) })
    const pid = (await idle(o.api, 'policy', 1)).workers[0]!.pid!
    process.kill(pid, 'SIGKILL')
    const back = await waitFor(async () => {
      const w = (await o.api.getPoolStatus({ poolId: 'policy' })).workers[0]
      return w?.state === 'idle' && w.pid !== pid && w
    }, 15_000, 'the worker back')
    expect(back.restarts).toBe(1)
    // The policy's own backoff, not the pool's respawn.
    expect(back.lastEnd?.reason).toMatch(/^killed by SIGKILL after .*; the restart policy restarts it \(restart 1 of \d+ in /)
  })
})

describe('seen from elsewhere', () => {
  it('a client engine creates pools and runs tasks through the owner; the stream shows pools with their metrics', async () => {
    const o = await owner()
    const client = await takeOwnership({ dataDir: o.dataDir, runtimeDir: o.runtimeDir, kind: 'desktop', engineOptions: { version: 'test', backgroundMetrics: false, log: () => {} } })
    open.push(client)
    expect(client.role).toBe('client')
    const api = createApi(inProcessTransport(client.engine.router))
    await api.createPool({ poolId: 'remote', config: workerConfig({ minWorkers: 1, maxWorkers: 1 }) })
    const t = await api.awaitTask({ taskId: (await api.submitTaskToPool({ poolId: 'remote', payload: { op: 'echo', value: 'far' } })).taskId, timeoutMs: 20_000 })
    expect(t).toMatchObject({ state: 'done', result: { value: 'far' } })
    const seen: PoolsOverview[] = []
    const stop = api.subscribeToPools((o) => seen.push(o))
    try {
      const last = await waitFor(() => seen.at(-1)?.pools.find((p) => p.id === 'remote' && p.metrics.completed === 1), 10_000, 'the pool in the stream')
      expect(last.workers).toHaveLength(1)
      expect(seen.at(-1)).toMatchObject({ enabled: true, ipc: true })
    } finally {
      stop()
    }
    expect((await o.api.getAllPools()).pools.map((p) => p.id)).toEqual(['remote'])
  })
})
