import { memo, useRef, type KeyboardEvent } from 'react'
import { METRICS_RANGES, type MetricsRange } from '../../../shared/types/system'

const LABELS: Record<MetricsRange, { short: string; long: string }> = {
  '1m': { short: '1 min', long: 'Last minute' },
  '5m': { short: '5 min', long: 'Last 5 minutes' },
  '15m': { short: '15 min', long: 'Last 15 minutes' },
  '1h': { short: '1 hour', long: 'Last hour' },
}

interface Props {
  value: MetricsRange
  onChange: (range: MetricsRange) => void
}

/**
 * The time range of every chart: a radio group (one choice of four) drawn
 * as a range-selector control. One tab stop; arrow keys, Home and End move the
 * choice, as in any radio group.
 */
export const RangeSelector = memo(function RangeSelector({ value, onChange }: Props) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([])
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = METRICS_RANGES.indexOf(value)
    const n = METRICS_RANGES.length
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? (at + 1) % n
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? (at - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : undefined
    if (next === undefined) return
    e.preventDefault()
    onChange(METRICS_RANGES[next]!)
    buttons.current[next]?.focus()
  }
  return (
    <div className="range-selector" role="radiogroup" aria-label="Time range" onKeyDown={onKeyDown}>
      {METRICS_RANGES.map((range, i) => (
        <button
          key={range}
          ref={(el) => {
            buttons.current[i] = el
          }}
          type="button"
          role="radio"
          aria-checked={range === value}
          title={LABELS[range].long}
          tabIndex={range === value ? 0 : -1}
          onClick={() => onChange(range)}
        >
          {LABELS[range].short}
        </button>
      ))}
    </div>
  )
})
