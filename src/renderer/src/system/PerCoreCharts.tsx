import { memo, useId, useMemo } from 'react'
import type { MetricsRange } from '../../../shared/types/system'
import { buildRows, coreColumns, rangeMs, sparklinePaths, type SeriesSpec } from './model/chartData'
import { formatPercentShort } from './model/units'

interface Props {
  /** Core count (from the newest sample, or the history's columns). */
  cores: number
  timestamps: readonly number[]
  /** Column i is core i's busy %. */
  columns: readonly (readonly (number | null)[] | undefined)[]
  range: MetricsRange
}

/** Small multiples are tiny: 60 points each is plenty. */
const MAX_POINTS = 60
const SPEC: readonly SeriesSpec[] = [{ id: 'busy', label: 'Busy', color: 'var(--chart-core)', key: 'busy' }]
/** Rows of tiles that fit the card's height; more scroll. */
const MAX_ROWS_UNSCROLLED = 4

/**
 * CPU per core: a grid of tiny charts on one 0..100 % scale, each a figure
 * named "Core N" with its newest value. A machine may have 128 cores: the
 * tiles are plain SVG sparklines (one path each, memoized on the core's own
 * column), not a full chart apiece, so a refresh stays cheap whatever the
 * count. The big CPU chart above has the tooltip and the split.
 */
export const PerCoreCharts = memo(function PerCoreCharts({ cores, timestamps, columns, range }: Props) {
  const titleId = useId()
  const to = timestamps.at(-1) ?? 0
  const from = to - rangeMs(range)
  const cols = coreColumns(cores)
  return (
    <figure className="chart-card sys-per-core" aria-labelledby={titleId}>
      <figcaption className="chart-head">
        <span className="chart-title" id={titleId}>
          CPU per core
        </span>
        <span className="chart-note">{cores > 0 ? `${cores} logical ${cores === 1 ? 'core' : 'cores'}` : ''}</span>
      </figcaption>
      <div
        className={Math.ceil(cores / cols) > MAX_ROWS_UNSCROLLED ? 'sys-core-grid scroll' : 'sys-core-grid'}
        style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }}
      >
        {cores === 0 && <div className="chart-empty static">Waiting for data…</div>}
        {Array.from({ length: cores }, (_, i) => (
          <CoreChart key={i} index={i} timestamps={timestamps} column={columns[i]} from={from} to={to} />
        ))}
      </div>
    </figure>
  )
})

interface CoreProps {
  index: number
  timestamps: readonly number[]
  column: readonly (number | null)[] | undefined
  from: number
  to: number
}

const CoreChart = memo(function CoreChart({ index, timestamps, column, from, to }: CoreProps) {
  const labelId = useId()
  const paths = useMemo(() => {
    const history = { timestamps: timestamps as number[], series: { busy: (column ?? []) as (number | null)[] } }
    const rows = buildRows(history, SPEC, { from, to }, MAX_POINTS)
    return sparklinePaths(rows, 'busy', { from, to }, 100)
  }, [timestamps, column, from, to])
  const latest = column?.at(-1)
  return (
    <figure className="sys-core" aria-labelledby={labelId}>
      <figcaption className="sys-core-head">
        <span id={labelId}>{`Core ${index}`}</span>
        <span className="figure">{formatPercentShort(latest)}</span>
      </figcaption>
      <svg className="sys-core-plot" viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <path className="sys-core-area" d={paths.area} />
        <path className="sys-core-line" d={paths.line} vectorEffect="non-scaling-stroke" />
      </svg>
    </figure>
  )
})
