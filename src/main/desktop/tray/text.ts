import { formatBytes } from '../../../shared/format'

/**
 * The numbers the tray reads from a system sample. SystemMetrics fits; only
 * these fields are used, and null (or a missing network part) is "unknown".
 */
export interface TraySample {
  cpu: { total: number | null }
  memory: { percent: number | null }
  network?: { rxBytesPerSec: number | null; txBytesPerSec: number | null }
}

/** Shown for a value that is not known (yet). */
export const UNKNOWN = '–'

const known = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v)

/** "23%": whole percent, clamped at 0; "–" when unknown. */
export function formatWholePercent(value: number | null | undefined): string {
  return known(value) ? `${Math.round(Math.max(0, value))}%` : UNKNOWN
}

/** "1.2 MiB/s", "0 B/s"; "–" when unknown or negative. */
export function formatRate(bytesPerSec: number | null | undefined): string {
  return known(bytesPerSec) && bytesPerSec >= 0 ? `${formatBytes(bytesPerSec)}/s` : UNKNOWN
}

/** "↓ 1.2 MiB/s ↑ 98.0 KiB/s" (received, sent). */
export function formatNetwork(sample: TraySample | undefined): string {
  return `↓ ${formatRate(sample?.network?.rxBytesPerSec)} ↑ ${formatRate(sample?.network?.txBytesPerSec)}`
}

/** The hover text: "CPU 23% · Mem 61% · ↓ 1.2 MiB/s ↑ 98.0 KiB/s"; unknowns as –. */
export function trayTooltip(sample: TraySample | undefined, options: { paused?: boolean } = {}): string {
  if (options.paused) return 'Proctor: monitoring paused'
  return `CPU ${formatWholePercent(sample?.cpu.total)} · Mem ${formatWholePercent(sample?.memory.percent)} · ${formatNetwork(sample)}`
}

/** The macOS menu-bar text beside the icon: total CPU, "23%"; empty while paused or unknown. */
export function trayTitle(sample: TraySample | undefined, options: { paused?: boolean } = {}): string {
  const cpu = sample?.cpu.total
  return options.paused || !known(cpu) ? '' : formatWholePercent(cpu)
}
