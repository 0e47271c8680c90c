import type { MetricsHistory, MetricsRange } from '../../../../shared/types/system'
import { METRICS_RANGE_MS } from '../../../../shared/system/ranges'

/**
 * From history columns to what a recharts chart draws: rows of one time
 * window, averaged into buckets when there are more samples than a chart
 * has room for, and axis ticks for people. Pure (no DOM, no React):
 * unit-tested under test/unit/renderer.
 */

/** One series of a chart: read from a history column, or derived from several. */
export interface SeriesSpec {
  /** The chart's data key: a plain identifier (recharts reads dotted keys as paths). */
  id: string
  label: string
  /** Any CSS colour, usually a var() from styles/tokens.css. */
  color: string
  /** The history series it shows (see shared/system/series.ts). */
  key?: string
  /** Or a value computed from other series of the same (bucketed) row. */
  derive?: { keys: readonly string[]; fn: (values: readonly (number | null)[]) => number | null }
  /** Stacked on the series before it with the same stack. */
  stack?: string
}

/** A chart row: time (ms since the epoch) and one value per series id; `<id>Raw` when the drawn value was clipped. */
export type ChartRow = { t: number } & Record<string, number | null>

export interface TimeWindow {
  from: number
  to: number
}

export function rangeMs(range: MetricsRange): number {
  return METRICS_RANGE_MS[range]
}

/**
 * The window a chart shows: the range ending at the newest sample (so the
 * right edge is always data, not a gap), or at `now` before any sample.
 */
export function windowFor(range: MetricsRange, history: MetricsHistory, now: number): TimeWindow {
  const to = history.timestamps.at(-1) ?? now
  return { from: to - rangeMs(range), to }
}

/** Bucket widths a chart may average over, so buckets stay aligned to the clock and do not jitter. */
const BUCKET_STEPS_MS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000]

/** The narrowest clock-aligned bucket that fits `spanMs` into `maxPoints`. */
export function bucketMsFor(spanMs: number, maxPoints: number): number {
  const need = spanMs / Math.max(1, maxPoints)
  return BUCKET_STEPS_MS.find((s) => s >= need) ?? BUCKET_STEPS_MS.at(-1)!
}

/**
 * Rows for the series `specs`, for samples inside `window`. With more
 * samples than `maxPoints`, samples are averaged into clock-aligned
 * buckets (nulls skipped; a bucket with no value is null, so gaps stay
 * gaps). Each row's t is the mean time of its samples.
 *
 * `stackMax` caps stacked series so their sum never passes it (used memory
 * plus cache can exceed the total by a rounding); the true value is kept as
 * `<id>Raw` for the tooltip.
 */
export function buildRows(
  history: MetricsHistory,
  specs: readonly SeriesSpec[],
  window: TimeWindow,
  maxPoints: number,
  stackMax?: number,
): ChartRow[] {
  const { timestamps } = history
  const keys = [...new Set(specs.flatMap((s) => (s.key !== undefined ? [s.key] : (s.derive?.keys ?? []))))]
  const columns = keys.map((k) => history.series[k])

  // Samples inside the window.
  let start = 0
  while (start < timestamps.length && timestamps[start]! < window.from) start++
  let end = timestamps.length
  while (end > start && timestamps[end - 1]! > window.to) end--
  if (end <= start) return []

  // Source rows: raw, or bucketed averages.
  const source: { t: number; values: (number | null)[] }[] = []
  const bucketMs = end - start > maxPoints ? bucketMsFor(window.to - window.from, maxPoints) : 0
  if (bucketMs === 0) {
    for (let i = start; i < end; i++) source.push({ t: timestamps[i]!, values: columns.map((c) => valueAt(c, i)) })
  } else {
    let i = start
    while (i < end) {
      const bucket = Math.floor(timestamps[i]! / bucketMs)
      let tSum = 0
      let n = 0
      const sums = new Array<number>(keys.length).fill(0)
      const counts = new Array<number>(keys.length).fill(0)
      for (; i < end && Math.floor(timestamps[i]! / bucketMs) === bucket; i++) {
        tSum += timestamps[i]!
        n++
        columns.forEach((c, k) => {
          const v = valueAt(c, i)
          if (v !== null) {
            sums[k]! += v
            counts[k]!++
          }
        })
      }
      source.push({ t: tSum / n, values: sums.map((s, k) => (counts[k]! > 0 ? s / counts[k]! : null)) })
    }
  }

  const index = new Map(keys.map((k, i) => [k, i]))
  return source.map(({ t, values }) => {
    const row: ChartRow = { t } as ChartRow
    const stacked = new Map<string, number>()
    for (const spec of specs) {
      let v: number | null
      if (spec.key !== undefined) v = values[index.get(spec.key)!] ?? null
      else if (spec.derive) v = spec.derive.fn(spec.derive.keys.map((k) => values[index.get(k)!] ?? null))
      else v = null
      if (v !== null && !Number.isFinite(v)) v = null
      if (stackMax !== undefined && spec.stack !== undefined && v !== null) {
        const below = stacked.get(spec.stack) ?? 0
        const capped = Math.max(0, Math.min(v, stackMax - below))
        if (capped !== v) row[`${spec.id}Raw`] = v
        stacked.set(spec.stack, below + capped)
        v = capped
      }
      row[spec.id] = v
    }
    return row
  })
}

function valueAt(column: readonly (number | null)[] | undefined, i: number): number | null {
  const v = column?.[i]
  return v === null || v === undefined || !Number.isFinite(v) ? null : v
}

/** The largest value drawn (stacked series summed), 0 for none. */
export function maxOfRows(rows: readonly ChartRow[], specs: readonly SeriesSpec[]): number {
  let max = 0
  for (const row of rows) {
    const stacks = new Map<string, number>()
    for (const spec of specs) {
      const v = row[spec.id]
      if (v === null || v === undefined) continue
      if (spec.stack !== undefined) {
        const sum = (stacks.get(spec.stack) ?? 0) + v
        stacks.set(spec.stack, sum)
        if (sum > max) max = sum
      } else if (v > max) max = v
    }
  }
  return max
}

/** Whether any row has a value for any series: else the chart says it is waiting. */
export function hasValues(rows: readonly ChartRow[], specs: readonly SeriesSpec[]): boolean {
  return rows.some((row) => specs.some((s) => row[s.id] !== null && row[s.id] !== undefined))
}

/** Tick spacing of the x axis per range: 4 or 5 ticks, on round offsets from the newest sample. */
const X_TICK_STEP_MS: Record<MetricsRange, number> = {
  '1m': 15_000,
  '5m': 60_000,
  '15m': 5 * 60_000,
  '1h': 15 * 60_000,
}

/** X ticks (absolute ms) at round offsets before `window.to`, oldest first, ending at `to` ("now"). */
export function timeTicks(range: MetricsRange, window: TimeWindow): number[] {
  const step = X_TICK_STEP_MS[range]
  const ticks: number[] = []
  for (let offset = rangeMs(range); offset >= 0; offset -= step) ticks.push(window.to - offset)
  return ticks
}

const KIB = 1024
/** Steps, in the chosen binary unit, that give round tick labels. */
const BYTE_STEPS = [0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]

/**
 * Y ticks for a byte axis from 0 to at least `max`, at most `maxIntervals`
 * intervals, on round numbers of one binary unit (0, 512 KiB, 1 MiB,
 * 1.5 MiB). With nothing measured yet (`max` 0, null, NaN) the axis still
 * has a scale: up to `floor`.
 */
export function byteTicks(max: number | null | undefined, floor = KIB, maxIntervals = 4): number[] {
  const top = max !== null && max !== undefined && Number.isFinite(max) && max > floor ? max : floor
  let unit = 1
  while (top / unit >= KIB) unit *= KIB
  const m = top / unit
  const step = (BYTE_STEPS.find((s) => Math.ceil(m / s - 1e-9) <= maxIntervals) ?? BYTE_STEPS.at(-1)!) * unit
  const intervals = Math.max(1, Math.ceil(top / step - 1e-9))
  return Array.from({ length: intervals + 1 }, (_, i) => i * step)
}

/** Ticks for a count axis (tasks, ms, tasks/s): 0 up to at least `max`, on 1-2-5 steps, at most `maxIntervals` intervals. */
export function countTicks(max: number | null | undefined, floor = 1, maxIntervals = 4): number[] {
  const top = max !== null && max !== undefined && Number.isFinite(max) && max > floor ? max : floor
  const raw = top / maxIntervals
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].map((s) => s * magnitude).find((s) => s >= raw - 1e-9) ?? 10 * magnitude)
  const intervals = Math.max(1, Math.ceil(top / step - 1e-9))
  return Array.from({ length: intervals + 1 }, (_, i) => Number((i * step).toPrecision(12)))
}

/** Ticks for a fixed byte scale (memory): round values up to `total`, never past it. */
export function capacityTicks(total: number, maxIntervals = 4): number[] {
  if (!(total > 0)) return [0]
  const ticks = byteTicks(total, 1, maxIntervals).filter((t) => t <= total)
  return ticks
}

/** Columns of the per-core grid: tiles wider than tall, and more columns as cores add up. */
export function coreColumns(cores: number): number {
  if (cores <= 2) return 1
  if (cores <= 8) return 2
  if (cores <= 18) return 3
  if (cores <= 32) return 4
  return 6
}

/**
 * SVG paths of one series in a 1000 x 100 box (x: the window, y: 0..`max`
 * upwards): the line, and the area under it. Nulls break both, so a gap
 * is drawn as a gap; a lone point between gaps is a short flat segment.
 */
export function sparklinePaths(rows: readonly ChartRow[], id: string, window: TimeWindow, max: number): { line: string; area: string } {
  const span = window.to - window.from
  if (!(span > 0) || !(max > 0)) return { line: '', area: '' }
  const x = (t: number) => Math.round(((t - window.from) / span) * 10_000) / 10
  const y = (v: number) => Math.round((100 - (Math.max(0, Math.min(max, v)) / max) * 100) * 10) / 10
  const runs: { x: number; y: number }[][] = []
  let run: { x: number; y: number }[] = []
  for (const row of rows) {
    const v = row[id]
    if (v === null || v === undefined || !Number.isFinite(v) || row.t < window.from || row.t > window.to) {
      if (run.length) runs.push(run)
      run = []
      continue
    }
    run.push({ x: x(row.t), y: y(v) })
  }
  if (run.length) runs.push(run)
  let line = ''
  let area = ''
  for (const r of runs) {
    const lone = r[0]!
    const points = r.length === 1 ? [{ x: Math.min(lone.x, 998), y: lone.y }, { x: Math.min(lone.x, 998) + 2, y: lone.y }] : r
    const body = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join('')
    line += body
    area += `${body}L${points.at(-1)!.x} 100L${points[0]!.x} 100Z`
  }
  return { line, area }
}
