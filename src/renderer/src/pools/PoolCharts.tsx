import type { MetricsHistory } from '../../../shared/types/system'
import type { SeriesSpec } from '../system/model/chartData'
import { TimeChart } from '../system/TimeChart'
import { formatPercentShort } from '../system/model/units'
import { formatMs, POOL_SERIES } from './poolsView'
import '../system/system.css'

/** What each pool chart draws (module constants: the memoized charts see the same specs every render). */
const THROUGHPUT: readonly SeriesSpec[] = [{ id: 'throughput', label: 'Ended', color: 'var(--chart-user)', key: POOL_SERIES.throughput }]
const QUEUE: readonly SeriesSpec[] = [
  { id: 'queue', label: 'Queued', color: 'var(--chart-system)', key: POOL_SERIES.queue },
  { id: 'running', label: 'Running', color: 'var(--chart-memory)', key: POOL_SERIES.running },
]
const LATENCY: readonly SeriesSpec[] = [
  { id: 'p50', label: 'p50', color: 'var(--chart-rx)', key: POOL_SERIES.p50 },
  { id: 'p95', label: 'p95', color: 'var(--chart-tx)', key: POOL_SERIES.p95 },
]
const UTILISATION: readonly SeriesSpec[] = [{ id: 'utilisation', label: 'Busy', color: 'var(--chart-steal)', key: POOL_SERIES.utilisation }]

const formatRate = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString()}/s`)
const formatCount = (v: number | null | undefined) => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString())
const formatMsTick = (v: number) => (v >= 1000 ? `${v / 1000} s` : `${v} ms`)
/** Tasks come whole: half a task is no label. */
const formatCountTick = (v: number) => (Number.isInteger(v) ? v.toLocaleString() : '')
const CHART_HEIGHT = 140

/** A pool's four live charts over the last minute: throughput, queue depth, run time p50/p95, utilisation. */
export function PoolCharts({ history }: { history: MetricsHistory }) {
  // The history grows by appending: each sample is a new epoch only for its legend, not a replaced history.
  const timeline = { history, epoch: 0, range: '1m' as const, height: CHART_HEIGHT }
  return (
    <div className="pool-charts">
      <TimeChart title="Throughput" note="tasks per second" specs={THROUGHPUT} {...timeline} format={formatRate} axis="count" />
      <TimeChart title="Queue depth" note="tasks" specs={QUEUE} {...timeline} format={formatCount} axis="count" tickFormat={formatCountTick} />
      <TimeChart title="Latency" note="time on a worker" specs={LATENCY} {...timeline} format={formatMs} axis="count" tickFormat={formatMsTick} />
      <TimeChart title="Utilisation" note="busy worker time" specs={UTILISATION} {...timeline} format={formatPercentShort} axis="percent" />
    </div>
  )
}
