import { describe, expect, it } from 'vitest'
import type { MetricsHistory } from '../../../src/shared/types/system'
import { seriesValues } from '../../../src/shared/system/series'
import {
  appendSample,
  EMPTY_HISTORY,
  latestValue,
  MAX_ROWS,
  mergeHistory,
  normalize,
  trimHistory,
  withEarlierRows,
} from '../../../src/renderer/src/system/model/timeline'

const MINUTE = 60_000
const h = (timestamps: number[], series: Record<string, (number | null)[]>): MetricsHistory => ({ timestamps, series })

describe('appendSample', () => {
  it('adds a row to every column and leaves the input alone', () => {
    const before = h([1000, 2000], { a: [1, 2], b: [10, null] })
    const after = appendSample(before, 3000, { a: 3, b: 30 }, MINUTE)
    expect(after).toEqual(h([1000, 2000, 3000], { a: [1, 2, 3], b: [10, null, 30] }))
    expect(before).toEqual(h([1000, 2000], { a: [1, 2], b: [10, null] }))
    expect(after.series.a).not.toBe(before.series.a)
  })

  it('keeps the columns aligned when a series appears or goes missing', () => {
    const before = h([1000], { a: [1] })
    const after = appendSample(before, 2000, { b: 5 }, MINUTE)
    expect(after).toEqual(h([1000, 2000], { a: [1, null], b: [null, 5] }))
  })

  it('stores NaN and Infinity as null', () => {
    const after = appendSample(EMPTY_HISTORY, 1000, { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: null }, MINUTE)
    expect(after).toEqual(h([1000], { a: [null], b: [null], c: [null] }))
  })

  it('drops a sample that is not newer than the last row (a repeat of the stream, or one already fetched)', () => {
    const before = h([1000, 2000], { a: [1, 2] })
    expect(appendSample(before, 2000, { a: 9 }, MINUTE)).toBe(before)
    expect(appendSample(before, 1500, { a: 9 }, MINUTE)).toBe(before)
    expect(appendSample(before, Number.NaN, { a: 9 }, MINUTE)).toBe(before)
  })

  it('trims rows older than the range before the newest', () => {
    let history = EMPTY_HISTORY
    for (let t = 0; t <= 3 * MINUTE; t += 1000) history = appendSample(history, t, { a: t }, MINUTE)
    expect(history.timestamps[0]).toBe(2 * MINUTE)
    expect(history.timestamps.at(-1)).toBe(3 * MINUTE)
    expect(history.timestamps).toHaveLength(61)
    expect(history.series.a).toHaveLength(61)
    expect(history.series.a![0]).toBe(2 * MINUTE)
  })

  it('stays bounded by the row cap whatever the timestamps say', () => {
    let history = EMPTY_HISTORY
    for (let t = 1; t <= 50; t++) history = appendSample(history, t, { a: t }, MINUTE, 10)
    expect(history.timestamps).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50])
    expect(history.series.a).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50])
  })

  it('takes real samples through seriesValues: per-core columns included', () => {
    const sample = {
      timestamp: 5000,
      cpu: { total: 50, cores: [40, 60], shares: { total: 50, user: 30, system: 20, iowait: 1, steal: 0 } },
      memory: { total: 100, used: 40, available: 60, cached: 20, buffers: 1, percent: 40 },
      swap: { total: 0, used: 0, percent: 0 },
      load: [1, 2, 3],
      disk: { readBytesPerSec: null, writeBytesPerSec: 5, readOpsPerSec: null, writeOpsPerSec: 1, devices: [] },
      network: { rxBytesPerSec: 7, txBytesPerSec: 8, rxPacketsPerSec: 1, txPacketsPerSec: 1, interfaces: [] },
    } as unknown as Parameters<typeof seriesValues>[0]
    const history = appendSample(EMPTY_HISTORY, sample.timestamp, seriesValues(sample), MINUTE)
    expect(history.series['cpu.core.1']).toEqual([60])
    expect(history.series['cpu.user']).toEqual([30])
    expect(history.series['disk.readBytesPerSec']).toEqual([null])
    expect(latestValue(history, 'network.txBytesPerSec')).toBe(8)
    expect(latestValue(history, 'no.such.series')).toBeNull()
  })
})

describe('trimHistory', () => {
  it('returns the same object when nothing is dropped', () => {
    const history = h([1000, 2000], { a: [1, 2] })
    expect(trimHistory(history, MINUTE)).toBe(history)
    expect(trimHistory(EMPTY_HISTORY, MINUTE)).toBe(EMPTY_HISTORY)
  })

  it('keeps a row exactly at the window start', () => {
    const history = h([0, 500, 1000, 1500], { a: [0, 1, 2, 3] })
    expect(trimHistory(history, 1000)).toEqual(h([500, 1000, 1500], { a: [1, 2, 3] }))
  })

  it('narrows a long history to a short range (1 h to 1 min)', () => {
    const n = 3600
    const history = h(
      Array.from({ length: n }, (_, i) => i * 1000),
      { a: Array.from({ length: n }, (_, i) => i) },
    )
    const trimmed = trimHistory(history, MINUTE)
    expect(trimmed.timestamps).toHaveLength(61)
    expect(trimmed.series.a![0]).toBe(n - 61)
  })

  it('holds the default cap for any number of rows', () => {
    const n = MAX_ROWS + 500
    const history = h(
      Array.from({ length: n }, (_, i) => i),
      { a: Array.from({ length: n }, (_, i) => i) },
    )
    const trimmed = trimHistory(history, Number.POSITIVE_INFINITY)
    expect(trimmed.timestamps).toHaveLength(MAX_ROWS)
    expect(trimmed.series.a).toHaveLength(MAX_ROWS)
    expect(trimmed.timestamps[0]).toBe(500)
  })
})

describe('mergeHistory', () => {
  it('appends the samples that arrived during the fetch, dropping the ones it already had', () => {
    const fetched = h([1000, 2000, 3000], { a: [1, 2, 3] })
    const merged = mergeHistory(
      fetched,
      [
        { timestamp: 2000, values: { a: 2 } },
        { timestamp: 3000, values: { a: 3 } },
        { timestamp: 4000, values: { a: 4 } },
      ],
      MINUTE,
    )
    expect(merged).toEqual(h([1000, 2000, 3000, 4000], { a: [1, 2, 3, 4] }))
  })

  it('starts from the samples alone when the history is empty', () => {
    const merged = mergeHistory(EMPTY_HISTORY, [{ timestamp: 1000, values: { a: 1 } }], MINUTE)
    expect(merged).toEqual(h([1000], { a: [1] }))
  })

  it('trims to the range', () => {
    const fetched = h([0, MINUTE, 2 * MINUTE], { a: [0, 1, 2] })
    expect(mergeHistory(fetched, [], MINUTE)).toEqual(h([MINUTE, 2 * MINUTE], { a: [1, 2] }))
  })
})

describe('withEarlierRows', () => {
  it('puts the rows on screen from before the fetched history in front of it, columns aligned', () => {
    const shown = h([1000, 2000, 3000], { a: [1, 2, 3], only: [7, 8, 9] })
    const fetched = h([3000, 4000], { a: [30, 40], b: [5, null] })
    expect(withEarlierRows(fetched, shown)).toEqual(h([1000, 2000, 3000, 4000], { a: [1, 2, 30, 40], only: [7, 8, null, null], b: [null, null, 5, null] }))
  })

  it('keeps everything on screen when the fetched history is empty (the engine keeps none)', () => {
    const shown = h([1000, 2000], { a: [1, 2] })
    expect(withEarlierRows(EMPTY_HISTORY, shown)).toEqual(shown)
  })

  it('is the fetched history when it reaches back as far as the screen', () => {
    const fetched = h([500, 1000, 2000], { a: [0, 1, 2] })
    expect(withEarlierRows(fetched, h([1000, 2000], { a: [1, 2] }))).toEqual(fetched)
  })
})

describe('normalize', () => {
  it('pads short columns with null, cuts long ones, and turns NaN into null', () => {
    const history = normalize(h([1, 2, 3], { short: [1], long: [1, 2, 3, 4], nan: [Number.NaN, 2, 3] }))
    expect(history.series).toEqual({ short: [1, null, null], long: [1, 2, 3], nan: [null, 2, 3] })
  })

  it('sorts rows by time and keeps the last of equal timestamps', () => {
    const history = normalize(h([3, 1, 2, 2], { a: [30, 10, 20, 21] }))
    expect(history).toEqual(h([1, 2, 3], { a: [10, 21, 30] }))
  })
})
