import { Counter, Gauge, type Registry } from 'prom-client'
import type { BucketReading } from '../../../shared/pools/buckets'

/** One series of a family: its labels and its value. */
export interface Series {
  labels?: Record<string, string>
  value: number
}

/** What a family reads at scrape time: the series it has now (none, when its source is off). */
export type Read = () => Iterable<Series>

/**
 * Gauges and counters whose series are read when Prometheus scrapes
 * (prom-client's collect), from what the engine keeps anyway: nothing is
 * sampled for metrics between scrapes. Each scrape rebuilds the series, so
 * a label set that is gone (a program removed) is gone from the output.
 */
export function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[], read: Read): void {
  new Gauge({ name, help, labelNames, registers: [registry], collect: rebuild(read, (m, labels, value) => m.set(labels, value)) })
}

/** A counter read from a cumulative value the engine keeps (restarts, bytes, CPU time). */
export function counter(registry: Registry, name: string, help: string, labelNames: readonly string[], read: Read): void {
  new Counter({ name, help, labelNames, registers: [registry], collect: rebuild(read, (m, labels, value) => value >= 0 && m.inc(labels, value)) })
}

/** A collect callback: the metric emptied, then each finite value of `read` put in. */
function rebuild<M extends { reset(): void }>(read: Read, put: (metric: M, labels: Record<string, string>, value: number) => void) {
  return function (this: M): void {
    this.reset()
    for (const s of read()) if (Number.isFinite(s.value)) put(this, s.labels ?? {}, s.value)
  }
}

/** One histogram series: its labels and its buckets. */
export interface HistogramSeries {
  labels: Record<string, string>
  buckets: BucketReading
}

/**
 * A histogram whose buckets are counted elsewhere (a pool counts its tasks'
 * times as they end): prom-client's own Histogram only counts what is
 * observed through it, so this registers an object of the shape its
 * Registry prints (name, help, type, get()).
 */
export function histogram(registry: Registry, name: string, help: string, read: () => Iterable<HistogramSeries>): void {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: () => {
      const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = []
      for (const { labels, buckets } of read()) {
        buckets.bounds.forEach((le, i) => values.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: buckets.cumulative[i]! }))
        values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: buckets.count })
        values.push({ metricName: `${name}_sum`, labels, value: buckets.sum })
        values.push({ metricName: `${name}_count`, labels, value: buckets.count })
      }
      return Promise.resolve({ name, help, type: 'histogram', aggregator: 'sum', values })
    },
  }
  // The Registry's type lists its own classes only; it reads no more than the fields above.
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0])
}
