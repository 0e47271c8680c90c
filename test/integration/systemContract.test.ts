import { cpus } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import { ProctorError } from '../../src/shared/errors'
import type { ProctorApi } from '../../src/shared/contract'
import { SERIES } from '../../src/shared/system/series'
import { dataDirWith } from '../helpers/dataDir'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

async function rejection(p: Promise<unknown>): Promise<ProctorError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(ProctorError)
    return err as ProctorError
  }
  throw new Error('expected the call to fail')
}

describe('system metrics over the in-process transport', () => {
  let engine: Engine
  let api: ProctorApi
  beforeAll(() => {
    engine = new Engine({ dataDir: tempDir(), version: 'test', collector: 'inline' })
    api = createApi(inProcessTransport(engine.router))
  })
  afterAll(() => engine.close())

  it('getSystemMetrics returns a real sample with no stream running', async () => {
    // Without history nothing samples until asked.
    const idle = new Engine({ dataDir: dataDirWith({ monitorSystemMetrics: false }), version: 'test', collector: 'inline' })
    const m = await (async () => {
      try {
        expect(idle.system.stream.active).toBe(false)
        return await createApi(inProcessTransport(idle.router)).getSystemMetrics()
      } finally {
        idle.close()
      }
    })()
    expect(m.cpu.total).not.toBeNull()
    expect(m.cpu.cores).toHaveLength(cpus().length)
    if (process.platform === 'linux') {
      expect(m.network.rxBytesPerSec).not.toBeNull()
      expect(m.disk.writeBytesPerSec).not.toBeNull()
    }
  })

  it('records the stream in history and aggregates it', async () => {
    const got: number[] = []
    const stop = api.subscribeToMetrics((m) => got.push(m.timestamp))
    await engine.settings.update({ refreshInterval: 250 })
    await waitFor(() => got.length >= 4, 10_000, 'four samples')
    stop()
    const h = await api.getMetricsHistory({ range: '1m' })
    expect(h.timestamps.length).toBeGreaterThanOrEqual(4)
    expect(h.timestamps).toEqual(expect.arrayContaining(got.slice(0, 4)))
    for (const name of [SERIES.cpuTotal, SERIES.memoryUsed, SERIES.networkRx, SERIES.diskWrite, 'cpu.core.0']) {
      expect(h.series[name], name).toHaveLength(h.timestamps.length)
    }
    // The first sample of a stream has no rate; the later ones do.
    expect(h.series[SERIES.cpuTotal]?.[0]).toBeNull()
    expect(h.series[SERIES.cpuTotal]?.slice(1).every((v) => typeof v === 'number')).toBe(true)
    const agg = await api.getAggregatedMetrics({ from: h.timestamps[0]!, to: h.timestamps.at(-1)! })
    const cpu = agg.series[SERIES.cpuTotal]!
    expect(cpu.count).toBe(h.timestamps.length - 1)
    expect(cpu.min!).toBeLessThanOrEqual(cpu.avg!)
    expect(cpu.avg!).toBeLessThanOrEqual(cpu.max!)
    expect(cpu.p95!).toBeLessThanOrEqual(cpu.max!)
    expect(agg.series[SERIES.memoryUsed]?.count).toBe(h.timestamps.length)
    expect((await api.getMetricsHistory()).timestamps.length).toBe(h.timestamps.length)
    expect((await api.getMetricsHistory({ to: h.timestamps[0]! - 1 })).timestamps).toEqual([])
  })

  it('refuses bad windows with INVALID_ARGUMENT naming the field', async () => {
    const now = Date.now()
    for (const call of [api.getMetricsHistory, api.getAggregatedMetrics]) {
      const late = await rejection(call({ from: now, to: now - 1000 }))
      expect(late.code).toBe('INVALID_ARGUMENT')
      expect(late.message).toMatch(/from: must not be after to/)
      const range = await rejection(call({ range: '2h' as '1h' }))
      expect(range.code).toBe('INVALID_ARGUMENT')
      expect(range.message).toMatch(/range/)
      const both = await rejection(call({ range: '1m', from: now }))
      expect(both.message).toMatch(/range: give either range or from\/to/)
      const extra = await rejection(call({ since: 5 } as never))
      expect(extra.code).toBe('INVALID_ARGUMENT')
      const type = await rejection(call({ to: 'now' } as never))
      expect(type.message).toMatch(/to:/)
    }
  })

  it('resizes the history when metricsHistorySize changes, within its bounds', async () => {
    await api.updateSettings({ metricsHistorySize: 120 })
    expect(engine.system.history.capacity).toBe(120)
    const err = await rejection(api.updateSettings({ metricsHistorySize: 10 }))
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toMatch(/metricsHistorySize/)
    expect(engine.system.history.capacity).toBe(120)
  })
})
