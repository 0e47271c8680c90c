import { memo, useId, useMemo } from 'react'
import { Area, AreaChart, CartesianGrid, XAxis, YAxis } from 'recharts'
import type { ProcessHistory } from '../../../shared/types/process'
import { historyRows, niceCeiling } from './history'

interface Props {
  title: string
  history: ProcessHistory | undefined
  series: 'cpuPercent' | 'memoryBytes'
  /** The newest value, formatted, beside the title. */
  current: string
  format: (value: number) => string
  /** The least top of the axis (100 % of one core for CPU). */
  minTop: number
  color: string
}

const MARGIN = { top: 6, right: 8, bottom: 0, left: 0 }
const TICK = { fill: 'var(--text-faint)', fontSize: 10 }

/** A small live chart of one process's CPU or memory (watchProcess history). */
export const ProcessChart = memo(function ProcessChart({ title, history, series, current, format, minTop, color }: Props) {
  const titleId = useId()
  const gradient = useId().replace(/:/g, '')
  const rows = useMemo(() => historyRows(history, series), [history, series])
  const top = useMemo(() => niceCeiling(Math.max(minTop, ...rows.map((r) => r.v)), series === 'memoryBytes'), [rows, minTop, series])
  const last = rows.at(-1)?.t ?? 0
  return (
    <figure className="detail-chart" aria-labelledby={titleId}>
      <figcaption>
        <span id={titleId}>{title}</span>
        <span className="figure">{current}</span>
      </figcaption>
      <div className="detail-chart-plot">
        {rows.length < 2 ? (
          <div className="chart-waiting">Collecting samples…</div>
        ) : (
          <AreaChart responsive style={{ width: '100%', height: '100%' }} data={rows} margin={MARGIN} aria-label={`${title} over the last ${Math.round((last - (rows[0]?.t ?? last)) / 1000)} seconds`}>
            <defs>
              <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor={color} stopOpacity={0.35} />
                <stop offset="100%" stopColor={color} stopOpacity={0.05} />
              </linearGradient>
            </defs>
            <CartesianGrid stroke="var(--chart-grid, var(--border))" vertical={false} />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} hide />
            <YAxis
              domain={[0, top]}
              ticks={[0, top / 2, top]}
              tickFormatter={format}
              tick={TICK}
              tickLine={false}
              axisLine={false}
              width={58}
            />
            <Area dataKey="v" type="monotone" stroke={color} strokeWidth={1.5} fill={`url(#${gradient})`} isAnimationActive={false} dot={false} />
          </AreaChart>
        )}
      </div>
    </figure>
  )
})
