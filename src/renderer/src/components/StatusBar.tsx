import type { SystemMetrics } from '../../../shared/types/system'
import { formatBytes, formatPercent } from '../../../shared/format'
import './statusBar.css'

interface Props {
  shown: number
  total: number
  /** No snapshot yet. */
  loading: boolean
  metrics: SystemMetrics | undefined
  refreshIntervalMs: number | undefined
  /** Updates are paused: the list is frozen. */
  paused?: boolean
}

export function formatInterval(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(2))} s`
}

function Meter({ percent }: { percent: number | null | undefined }) {
  const value = percent === null || percent === undefined || !Number.isFinite(percent) ? 0 : Math.max(0, Math.min(100, percent))
  return (
    <span className="meter" aria-hidden="true">
      <span className="meter-fill" style={{ width: `${value}%` }} />
    </span>
  )
}

export function StatusBar({ shown, total, loading, metrics, refreshIntervalMs, paused = false }: Props) {
  const cpu = metrics?.cpu.total
  const memory = metrics?.memory
  return (
    <footer className="statusbar">
      <span className="status-item">
        {loading ? 'Processes: –' : shown === total ? `Processes: ${total}` : `Processes: ${shown} of ${total}`}
      </span>
      <span className="status-item">
        CPU <Meter percent={cpu} /> <span className="figure">{formatPercent(cpu)}</span>
      </span>
      <span className="status-item">
        Memory <Meter percent={memory?.percent} />{' '}
        <span className="figure">{memory ? `${formatBytes(memory.used)} / ${formatBytes(memory.total)}` : '–'}</span>
      </span>
      {metrics && (
        <span className="status-item" title="Load average over 1, 5 and 15 minutes">
          Load <span className="figure">{metrics.load.map((l) => l.toFixed(2)).join(' ')}</span>
        </span>
      )}
      {paused && (
        <span className="status-item status-paused status-end" title="The process list is frozen; Resume updates to see live values">
          <span className="paused-mark" aria-hidden="true" />
          Paused
        </span>
      )}
      <span className={paused ? 'status-item' : 'status-item status-end'}>
        Refresh <span className="figure">{refreshIntervalMs === undefined ? '–' : formatInterval(refreshIntervalMs)}</span>
      </span>
    </footer>
  )
}
