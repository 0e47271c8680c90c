/** Human units, shared by the UI and the CLI. */

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

export function formatBytes(bytes: number, digits = 1): string {
  if (!Number.isFinite(bytes)) return '–'
  let value = Math.abs(bytes)
  let unit = 0
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const sign = bytes < 0 ? '-' : ''
  return `${sign}${unit === 0 ? value.toFixed(0) : value.toFixed(digits)} ${BINARY_UNITS[unit]}`
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)}%`
}

/** "3d 4h", "2h 5m", "4m 10s", "12s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return `${d}d ${h}h`
  if (h > 0) return `${h}h ${m}m`
  if (m > 0) return `${m}m ${s % 60}s`
  return `${s}s`
}

/** An engine's message as a sentence for a page: capitalised, ending with one period. */
export function asSentence(message: string): string {
  const t = message.charAt(0).toUpperCase() + message.slice(1)
  return t.endsWith('.') ? t : `${t}.`
}
