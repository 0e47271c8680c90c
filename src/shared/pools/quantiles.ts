/**
 * Wait and run times as samples, not averages (piscina keeps histograms
 * for the same reason): the last `capacity` values in a ring, and their
 * quantiles on demand. Pure: no node:*, no DOM.
 */

export interface Quantiles {
  p50: number
  p95: number
  p99: number
}

export const NO_QUANTILES: Quantiles = { p50: 0, p95: 0, p99: 0 }

/** The q-quantile (0..1) of ascending `sorted` by the nearest-rank method; 0 for no values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length)
  return sorted[Math.max(0, rank - 1)]!
}

export function quantilesOf(values: readonly number[]): Quantiles {
  if (values.length === 0) return { ...NO_QUANTILES }
  const sorted = [...values].sort((a, b) => a - b)
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) }
}

/** The last `capacity` samples, oldest overwritten first. */
export class SampleRing {
  private readonly values: number[] = []
  private next = 0

  constructor(readonly capacity = 1000) {}

  add(value: number): void {
    if (this.values.length < this.capacity) this.values.push(value)
    else this.values[this.next] = value
    this.next = (this.next + 1) % this.capacity
  }

  get size(): number {
    return this.values.length
  }

  quantiles(): Quantiles {
    return quantilesOf(this.values)
  }
}
