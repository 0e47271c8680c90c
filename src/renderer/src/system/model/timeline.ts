import type { MetricsHistory, SeriesValues } from '../../../../shared/types/system'

/**
 * The System page's history: the columns getMetricsHistory returns, with
 * live samples appended and the old ones trimmed, so the arrays stay
 * bounded by the range (and by MAX_ROWS whatever the timestamps say).
 * Every function returns a new value and leaves its input alone: React sees
 * a change by identity. Pure (no DOM): unit-tested under test/unit/renderer.
 */

/** A hard bound on rows kept: one hour at 4 samples a second, far above what a range needs at 1 Hz. */
export const MAX_ROWS = 14_400

export const EMPTY_HISTORY: MetricsHistory = Object.freeze({ timestamps: [], series: {} }) as MetricsHistory

/** The timestamp of the newest row, or undefined for an empty history. */
export function lastTimestamp(history: MetricsHistory): number | undefined {
  return history.timestamps.at(-1)
}

/**
 * Keeps the rows no older than `windowMs` before the newest one (and at most
 * `maxRows` of them). Returns the same object when nothing is dropped.
 */
export function trimHistory(history: MetricsHistory, windowMs: number, maxRows = MAX_ROWS): MetricsHistory {
  const { timestamps } = history
  const newest = timestamps.at(-1)
  if (newest === undefined) return history
  const from = newest - windowMs
  let start = Math.max(0, timestamps.length - maxRows)
  // Timestamps are ascending: the first kept row by binary search.
  let lo = start
  let hi = timestamps.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (timestamps[mid]! < from) lo = mid + 1
    else hi = mid
  }
  start = lo
  if (start === 0) return history
  const series: MetricsHistory['series'] = {}
  for (const [name, column] of Object.entries(history.series)) series[name] = column.slice(start)
  return { timestamps: timestamps.slice(start), series }
}

/**
 * Adds one sample (its seriesValues) at the end and trims to the window.
 * A sample not newer than the last row is a duplicate (the stream repeats
 * its latest value to a new subscriber, and a fetched history may already
 * hold it): the history comes back unchanged. A series the history has not
 * seen yet gets nulls for the earlier rows; a series the sample lacks gets
 * a null, so every column stays aligned with the timestamps.
 */
export function appendSample(
  history: MetricsHistory,
  timestamp: number,
  values: SeriesValues,
  windowMs: number,
  maxRows = MAX_ROWS,
): MetricsHistory {
  if (!Number.isFinite(timestamp)) return history
  const newest = lastTimestamp(history)
  if (newest !== undefined && timestamp <= newest) return history
  const rows = history.timestamps.length
  const series: MetricsHistory['series'] = {}
  for (const [name, column] of Object.entries(history.series)) series[name] = [...column, clean(values[name])]
  for (const [name, value] of Object.entries(values)) {
    if (name in series) continue
    const column = new Array<number | null>(rows + 1).fill(null)
    column[rows] = clean(value)
    series[name] = column
  }
  return trimHistory({ timestamps: [...history.timestamps, timestamp], series }, windowMs, maxRows)
}

/** A fetched history with the samples that arrived while it was on its way. */
export function mergeHistory(
  fetched: MetricsHistory,
  samples: readonly { timestamp: number; values: SeriesValues }[],
  windowMs: number,
  maxRows = MAX_ROWS,
): MetricsHistory {
  let history = normalize(fetched)
  for (const s of samples) history = appendSample(history, s.timestamp, s.values, windowMs, maxRows)
  return trimHistory(history, windowMs, maxRows)
}

/**
 * A fetched history with the rows on screen from before its first one in
 * front: what the page sampled itself stays when the engine's history
 * begins later (it was off, or was just turned on). Columns stay aligned.
 */
export function withEarlierRows(fetched: MetricsHistory, shown: MetricsHistory): MetricsHistory {
  const history = normalize(fetched)
  const first = history.timestamps[0] ?? Infinity
  let k = 0
  while (k < shown.timestamps.length && shown.timestamps[k]! < first) k++
  if (k === 0) return history
  const n = history.timestamps.length
  const series: MetricsHistory['series'] = {}
  for (const name of new Set([...Object.keys(shown.series), ...Object.keys(history.series)])) {
    const before = shown.series[name]?.slice(0, k) ?? new Array<number | null>(k).fill(null)
    series[name] = [...before, ...(history.series[name] ?? new Array<number | null>(n).fill(null))]
  }
  return { timestamps: [...shown.timestamps.slice(0, k), ...history.timestamps], series }
}

/**
 * A history as it came over the wire, made safe to chart: columns as long
 * as the timestamps (padded with null or cut), NaN and undefined as null,
 * rows in ascending time.
 */
export function normalize(history: MetricsHistory): MetricsHistory {
  const n = history.timestamps.length
  let ascending = true
  for (let i = 1; i < n && ascending; i++) ascending = history.timestamps[i]! > history.timestamps[i - 1]!
  const order = ascending ? undefined : sortedUniqueOrder(history.timestamps)
  const timestamps = order ? order.map((i) => history.timestamps[i]!) : history.timestamps
  const series: MetricsHistory['series'] = {}
  for (const [name, column] of Object.entries(history.series)) {
    series[name] = order ? order.map((i) => clean(column[i])) : Array.from({ length: n }, (_, i) => clean(column[i]))
  }
  return { timestamps, series }
}

function sortedUniqueOrder(timestamps: readonly number[]): number[] {
  const order = timestamps.map((_, i) => i).filter((i) => Number.isFinite(timestamps[i]))
  order.sort((a, b) => timestamps[a]! - timestamps[b]! || b - a)
  // Of equal timestamps keep the last one given.
  return order.filter((i, k) => k === 0 || timestamps[i] !== timestamps[order[k - 1]!])
}

function clean(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value
}

/** The newest row's value of a series: null when that sample had none (a rate on the first sample). */
export function latestValue(history: MetricsHistory, name: string): number | null {
  const column = history.series[name]
  const v = column?.at(-1)
  return v === undefined ? null : v
}
