import type { ReactNode } from 'react'
import type { MetricsAggregates, SeriesAggregate, SystemMetrics } from '../../../shared/types/system'
import { SERIES } from '../../../shared/system/series'
import { formatDuration } from '../../../shared/format'
import { formatLoad, formatPercentShort, formatRate, formatSize, MISSING } from './model/units'

interface Props {
  latest: SystemMetrics | undefined
  aggregates: MetricsAggregates | undefined
}

/**
 * Current values of the machine in one strip, each with the range's
 * average and 95th percentile when the engine has them. Plain text that
 * changes every sample; deliberately not a live region (it would speak
 * every second).
 */
export function SummaryStrip({ latest, aggregates }: Props) {
  const agg = (name: string) => aggregates?.series[name]
  const m = latest
  const swapNone = m !== undefined && m.swap.total === 0
  return (
    <section className="sys-summary" aria-label="Summary">
      <dl>
        <Stat label="CPU" now={formatPercentShort(m?.cpu.total)} agg={agg(SERIES.cpuTotal)} format={formatPercentShort} />
        <Stat
          label="Memory"
          now={m ? formatSize(m.memory.used) : MISSING}
          detail={m ? `${formatPercentShort(m.memory.percent)} of ${formatSize(m.memory.total)}` : undefined}
          agg={agg(SERIES.memoryPercent)}
          format={formatPercentShort}
        />
        <Stat
          label="Swap"
          now={swapNone ? 'None' : m ? formatSize(m.swap.used) : MISSING}
          detail={m && !swapNone ? `${formatPercentShort(m.swap.percent)} of ${formatSize(m.swap.total)}` : undefined}
          agg={swapNone ? undefined : agg(SERIES.swapPercent)}
          format={formatPercentShort}
        />
        <Stat label="Received" now={formatRate(m?.network.rxBytesPerSec)} agg={agg(SERIES.networkRx)} format={formatRate} />
        <Stat label="Sent" now={formatRate(m?.network.txBytesPerSec)} agg={agg(SERIES.networkTx)} format={formatRate} />
        <Stat label="Disk read" now={formatRate(m?.disk.readBytesPerSec)} agg={agg(SERIES.diskRead)} format={formatRate} />
        <Stat label="Disk write" now={formatRate(m?.disk.writeBytesPerSec)} agg={agg(SERIES.diskWrite)} format={formatRate} />
        <Stat
          label="Load"
          now={m ? formatLoad(m.load.slice(0, 1)) : MISSING}
          detail={m ? `5m ${formatLoad(m.load.slice(1, 2))} · 15m ${formatLoad(m.load.slice(2, 3))}` : undefined}
          title="Load average over 1 minute (large), 5 and 15 minutes"
        />
        <Stat
          label="Uptime"
          now={m ? formatDuration(m.uptime * 1000) : MISSING}
          detail={m ? `${m.processes.total} processes` : undefined}
          more={m ? `${m.processes.running} running` : undefined}
        />
      </dl>
    </section>
  )
}

interface StatProps {
  label: string
  now: string
  detail?: ReactNode
  more?: ReactNode
  agg?: SeriesAggregate
  format?: (v: number | null) => string
  title?: string
}

function Stat({ label, now, detail, more, agg, format, title }: StatProps) {
  const showAgg = agg !== undefined && format !== undefined && agg.count > 0
  return (
    <div className="sys-stat" title={title}>
      <dt>{label}</dt>
      <dd className="sys-stat-now">{now}</dd>
      {detail !== undefined && <dd className="sys-stat-detail">{detail}</dd>}
      {more !== undefined && <dd className="sys-stat-detail">{more}</dd>}
      {showAgg && (
        <dd className="sys-stat-agg">
          <span>avg {format(agg.avg)}</span> <span>p95 {format(agg.p95)}</span>
        </dd>
      )}
    </div>
  )
}
