import type { SeriesAggregate } from '../types/system'

/**
 * p-th percentile by nearest rank: the smallest value such that at least
 * p % of the values are less or equal, i.e. sorted[ceil(p/100 * n) - 1].
 * Always one of the values (never interpolated); undefined for no values.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length
  if (n === 0) return undefined
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)))
  return sorted[rank - 1]
}

/**
 * min, max, mean and p95 (nearest rank) of one series. Missing values, as
 * null or NaN (how a Float64Array column stores them), are skipped and not
 * counted; a series with none gives nulls and count 0.
 */
export function aggregateSeries(values: ArrayLike<number | null>): SeriesAggregate {
  const present = new Float64Array(values.length)
  let n = 0
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined || Number.isNaN(v)) continue
    present[n++] = v
    sum += v
  }
  if (n === 0) return { min: null, max: null, avg: null, p95: null, count: 0 }
  // A typed array sorts numerically.
  const sorted = present.subarray(0, n).sort()
  return { min: sorted[0]!, max: sorted[n - 1]!, avg: sum / n, p95: nearestRank(sorted, 95)!, count: n }
}
