import type { CpuShare } from '../types/system'

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

/**
 * Cumulative time columns of one CPU (Linux /proc/stat, in USER_HZ ticks).
 * Columns a platform does not report are left out, and their shares are
 * null rather than a made-up 0.
 */
export interface CpuCounters {
  user: number
  nice: number
  system: number
  idle: number
  iowait?: number
  irq?: number
  softirq?: number
  steal?: number
}

/**
 * Busy and total time. guest/guest_nice are not columns here: the kernel
 * already counts them inside user/nice. iowait is idle time (the CPU was
 * free to run something else), so it is in the total but not busy.
 */
export function cpuTimes(c: CpuCounters): CpuTimes {
  const busy = c.user + c.nice + c.system + (c.irq ?? 0) + (c.softirq ?? 0) + (c.steal ?? 0)
  return { busy, total: busy + c.idle + (c.iowait ?? 0) }
}

/** Total busy share and its parts over the interval; user includes nice, system includes irq and softirq. */
export function cpuShares(prev: CpuCounters, cur: CpuCounters): CpuShare {
  const p = cpuTimes(prev)
  const c = cpuTimes(cur)
  const part = (pick: (x: CpuCounters) => number | undefined): number | null => {
    const a = pick(prev)
    const b = pick(cur)
    return a === undefined || b === undefined ? null : cpuSharePercent({ busy: a, total: p.total }, { busy: b, total: c.total })
  }
  return {
    total: cpuSharePercent(p, c),
    user: part((x) => x.user + x.nice),
    system: part((x) => x.system + (x.irq ?? 0) + (x.softirq ?? 0)),
    iowait: part((x) => x.iowait),
    steal: part((x) => x.steal),
  }
}
