import type { ProcessHistory } from '../../../shared/types/process'

/** From a watched process's history to chart rows. Pure. */

export interface HistoryRow {
  t: number
  v: number
}

export function historyRows(history: ProcessHistory | undefined, series: 'cpuPercent' | 'memoryBytes'): HistoryRow[] {
  if (!history) return []
  const values = history[series]
  const n = Math.min(history.timestamps.length, values.length)
  const rows: HistoryRow[] = []
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    rows.push({ t: history.timestamps[i] as number, v: Number.isFinite(v) ? v : 0 })
  }
  return rows
}

/**
 * A round axis top at or above `value`: 1, 2 or 5 times a power of ten
 * (percentages), or a power of two above 1 KiB (bytes) when `binary`.
 */
export function niceCeiling(value: number, binary = value >= 1024): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1
  if (binary) return 2 ** Math.ceil(Math.log2(value))
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power
  return 10 * power
}
