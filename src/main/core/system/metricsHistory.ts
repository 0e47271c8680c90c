import { aggregateSeries } from '../../../shared/system/aggregate'
import type { MetricsAggregates, MetricsHistory, SeriesAggregate, SeriesValues } from '../../../shared/types/system'

/** Far more than any machine's cores + the fixed series; a guard against names that never stop coming. */
const MAX_SERIES = 1024

/**
 * The last `capacity` samples in columns: one Float64Array per series (NaN
 * for no value) plus one of timestamps, used as a ring. Memory is
 * 8 bytes x capacity x (series + 1) whatever the number of samples recorded;
 * none while empty (allocated on the first record, released by clear()).
 */
export class MetricsHistoryStore {
  private timestamps: Float64Array
  private columns = new Map<string, Float64Array>()
  /** Next row to write. */
  private head = 0
  private count = 0

  constructor(private cap: number) {
    this.timestamps = new Float64Array(0)
  }

  get size(): number {
    return this.count
  }

  get capacity(): number {
    return this.cap
  }

  /** Earliest timestamp held (by value: the wall clock may have stepped back). */
  get oldest(): number | undefined {
    let min: number | undefined
    for (const row of this.rows(-Infinity, Infinity)) min = Math.min(min ?? Infinity, this.timestamps[row]!)
    return min
  }

  /** Bytes held by the columns. */
  get bytes(): number {
    return this.timestamps.byteLength + [...this.columns.values()].reduce((sum, c) => sum + c.byteLength, 0)
  }

  record(timestamp: number, values: SeriesValues): void {
    if (this.timestamps.length !== this.cap) this.timestamps = new Float64Array(this.cap)
    const row = this.head
    this.timestamps[row] = timestamp
    // One pass over the values; the columns they did not name (rare: a CPU went offline) get NaN after.
    let written = 0
    for (const name in values) {
      let column = this.columns.get(name)
      if (!column) {
        if (this.columns.size >= MAX_SERIES) continue
        column = new Float64Array(this.cap).fill(NaN)
        this.columns.set(name, column)
      }
      column[row] = values[name] ?? NaN
      written++
    }
    if (written !== this.columns.size) for (const [name, column] of this.columns) if (!(name in values)) column[row] = NaN
    this.head = (row + 1) % this.cap
    this.count = Math.min(this.count + 1, this.cap)
  }

  /** Forgets every sample and frees the columns. */
  clear(): void {
    this.timestamps = new Float64Array(0)
    this.columns = new Map()
    this.head = 0
    this.count = 0
  }

  /** Keeps the newest samples that fit. */
  setCapacity(cap: number): void {
    if (cap === this.cap) return
    if (this.count === 0) {
      this.clear()
      this.cap = cap
      return
    }
    const keep = this.rows(-Infinity, Infinity).slice(-cap)
    const move = (from: Float64Array) => {
      const to = new Float64Array(cap).fill(NaN)
      keep.forEach((row, i) => (to[i] = from[row]!))
      return to
    }
    this.timestamps = move(this.timestamps)
    for (const [name, column] of this.columns) this.columns.set(name, move(column))
    this.cap = cap
    this.count = keep.length
    this.head = keep.length % cap
  }

  /** Samples with from <= timestamp <= to, oldest first, every series aligned with the timestamps. */
  history(from: number, to: number): MetricsHistory {
    const rows = this.rows(from, to)
    const series: MetricsHistory['series'] = {}
    for (const [name, column] of this.columns) {
      series[name] = rows.map((r) => {
        const v = column[r]!
        return Number.isNaN(v) ? null : v
      })
    }
    return { timestamps: rows.map((r) => this.timestamps[r]!), series }
  }

  aggregates(from: number, to: number): MetricsAggregates {
    const rows = this.rows(from, to)
    const values = new Float64Array(rows.length)
    const series: Record<string, SeriesAggregate> = {}
    for (const [name, column] of this.columns) {
      rows.forEach((r, i) => (values[i] = column[r]!))
      series[name] = aggregateSeries(values)
    }
    return { from, to, series }
  }

  /**
   * Row indexes in the window, oldest first. A scan rather than a binary
   * search: the wall clock may have stepped back, so timestamps need not be sorted.
   */
  private rows(from: number, to: number): number[] {
    const out: number[] = []
    for (let k = 0; k < this.count; k++) {
      const row = (this.head - this.count + k + this.cap) % this.cap
      const t = this.timestamps[row]!
      if (t >= from && t <= to) out.push(row)
    }
    return out
  }
}
