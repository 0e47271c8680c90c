import { describe, expect, it } from 'vitest'
import { MetricsRecorder, FIRST_READING_GAP_MS } from '../../../src/main/core/system/metricsRecorder'
import type { SystemReader } from '../../../src/main/core/system/reader'
import type { RawSystemReading } from '../../../src/shared/system/derive'
import { readingNow } from '../../helpers/systemReading'
import { SERIES } from '../../../src/shared/system/series'

/** A reader whose CPU is busy half the time and whose disk writes 1000 bytes per ms, on the real clocks. */
class ScriptedReader implements SystemReader {
  readonly deriveOptions = {}
  reads = 0
  read(): RawSystemReading {
    this.reads++
    const r = readingNow({ interfaces: [] })
    return { ...r, disks: [{ device: 'd', readOps: 0, writeOps: 0, readBytes: 0, writeBytes: r.monotonicMs * 1000 }] }
  }
}

describe('MetricsRecorder', () => {
  it('answers a one-shot read with two readings a short interval apart, so rates are real', async () => {
    const reader = new ScriptedReader()
    const service = new MetricsRecorder(100, () => reader)
    const started = performance.now()
    const m = await service.current(undefined, 1000)
    expect(performance.now() - started).toBeGreaterThanOrEqual(FIRST_READING_GAP_MS - 5)
    expect(m.cpu.total).toBeCloseTo(50, 5)
    expect(m.disk.writeBytesPerSec).toBeCloseTo(1_000_000, -2)
    // Two readers (live and one-shot) were made; the one-shot took two readings.
    expect(reader.reads).toBe(2)
  })

  it('shares one reading between concurrent calls and reuses a fresh one', async () => {
    const reader = new ScriptedReader()
    const service = new MetricsRecorder(100, () => reader)
    const [a, b] = await Promise.all([service.current(undefined, 1000), service.current(undefined, 1000)])
    expect(a).toBe(b)
    expect(await service.current(undefined, 1000)).toBe(a)
    expect(reader.reads).toBe(2)
  })

  it('returns the live stream\'s latest sample while it is fresh, unless it is the first (no rates yet)', async () => {
    const service = new MetricsRecorder(100, () => new ScriptedReader())
    const first = service.sample(1000)
    const fromOneShot = await service.current(first, 1000)
    expect(fromOneShot).not.toBe(first)
    expect(fromOneShot.cpu.total).not.toBeNull()
    const latest = service.sample(1000)
    expect(await service.current(latest, 1000)).toBe(latest)
  })

  it('records nothing while not recording, and forgets what it had when recording stops', () => {
    const service = new MetricsRecorder(100, () => new ScriptedReader(), false)
    service.sample(1000)
    service.sample(1000)
    expect(service.getHistory(undefined).timestamps).toEqual([])
    expect(service.history.bytes).toBe(0)
    service.setRecording(true)
    service.sample(1000)
    service.sample(1000)
    expect(service.getHistory(undefined).timestamps).toHaveLength(2)
    expect(service.getAggregates(undefined).series[SERIES.cpuTotal]?.count).toBe(2)
    expect(service.history.bytes).toBeGreaterThan(0)
    service.setRecording(false)
    expect(service.getHistory(undefined)).toEqual({ timestamps: [], series: {} })
    expect(Object.values(service.getAggregates({ range: '1h' }).series).every((a) => a.count === 0)).toBe(true)
    expect(service.history.bytes).toBe(0)
    // It keeps its capacity for when recording starts again.
    expect(service.history.capacity).toBe(100)
  })

  it('records live samples in history, not one-shot reads', async () => {
    const service = new MetricsRecorder(100, () => new ScriptedReader())
    const first = service.sample(1000)
    expect(first.cpu.total).toBeNull()
    const second = service.sample(1000)
    expect(second.cpu.total).not.toBeNull()
    const h = service.getHistory(undefined)
    expect(h.timestamps).toHaveLength(2)
    expect(h.series[SERIES.cpuTotal]).toEqual([null, second.cpu.total])
    expect(h.series['cpu.core.0']).toHaveLength(2)
    const agg = service.getAggregates({ range: '1m' })
    expect(agg.series[SERIES.cpuTotal]?.count).toBe(1)
    expect(agg.to - agg.from).toBe(60_000)
    expect(service.getAggregates(undefined).from).toBe(first.timestamp)
    expect(service.getHistory({ from: 0, to: first.timestamp - 1 }).timestamps).toEqual([])
    await service.current(undefined, 1)
    expect(service.history.size).toBe(2)
  })
})
