import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import type { ProctorApi } from '../../src/shared/contract'
import { SERIES } from '../../src/shared/system/series'
import { dataDirWith } from '../helpers/dataDir'
import { waitFor } from '../helpers/wait'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Short, so a few intervals pass quickly; timing asserts stay loose (a shared 2-core machine). */
const INTERVAL = 250

const engines: Engine[] = []
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close()
})

function launch(monitorSystemMetrics: boolean, backgroundMetrics?: boolean): { engine: Engine; api: ProctorApi } {
  const engine = new Engine({
    dataDir: dataDirWith({ monitorSystemMetrics, refreshInterval: INTERVAL }),
    version: 'test',
    collector: 'inline',
    ...(backgroundMetrics !== undefined ? { backgroundMetrics } : {}),
  })
  engines.push(engine)
  return { engine, api: createApi(inProcessTransport(engine.router)) }
}

const recorded = async (api: ProctorApi) => (await api.getMetricsHistory()).timestamps.length
const noAggregates = async (api: ProctorApi) => Object.values((await api.getAggregatedMetrics()).series).every((a) => a.count === 0)

describe('monitorSystemMetrics: the engine’s system metrics history', () => {
  it('on: samples from launch and records history with nobody subscribed', async () => {
    const { engine, api } = launch(true)
    expect(engine.system.stream.subscribers).toBe(0)
    expect(engine.system.stream.active).toBe(true)
    await waitFor(async () => (await recorded(api)) >= 3, 10_000, 'three recorded samples')
    expect(engine.system.stream.subscribers).toBe(0)
    const h = await api.getMetricsHistory({ range: '1m' })
    // About one interval apart: not faster than asked, and a noisy machine may be late.
    const gaps = h.timestamps.slice(1).map((t, i) => t - h.timestamps[i]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL * 0.8)
    // The first sample has no rates; the later ones do.
    expect(h.series[SERIES.cpuTotal]?.slice(1).every((v) => typeof v === 'number')).toBe(true)
    expect((await api.getAggregatedMetrics({ range: '1m' })).series[SERIES.memoryUsed]?.count).toBe(h.timestamps.length)
  })

  it('a one-shot CLI engine (backgroundMetrics false) samples nothing in the background, setting on or not', async () => {
    const { engine, api } = launch(true, false)
    await sleep(3 * INTERVAL)
    expect(engine.system.stream.active).toBe(false)
    await api.updateSettings({ monitorSystemMetrics: false })
    await api.updateSettings({ monitorSystemMetrics: true })
    expect(engine.system.stream.active).toBe(false)
    // A one-shot read still answers.
    expect((await api.getSystemMetrics()).memory.total).toBeGreaterThan(0)
  })

  it('off: samples only while subscribed, and keeps no history', async () => {
    const { engine, api } = launch(false)
    await sleep(3 * INTERVAL)
    expect(engine.system.stream.active).toBe(false)
    const live: number[] = []
    const stop = api.subscribeToMetrics((m) => live.push(m.timestamp))
    await waitFor(() => live.length >= 3, 10_000, 'three live samples')
    expect(await recorded(api)).toBe(0)
    expect(await noAggregates(api)).toBe(true)
    expect(engine.system.history.bytes).toBe(0)
    stop()
    // Unsubscribing is a message, in process too: the stream stops when the session reads it.
    await waitFor(() => !engine.system.stream.active, 2000, 'sampling to stop')
  })

  it('switched off at runtime: forgets the history at once and stops sampling; switched on: records again', async () => {
    const { engine, api } = launch(true)
    await waitFor(async () => (await recorded(api)) >= 2, 10_000, 'two recorded samples')
    await api.updateSettings({ monitorSystemMetrics: false })
    expect(await recorded(api)).toBe(0)
    expect(await noAggregates(api)).toBe(true)
    expect(engine.system.history.bytes).toBe(0)
    expect(engine.system.stream.active).toBe(false)
    await sleep(3 * INTERVAL)
    expect(await recorded(api)).toBe(0)

    await api.updateSettings({ monitorSystemMetrics: true })
    expect(engine.system.stream.active).toBe(true)
    await waitFor(async () => (await recorded(api)) >= 3, 10_000, 'three samples recorded again')
  })

  it('switched on while subscribed, records from then on; off again, the live stream goes on', async () => {
    const { engine, api } = launch(false)
    const live: number[] = []
    const stop = api.subscribeToMetrics((m) => live.push(m.timestamp))
    await waitFor(() => live.length >= 2, 10_000, 'two live samples')
    expect(await recorded(api)).toBe(0)
    await api.updateSettings({ monitorSystemMetrics: true })
    const from = live.length
    await waitFor(async () => (await recorded(api)) >= 2, 10_000, 'two recorded samples')
    // What was recorded is what the stream delivered since.
    expect((await api.getMetricsHistory()).timestamps.every((t) => live.slice(from - 1).includes(t))).toBe(true)
    await api.updateSettings({ monitorSystemMetrics: false })
    const seen = live.length
    await waitFor(() => live.length >= seen + 2, 10_000, 'the live stream going on')
    expect(await recorded(api)).toBe(0)
    stop()
    // Unsubscribing is a message, in process too: the stream stops when the session reads it.
    await waitFor(() => !engine.system.stream.active, 2000, 'sampling to stop')
  })
})
