import { describe, expect, it } from 'vitest'
import { poolCalls } from '../../../src/shared/contract/pools'
import { poolConfigSchema, resolvePool, workerName } from '../../../src/shared/pools/pool'
import { quantile, quantilesOf, SampleRing } from '../../../src/shared/pools/quantiles'
import { defaultSettings } from '../../../src/shared/settings'
import { ProctorError } from '../../../src/shared/errors'
import { readPoolsFile } from '../../../src/main/core/pools/poolStore'

const defaults = defaultSettings().poolConfig

describe('a pool definition', () => {
  it('takes the documented example as written, the rest from poolConfig', () => {
    const config = poolConfigSchema.parse({ name: 'Compute Workers', workerCommand: 'node', workerArgs: ['worker.js'], minWorkers: 2, maxWorkers: 8 })
    const d = resolvePool('compute-pool', config, defaults, 1000)
    expect(d).toEqual({
      id: 'compute-pool',
      name: 'Compute Workers',
      workerCommand: 'node',
      workerArgs: ['worker.js'],
      env: {},
      minWorkers: 2,
      maxWorkers: 8,
      scalingStrategy: defaults.poolScalingStrategy,
      loadBalancing: defaults.poolLoadBalancing,
      taskTimeout: defaults.poolTaskTimeout,
      workerIdleTimeout: 30_000,
      maxQueueSize: defaults.poolMaxQueueSize,
      maxTasksPerWorker: 0,
      retries: 2,
      createdAt: 1000,
    })
    expect(readPoolsFile({ schemaVersion: 1, pools: [d] })).toEqual({ ok: true, value: [d] })
  })

  it('lets one bound given move the default of the other; refuses min over max naming the field', () => {
    expect(resolvePool('p', poolConfigSchema.parse({ workerCommand: 'x', minWorkers: 10 }), defaults)).toMatchObject({ minWorkers: 10, maxWorkers: 10 })
    expect(resolvePool('p', poolConfigSchema.parse({ workerCommand: 'x', maxWorkers: 1 }), { ...defaults, defaultMinWorkers: 3 })).toMatchObject({ minWorkers: 1, maxWorkers: 1 })
    let err: ProctorError | undefined
    try {
      resolvePool('p', poolConfigSchema.parse({ workerCommand: 'x', minWorkers: 5, maxWorkers: 2 }), defaults)
    } catch (e) {
      err = e as ProctorError
    }
    expect(err?.code).toBe('INVALID_ARGUMENT')
    expect(err?.message).toContain('config.minWorkers: must not exceed maxWorkers (2)')
  })

  it('checks the contract arguments, naming the field', () => {
    const bad = poolCalls.createPool.args.safeParse({ poolId: 'p', config: { workerCommand: '', retries: -1, loadBalancing: 'fastest' } })
    expect(bad.success).toBe(false)
    const paths = bad.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['config.workerCommand', 'config.retries', 'config.loadBalancing']))
    expect(poolCalls.createPool.args.safeParse({ poolId: 'p', config: { workerCommand: 'x', bogus: 1 } }).success).toBe(false)
    expect(poolCalls.submitTaskToPool.args.parse({ poolId: 'p', payload: { a: 1 } })).toEqual({ poolId: 'p', payload: { a: 1 }, priority: 0 })
    expect(poolCalls.removePool.args.parse({ poolId: 'p' })).toEqual({ poolId: 'p', force: false })
    expect(poolCalls.scalePool.args.safeParse({ poolId: 'p', targetSize: 1.5 }).success).toBe(false)
  })

  it('names workers within the program name rules', () => {
    expect(workerName('a'.repeat(40), 9999)).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/)
  })

  it('a pools file: read when valid, refused with the problem otherwise', () => {
    expect(readPoolsFile({ pools: [] })).toEqual({ ok: true, value: [] })
    expect(readPoolsFile({ schemaVersion: 9, pools: [] })).toMatchObject({ ok: false, problem: expect.stringContaining('newer Proctor') })
    expect(readPoolsFile([])).toMatchObject({ ok: false })
    const d = resolvePool('p', poolConfigSchema.parse({ workerCommand: 'x' }), defaults)
    expect(readPoolsFile({ pools: [d, d] })).toMatchObject({ ok: false, problem: expect.stringContaining('defined twice') })
    expect(readPoolsFile({ pools: [{ ...d, minWorkers: 'two' }] })).toMatchObject({ ok: false, problem: expect.stringContaining('pools.0.minWorkers') })
  })
})

describe('quantiles', () => {
  it('nearest rank over the samples; zeros for none', () => {
    expect(quantilesOf([])).toEqual({ p50: 0, p95: 0, p99: 0 })
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(quantilesOf(values)).toEqual({ p50: 50, p95: 95, p99: 99 })
    expect(quantile([7], 0.99)).toBe(7)
  })

  it('a ring keeps the last samples only', () => {
    const r = new SampleRing(10)
    for (let i = 1; i <= 25; i++) r.add(i)
    expect(r.size).toBe(10)
    expect(r.quantiles()).toEqual({ p50: 20, p95: 25, p99: 25 })
  })
})
