/**
 * How much a cumulative counter grew between two readings. A counter that
 * went backwards was either reset (driver reload, device re-created) or
 * wrapped. Where the kernel's counters are 32-bit (`wrapAt` = 2^32), a
 * wrap is assumed; elsewhere (64-bit kernels: they never wrap in practice)
 * it was a reset and the growth is unknown: null, never a negative or
 * made-up number.
 */
export function counterDelta(prev: number, cur: number, wrapAt?: number): number | null {
  if (cur >= prev) return cur - prev
  if (wrapAt !== undefined && prev < wrapAt && cur < wrapAt) return wrapAt - prev + cur
  return null
}

/** Growth per second over an interval; null for an unknown growth or an empty interval. */
export function perSecond(delta: number | null, seconds: number): number | null {
  return delta === null || !(seconds > 0) ? null : delta / seconds
}

/** Sum of parts, or null if any part is unknown (a total that silently left one out would be wrong). */
export function sumOrNull(values: readonly (number | null)[]): number | null {
  let sum = 0
  for (const v of values) {
    if (v === null) return null
    sum += v
  }
  return sum
}
