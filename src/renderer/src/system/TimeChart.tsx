import { memo, useCallback, useId, useMemo, useState } from 'react'
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts'
import type { MetricsHistory, MetricsRange } from '../../../shared/types/system'
import {
  buildRows,
  byteTicks,
  capacityTicks,
  countTicks,
  hasValues,
  maxOfRows,
  rangeMs,
  timeTicks,
  windowFor,
  type ChartRow,
  type SeriesSpec,
} from './model/chartData'
import { formatAgo, formatClock, formatSize, MISSING } from './model/units'

/** percent: 0..100; rate and capacity: bytes; count: plain numbers (tasks, ms), labelled by `tickFormat`. */
export type Axis = 'percent' | 'rate' | 'capacity' | 'count'

interface Props {
  title: string
  /** Small text after the title ("bytes per second"). */
  note?: string
  specs: readonly SeriesSpec[]
  history: MetricsHistory
  /** Changes when the history is replaced (a fetch), not appended to: the plot redraws at once. */
  epoch: number
  range: MetricsRange
  /** Legend and tooltip values. */
  format: (value: number | null | undefined) => string
  axis: Axis
  /** The top of a capacity axis (memory total); without it the axis follows the data. */
  capacity?: number
  height: number
  /** Instead of a chart, this message (swap on a machine without swap). */
  unavailable?: string
  /** Series that are only listed while they have a value above 0 in the window (steal, other). */
  optional?: readonly string[]
  /** The y axis's labels on a count axis (default: the number). */
  tickFormat?: (value: number) => string
}

/** Room for a point every 4 px of a wide chart: 240 points; more samples are averaged into buckets. */
const MAX_POINTS = 240
// Props that do not change are module constants: recharts then has less to compare and recompute each second.
const AXIS_TICK = { fill: 'var(--text-faint)', fontSize: 11 }
const MARGIN = { top: 6, right: 10, bottom: 0, left: 0 }
const X_AXIS_LINE = { stroke: 'var(--border)' }
const CURSOR = { stroke: 'var(--border-strong)' }
const ACTIVE_DOT = { r: 3, strokeWidth: 0 }
/** With a single point an area has nothing to draw: a dot shows it. */
const LONE_DOT = { r: 2.5, strokeWidth: 0, fillOpacity: 1 }
const FILL_STYLE = { width: '100%', height: '100%' }
const PERCENT_TICKS: readonly number[] = [0, 25, 50, 75, 100]
const formatPercentTick = (v: number) => `${v}%`
const formatSizeTick = (v: number) => formatSize(v)
const formatAgoTick = (x: number) => formatAgo(x)
const formatCountTick = (v: number) => v.toLocaleString()

/**
 * How often a range's plot is redrawn. At 1 min every sample moves the
 * curve by pixels; at 1 h a second is a third of a pixel, and the points
 * are 15 s averages anyway: the plot is redrawn when a bucket completes
 * (the legend still shows every sample).
 */
const PLOT_STEP_MS: Record<MetricsRange, number> = { '1m': 0, '5m': 2_000, '15m': 5_000, '1h': 15_000 }

/**
 * One time-series card: a figure named by its title, a legend with the
 * newest values, and a recharts area chart of the selected range. Memoized:
 * it renders when its history, range or scale change, not when the page
 * around it does (a range button focus, aggregates arriving, ...); the plot
 * inside is memoized again, so a sample that only changes the legend does
 * not redraw it. The x axis is time before the newest sample, so its domain
 * and ticks stay the same from one sample to the next: only the data moves.
 */
export const TimeChart = memo(function TimeChart(props: Props) {
  const { title, note, specs, history, epoch, range, format, axis, capacity, height, optional, unavailable, tickFormat } = props
  const titleId = useId()

  // The newest sample, unbucketed and uncapped, for the legend: every sample.
  const newest = history.timestamps.at(-1) ?? 0
  const latest = useMemo(() => buildRows(history, specs, { from: newest, to: newest }, 1).at(-1), [history, specs, newest])

  // The plot: the history as it was at the last plot step (a new range or a new fetch redraws at once).
  const step = PLOT_STEP_MS[range]
  const plotted = useSampled(history, `${range}:${epoch}:${step > 0 ? Math.floor(newest / step) : newest}`)
  const { from, to } = windowFor(range, plotted, 0)
  const rows = useMemo(
    () =>
      buildRows(plotted, specs, { from, to }, MAX_POINTS, axis === 'capacity' ? capacity : undefined).map(
        (r): ChartRow => ({ ...r, x: r.t - to }),
      ),
    [plotted, specs, from, to, axis, capacity],
  )

  // Optional series are drawn and listed only when they carry something.
  const shown = useStableArray(specs.filter((s) => !optional?.includes(s.id) || rows.some((r) => (r[s.id] ?? 0) > 0.05)))
  const legend = unavailable ? [] : shown

  return (
    <figure className="chart-card" aria-labelledby={titleId}>
      <figcaption className="chart-head">
        <span className="chart-title" id={titleId}>
          {title}
        </span>
        {note && <span className="chart-note">{note}</span>}
        <ul className="chart-legend">
          {legend.map((s) => (
            <li key={s.id}>
              <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.label} <span className="figure">{format(latest?.[s.id])}</span>
            </li>
          ))}
        </ul>
      </figcaption>
      {unavailable ? (
        <div className="chart-unavailable">{unavailable}</div>
      ) : (
        <Plot title={title} rows={rows} specs={specs} shown={shown} range={range} format={format} axis={axis} capacity={capacity} height={height} tickFormat={tickFormat} />
      )}
    </figure>
  )
})

interface PlotProps {
  title: string
  rows: ChartRow[]
  specs: readonly SeriesSpec[]
  shown: readonly SeriesSpec[]
  range: MetricsRange
  format: (value: number | null | undefined) => string
  axis: Axis
  capacity: number | undefined
  height: number
  tickFormat: ((value: number) => string) | undefined
}

/** The recharts part of a card: renders only when its rows (or scale) change. */
const Plot = memo(function Plot({ title, rows, specs, shown, range, format, axis, capacity, height, tickFormat }: PlotProps) {
  const empty = !hasValues(rows, specs)
  const lone = !empty && rows.filter((r) => specs.some((s) => r[s.id] !== null && r[s.id] !== undefined)).length === 1
  const capacityAxis = axis === 'capacity' && capacity !== undefined && capacity > 0
  const yTicks = useStableArray(
    axis === 'percent'
      ? PERCENT_TICKS
      : axis === 'count'
        ? countTicks(maxOfRows(rows, specs), 1, 3)
        : capacityAxis
          ? capacityTicks(capacity)
          : byteTicks(maxOfRows(rows, specs)),
  )
  const yTop = axis === 'percent' ? 100 : capacityAxis ? capacity : yTicks.at(-1)!
  const yDomain = useMemo(() => [0, yTop], [yTop])
  const span = rangeMs(range)
  const xDomain = useMemo(() => [-span, 0], [span])
  const xTicks = useMemo(() => timeTicks(range, { from: -span, to: 0 }), [range, span])
  const tooltip = useCallback((p: TooltipContentProps) => <ChartTooltip {...p} specs={shown} format={format} />, [shown, format])

  return (
    <div className="chart-plot" style={{ height }}>
      <AreaChart responsive style={FILL_STYLE} data={rows} margin={MARGIN} aria-label={`${title} chart; arrow keys move through the values`}>
        <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
        <XAxis
          dataKey="x"
          type="number"
          domain={xDomain}
          allowDataOverflow
          ticks={xTicks}
          tickFormatter={formatAgoTick}
          tick={AXIS_TICK}
          tickLine={false}
          axisLine={X_AXIS_LINE}
          minTickGap={8}
        />
        <YAxis
          type="number"
          domain={yDomain}
          allowDataOverflow
          ticks={yTicks as number[]}
          tickFormatter={axis === 'percent' ? formatPercentTick : axis === 'count' ? (tickFormat ?? formatCountTick) : formatSizeTick}
          tick={AXIS_TICK}
          tickLine={false}
          axisLine={false}
          width={axis === 'percent' ? 40 : 58}
        />
        <Tooltip isAnimationActive={false} cursor={CURSOR} content={tooltip} />
        {shown.map((s) => (
          <Area
            key={s.id}
            dataKey={s.id}
            name={s.label}
            stackId={s.stack}
            type="monotone"
            stroke={s.color}
            strokeWidth={1.5}
            fill={s.color}
            fillOpacity={s.stack ? 0.55 : 0.18}
            connectNulls={false}
            dot={lone ? LONE_DOT : false}
            activeDot={ACTIVE_DOT}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
      {empty && <div className="chart-empty">Waiting for data…</div>}
    </div>
  )
})

/** `value` as it was when `key` last changed. */
function useSampled<T>(value: T, key: string): T {
  const [kept, setKept] = useState({ key, value })
  // React's "adjust state while rendering" pattern: no effect, no extra commit.
  if (kept.key !== key) setKept({ key, value })
  return kept.key === key ? kept.value : value
}

/** The previous array while its contents are the same, so memoized consumers (recharts' selectors) see no change. */
function useStableArray<T>(next: readonly T[]): readonly T[] {
  const [kept, setKept] = useState(next)
  const same = kept.length === next.length && kept.every((v, i) => v === next[i])
  // React's "adjust state while rendering" pattern: no effect, no extra commit.
  if (!same) setKept(next)
  return same ? kept : next
}

interface TooltipProps extends TooltipContentProps {
  specs: readonly SeriesSpec[]
  format: (value: number | null | undefined) => string
}

/** The hovered (or keyboard-selected) moment: its time and every series, formatted. */
export function ChartTooltip({ active, payload, specs, format }: TooltipProps) {
  const row = payload?.[0]?.payload as ChartRow | undefined
  if (!active || !row) return null
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatClock(row.t)}</div>
      {specs.map((s) => {
        const v = row[`${s.id}Raw`] ?? row[s.id]
        return (
          <div key={s.id} className="chart-tooltip-row">
            <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
            <span className="chart-tooltip-label">{s.label}</span>
            <span className="figure">{v === null || v === undefined ? MISSING : format(v)}</span>
          </div>
        )
      })}
    </div>
  )
}
