/**
 * Cumulative counts of durations by upper bound, as a Prometheus histogram
 * keeps them: counting a task is a few additions, so a pool keeps them
 * from its start whether or not anything reads them. Pure: no node:*.
 */

/** Upper bounds, seconds: 1 ms to 5 minutes, roughly x2.5 apart (tasks run from ms to minutes). */
export const TASK_SECONDS_BOUNDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

export interface BucketReading {
  /** The upper bounds, ascending, without +Inf. */
  bounds: readonly number[]
  /** Observations at or below each bound (cumulative), one per bound. */
  cumulative: number[]
  sum: number
  count: number
}

export class BucketCounts {
  private readonly counts: number[]
  private sum = 0
  private count = 0

  constructor(private readonly bounds: readonly number[] = TASK_SECONDS_BOUNDS) {
    this.counts = bounds.map(() => 0)
  }

  /** One observation, in seconds; a negative or non-finite one (a clock step) is left out. */
  observe(seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return
    this.sum += seconds
    this.count++
    const i = this.bounds.findIndex((b) => seconds <= b)
    if (i >= 0) this.counts[i]!++
  }

  read(): BucketReading {
    let running = 0
    return { bounds: this.bounds, cumulative: this.counts.map((c) => (running += c)), sum: this.sum, count: this.count }
  }
}
