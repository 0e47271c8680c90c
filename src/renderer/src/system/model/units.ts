/**
 * Units for people, for the System page. Pure (no DOM): unit-tested under
 * test/unit/renderer. Missing values (null, undefined, NaN) print as "–",
 * never "NaN".
 */

export const MISSING = '–'

const present = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v)

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/**
 * Binary units with about three significant figures and no trailing ".0":
 * "0 B", "512 B", "1.5 KiB", "23.5 GiB", "1015 MiB", "10 GiB".
 */
export function formatSize(bytes: number | null | undefined): string {
  if (!present(bytes)) return MISSING
  let value = Math.abs(bytes)
  let unit = 0
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  const text = value.toFixed(digits).replace(/\.0$/, '')
  return `${bytes < 0 ? '-' : ''}${text} ${BINARY_UNITS[unit]}`
}

/** "0 B/s", "1.2 MiB/s", "–" when the rate is unknown (first sample). */
export function formatRate(bytesPerSec: number | null | undefined): string {
  if (!present(bytesPerSec)) return MISSING
  return `${formatSize(Math.max(0, bytesPerSec))}/s`
}

/** Percent with one decimal below 10 and none above: "0.4%", "12%", "100%". */
export function formatPercentShort(value: number | null | undefined): string {
  if (!present(value)) return MISSING
  const v = Math.max(0, value)
  return v < 10 && v !== 0 ? `${v.toFixed(1)}%` : `${Math.round(v)}%`
}

/** Load averages as top(1) prints them. */
export function formatLoad(load: readonly number[] | undefined): string {
  if (!load || load.length === 0) return MISSING
  return load.map((l) => (present(l) ? l.toFixed(2) : MISSING)).join('  ')
}

/** Wall-clock time of a sample, "14:03:27", in the local zone. */
export function formatClock(timestamp: number): string {
  if (!present(timestamp)) return MISSING
  const d = new Date(timestamp)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

/**
 * An x-axis tick as time before the latest sample: "now", "−15s", "−4m",
 * "−1h", "−1h 30m" (offset in ms, ≤ 0).
 */
export function formatAgo(offsetMs: number): string {
  const s = Math.round(Math.abs(offsetMs) / 1000)
  if (s === 0) return 'now'
  if (s < 60) return `−${s}s`
  if (s < 3600) return s % 60 === 0 ? `−${s / 60}m` : `−${Math.floor(s / 60)}m ${s % 60}s`
  const h = Math.floor(s / 3600)
  const m = Math.round((s % 3600) / 60)
  return m === 0 ? `−${h}h` : `−${h}h ${m}m`
}

/** "1 minute", "5 minutes", "1 hour": for labels such as "average over the last 5 minutes". */
export function describeSpan(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes % 60 === 0 && minutes >= 60) {
    const h = minutes / 60
    return h === 1 ? '1 hour' : `${h} hours`
  }
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
