import { useMemo, useState } from 'react'
import type { MetricsAggregates, MetricsHistory, MetricsRange } from '../../../shared/types/system'
import { coreSeries } from '../../../shared/system/series'
import { rangeMs } from './model/chartData'
import { FilesystemTable } from './FilesystemTable'
import { PerCoreCharts } from './PerCoreCharts'
import { RangeSelector } from './RangeSelector'
import { CPU_OPTIONAL, CPU_SPECS, DISK_SPECS, MEMORY_SPECS, NETWORK_SPECS, SWAP_SPECS } from './model/specs'
import { SummaryStrip } from './SummaryStrip'
import { TimeChart } from './TimeChart'
import { describeSpan, formatClock, formatPercentShort, formatRate, formatSize } from './model/units'
import { useAggregates, useMetricsTimeline, usePageVisible } from './useMetricsTimeline'
import './system.css'

const NO_COLUMNS: readonly (readonly (number | null)[] | undefined)[] = []

/**
 * The System page: charts of the selected range (history from the engine,
 * then every live sample), a summary of current values and the range's
 * aggregates, and the filesystems. Mounted only while its tab is selected;
 * subscribed only while the window is visible too. `engineHistory`: the
 * engine keeps history (monitorSystemMetrics); without it the charts have
 * only what the page sampled since it opened, and say so.
 */
export function SystemPage({ engineHistory = true }: { engineHistory?: boolean }) {
  const [range, setRange] = useState<MetricsRange>('1m')
  const visible = usePageVisible()
  const { history, latest, loaded, epoch, historyError, streamError, retry } = useMetricsTimeline(range, visible, engineHistory)
  const aggregates = useAggregates(range, visible)
  // What every time chart draws: the same history, over the same range.
  const timeline = { history, epoch, range }

  const cores = useCoreColumns(history, latest?.cpu.cores.length)
  const memoryTotal = latest?.memory.total
  const swapTotal = latest?.swap.total
  const last = history.timestamps.at(-1)
  const span = describeSpan(rangeMs(range))
  const problem = streamError
    ? `Live system metrics stopped: ${streamError.message}`
    : historyError
      ? `Could not load the metrics history (${historyError.message}); showing live samples only.`
      : undefined

  return (
    <div className="system-page">
      <div className="system-toolbar">
        <h2 className="system-heading">System</h2>
        <RangeSelector value={range} onChange={setRange} />
        <div className="system-status">
          {hasAggregates(aggregates) && <span>avg and p95 over the last {span}</span>}
          <span className="system-updated">
            {last === undefined ? (loaded ? 'Waiting for the first sample…' : 'Loading history…') : `Last sample ${formatClock(last)}`}
          </span>
        </div>
      </div>
      {problem && (
        <div className="system-problem" role="alert">
          <span>{problem}</span>
          <button type="button" className="banner-action" onClick={retry}>
            Retry
          </button>
        </div>
      )}
      {!engineHistory && (
        <p className="system-note" role="note">
          History is off: the charts show only what was sampled since this page opened. With “Keep system metrics history” on
          (Preferences), Proctor records in the background, page open or not.
        </p>
      )}
      <SummaryStrip latest={latest} aggregates={aggregates} />
      <div className="sys-chart-grid">
        <div className="sys-span-2">
          <TimeChart
            title="CPU"
            note="% of all cores"
            specs={CPU_SPECS}
            optional={CPU_OPTIONAL}
            {...timeline}
            format={formatPercentShort}
            axis="percent"
            height={178}
          />
        </div>
        <PerCoreCharts cores={cores.count} timestamps={history.timestamps} columns={cores.columns} range={range} />
        <TimeChart
          title="Memory"
          note={memoryTotal ? `of ${formatSize(memoryTotal)}` : undefined}
          specs={MEMORY_SPECS}
          {...timeline}
          format={formatSize}
          axis="capacity"
          capacity={memoryTotal}
          height={140}
        />
        <TimeChart
          title="Network"
          note="per second"
          specs={NETWORK_SPECS}
          {...timeline}
          format={formatRate}
          axis="rate"
          height={140}
        />
        <TimeChart
          title="Disk I/O"
          note="per second"
          specs={DISK_SPECS}
          {...timeline}
          format={formatRate}
          axis="rate"
          height={140}
        />
        <TimeChart
          title="Swap"
          note={swapTotal ? `of ${formatSize(swapTotal)}` : undefined}
          specs={SWAP_SPECS}
          {...timeline}
          format={formatSize}
          axis="capacity"
          capacity={swapTotal}
          height={140}
          unavailable={swapTotal === 0 ? 'No swap configured' : undefined}
        />
        <div className="sys-span-2">
          <FilesystemTable filesystems={latest?.filesystems} />
        </div>
      </div>
    </div>
  )
}

function hasAggregates(aggregates: MetricsAggregates | undefined): boolean {
  return aggregates !== undefined && Object.values(aggregates.series).some((a) => a.count > 0)
}

/**
 * Per-core columns of the history, one per core, kept as the same array
 * while the history is (so each memoized core chart sees only its column).
 */
function useCoreColumns(history: MetricsHistory, liveCount: number | undefined) {
  return useMemo(() => {
    let count = liveCount ?? 0
    while (history.series[coreSeries(count)] !== undefined) count++
    if (count === 0) return { count, columns: NO_COLUMNS }
    return { count, columns: Array.from({ length: count }, (_, i) => history.series[coreSeries(i)]) }
  }, [history, liveCount])
}
