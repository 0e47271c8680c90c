import { describe, expect, it } from 'vitest'
import type { MetricsHistory } from '../../../src/shared/types/system'
import {
  bucketMsFor,
  buildRows,
  byteTicks,
  capacityTicks,
  coreColumns,
  hasValues,
  maxOfRows,
  rangeMs,
  sparklinePaths,
  timeTicks,
  windowFor,
  type SeriesSpec,
} from '../../../src/renderer/src/system/model/chartData'
import { CPU_SPECS } from '../../../src/renderer/src/system/model/specs'

const KiB = 1024
const MiB = 1024 ** 2
const GiB = 1024 ** 3
const h = (timestamps: number[], series: Record<string, (number | null)[]>): MetricsHistory => ({ timestamps, series })
const spec = (id: string, key: string, stack?: string): SeriesSpec => ({ id, label: id, color: 'red', key, ...(stack ? { stack } : {}) })

describe('range math', () => {
  it('knows each range in ms', () => {
    expect(rangeMs('1m')).toBe(60_000)
    expect(rangeMs('5m')).toBe(300_000)
    expect(rangeMs('15m')).toBe(900_000)
    expect(rangeMs('1h')).toBe(3_600_000)
  })

  it('ends the window at the newest sample, or now without one', () => {
    expect(windowFor('1m', h([10_000, 70_000], {}), 999_999)).toEqual({ from: 10_000, to: 70_000 })
    expect(windowFor('5m', h([], {}), 1_000_000)).toEqual({ from: 700_000, to: 1_000_000 })
  })

  it('puts x ticks on round offsets before the newest sample, ending at it', () => {
    const to = 1_000_000
    expect(timeTicks('1m', { from: to - 60_000, to }).map((t) => t - to)).toEqual([-60_000, -45_000, -30_000, -15_000, 0])
    expect(timeTicks('5m', { from: 0, to })).toHaveLength(6)
    expect(timeTicks('15m', { from: 0, to }).map((t) => (t - to) / 60_000)).toEqual([-15, -10, -5, 0])
    expect(timeTicks('1h', { from: 0, to }).map((t) => (t - to) / 60_000)).toEqual([-60, -45, -30, -15, 0])
  })

  it('picks the narrowest clock-aligned bucket that fits', () => {
    expect(bucketMsFor(60_000, 240)).toBe(1000)
    expect(bucketMsFor(300_000, 240)).toBe(2000)
    expect(bucketMsFor(900_000, 240)).toBe(5000)
    expect(bucketMsFor(3_600_000, 240)).toBe(15_000)
    expect(bucketMsFor(3_600_000, 60)).toBe(60_000)
  })
})

describe('buildRows', () => {
  it('gives one row per sample inside the window, with values by series id', () => {
    const history = h([1000, 2000, 3000, 4000], { 'cpu.user': [1, 2, 3, 4], other: [9, 9, 9, 9] })
    const rows = buildRows(history, [spec('user', 'cpu.user')], { from: 2000, to: 3000 }, 100)
    expect(rows).toEqual([
      { t: 2000, user: 2 },
      { t: 3000, user: 3 },
    ])
  })

  it('gives no rows for an empty history or a window without samples', () => {
    expect(buildRows(h([], {}), [spec('a', 'a')], { from: 0, to: 10 }, 10)).toEqual([])
    expect(buildRows(h([100], { a: [1] }), [spec('a', 'a')], { from: 0, to: 10 }, 10)).toEqual([])
  })

  it('keeps nulls as nulls (gaps), and a missing column reads as null', () => {
    const rows = buildRows(h([1, 2], { a: [null, 5] }), [spec('a', 'a'), spec('b', 'missing')], { from: 0, to: 10 }, 10)
    expect(rows).toEqual([
      { t: 1, a: null, b: null },
      { t: 2, a: 5, b: null },
    ])
    expect(hasValues(rows, [spec('b', 'missing')])).toBe(false)
    expect(hasValues(rows, [spec('a', 'a')])).toBe(true)
  })

  it('averages into clock-aligned buckets when there are more samples than points, skipping nulls', () => {
    // 600 samples a second apart, at most 240 points: 5 s buckets (600 s span / 240 = 2.5 s, next step up is 5 s).
    const n = 600
    const timestamps = Array.from({ length: n }, (_, i) => i * 1000)
    const values = timestamps.map((_, i) => (i % 5 === 4 ? null : i))
    const rows = buildRows(h(timestamps, { a: values }), [spec('a', 'a')], { from: 0, to: 600_000 }, 240)
    expect(rows).toHaveLength(120)
    // First bucket: samples 0..4 at 0..4 s, the null at 4 s skipped for the value but not for the time.
    expect(rows[0]).toEqual({ t: 2000, a: (0 + 1 + 2 + 3) / 4 })
    expect(rows[1]).toEqual({ t: 7000, a: (5 + 6 + 7 + 8) / 4 })
  })

  it('gives a bucket with no value a null', () => {
    const timestamps = Array.from({ length: 10 }, (_, i) => i * 1000)
    const rows = buildRows(h(timestamps, { a: timestamps.map(() => null) }), [spec('a', 'a')], { from: 0, to: 10_000 }, 2)
    expect(rows.every((r) => r.a === null)).toBe(true)
  })

  it('derives a series from others of the same row (CPU other = total - user - system - steal)', () => {
    const history = h([1, 2, 3], {
      'cpu.total': [50, 30, null],
      'cpu.user': [20, null, null],
      'cpu.system': [10, null, null],
      'cpu.steal': [5, null, null],
      'cpu.iowait': [2, null, null],
    })
    const rows = buildRows(history, CPU_SPECS, { from: 0, to: 10 }, 100)
    expect(rows[0]).toMatchObject({ user: 20, system: 10, steal: 5, other: 15, iowait: 2 })
    // A platform without the split: all of it is "other".
    expect(rows[1]).toMatchObject({ user: null, other: 30 })
    expect(rows[2]).toMatchObject({ other: null })
  })

  it('caps a stack at stackMax and keeps the true value for the tooltip', () => {
    const history = h([1], { used: [80], cached: [30] })
    const specs = [spec('used', 'used', 'mem'), spec('cached', 'cached', 'mem')]
    const rows = buildRows(history, specs, { from: 0, to: 10 }, 10, 100)
    expect(rows).toEqual([{ t: 1, used: 80, cached: 20, cachedRaw: 30 }])
    expect(maxOfRows(rows, specs)).toBe(100)
  })
})

describe('maxOfRows', () => {
  it('sums stacked series and takes unstacked ones alone', () => {
    const rows = [
      { t: 1, a: 1, b: 2, c: 2.5 },
      { t: 2, a: null, b: 1, c: 0 },
    ]
    expect(maxOfRows(rows, [spec('a', 'a', 's'), spec('b', 'b', 's')])).toBe(3)
    expect(maxOfRows(rows, [spec('a', 'a'), spec('b', 'b'), spec('c', 'c')])).toBe(2.5)
    expect(maxOfRows([], [spec('a', 'a')])).toBe(0)
  })
})

describe('byteTicks', () => {
  it('has round binary steps from 0 past the maximum, at most 4 intervals', () => {
    expect(byteTicks(1000 * KiB)).toEqual([0, 250 * KiB, 500 * KiB, 750 * KiB, 1000 * KiB])
    expect(byteTicks(1.2 * MiB)).toEqual([0, 0.5 * MiB, 1 * MiB, 1.5 * MiB])
    expect(byteTicks(3 * MiB)).toEqual([0, 1 * MiB, 2 * MiB, 3 * MiB])
    expect(byteTicks(270 * KiB)).toEqual([0, 100 * KiB, 200 * KiB, 300 * KiB])
    for (const max of [1, 1000, 5000, 123_456, 9.9 * MiB, 17 * GiB, 3e12]) {
      const ticks = byteTicks(max)
      expect(ticks[0]).toBe(0)
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max)
      expect(ticks.length - 1).toBeLessThanOrEqual(4)
      expect(ticks.length - 1).toBeGreaterThanOrEqual(1)
    }
  })

  it('keeps a scale (up to 1 KiB) with nothing measured yet: never an empty or NaN axis', () => {
    for (const max of [0, null, undefined, Number.NaN, -5]) {
      expect(byteTicks(max)).toEqual([0, 256, 512, 768, 1024])
    }
  })
})

describe('capacityTicks', () => {
  it('stays within the total', () => {
    expect(capacityTicks(15.6 * GiB)).toEqual([0, 5 * GiB, 10 * GiB, 15 * GiB])
    expect(capacityTicks(2 * GiB)).toEqual([0, 0.5 * GiB, 1 * GiB, 1.5 * GiB, 2 * GiB])
    expect(capacityTicks(0)).toEqual([0])
  })
})

describe('coreColumns', () => {
  it('lays out more columns as cores add up', () => {
    expect([1, 2, 4, 8, 12, 16, 32, 64, 128].map(coreColumns)).toEqual([1, 1, 2, 2, 3, 3, 4, 6, 6])
  })
})

describe('sparklinePaths', () => {
  const window = { from: 0, to: 10 }
  it('maps the window to 0..1000 and the scale to 100..0 (up is more)', () => {
    const rows = [
      { t: 0, v: 0 },
      { t: 5, v: 50 },
      { t: 10, v: 100 },
    ]
    expect(sparklinePaths(rows, 'v', window, 100)).toEqual({
      line: 'M0 100L500 50L1000 0',
      area: 'M0 100L500 50L1000 0L1000 100L0 100Z',
    })
  })

  it('breaks at nulls, draws a lone point as a short segment, and clamps to the scale', () => {
    const rows = [
      { t: 0, v: 10 },
      { t: 1, v: 20 },
      { t: 2, v: null },
      { t: 5, v: 150 },
      { t: 6, v: null },
    ]
    const { line } = sparklinePaths(rows, 'v', window, 100)
    expect(line).toBe('M0 90L100 80M500 0L502 0')
    // A lone point at the right edge (the first sample with a value) stays inside the box.
    expect(sparklinePaths([{ t: 10, v: 50 }], 'v', window, 100).line).toBe('M998 50L1000 50')
  })

  it('is empty, not NaN, with nothing to draw or no scale', () => {
    expect(sparklinePaths([], 'v', window, 100)).toEqual({ line: '', area: '' })
    expect(sparklinePaths([{ t: 1, v: null }], 'v', window, 100)).toEqual({ line: '', area: '' })
    expect(sparklinePaths([{ t: 1, v: 5 }], 'v', { from: 1, to: 1 }, 100)).toEqual({ line: '', area: '' })
    expect(sparklinePaths([{ t: 1, v: 5 }], 'v', window, 0)).toEqual({ line: '', area: '' })
  })
})
