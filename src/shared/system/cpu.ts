/** Busy and total time of a CPU (or all of them), in any one unit. */
export interface CpuTimes {
  busy: number
  total: number
}

/**
 * Busy share between two readings, 0..100. Counters that went backwards
 * saturate to 0; an empty interval gives null, never NaN.
 */
export function cpuSharePercent(prev: CpuTimes, cur: CpuTimes): number | null {
  const total = cur.total - prev.total
  if (!(total > 0)) return null
  const busy = Math.max(0, cur.busy - prev.busy)
  return Math.min(100, (busy / total) * 100)
}
