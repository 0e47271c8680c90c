import { readFileSync } from 'node:fs'

/** Timing and statistics helpers for the benchmark. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits for a promise at most ms; true if it settled in time. Leaves no timer behind. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Two decimals; null for a number we could not measure (JSON has no NaN). */
export function round2(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null
}

/** CPU time of this whole process (every thread, workers included: getrusage(RUSAGE_SELF)), ms. */
export function selfCpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

export interface Timed<T> {
  value: T
  wallMs: number
  /** Process-wide CPU spent while the call ran (includes unrelated work in this process, e.g. GC). */
  cpuMs: number
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<Timed<T>> {
  const cpu0 = selfCpuMs()
  const t0 = performance.now()
  const value = await fn()
  const wallMs = performance.now() - t0
  return { value, wallMs, cpuMs: selfCpuMs() - cpu0 }
}

/** USER_HZ: the unit of the tick counters in /proc/PID/stat. */
const TICK_MS = 10

/**
 * User + system CPU time of a whole process (all its threads) from
 * /proc/PID/stat, ms (10 ms resolution); undefined if it is gone.
 */
export function procCpuMs(pid: number): number | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return undefined
  }
  // Fields after the command name, which may itself contain spaces and ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS
}

/**
 * Run time of a process's main thread from /proc/PID/schedstat (ns, as
 * ms), undefined if it is gone or the kernel keeps no schedstats. For a
 * one-thread process such as top it is the whole process, at a resolution
 * /proc/PID/stat's 10 ms ticks lack (top costs ~2 ms a second).
 */
export function procRunMs(pid: number): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')[0])
    return Number.isFinite(ns) ? ns / 1e6 : undefined
  } catch {
    return undefined
  }
}

/** The 1-minute load average (shared machine: say how busy it was). */
export function loadAverage(): number | null {
  try {
    return Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[0])
  } catch {
    return null
  }
}

/** Share of one core used between two (cpuMs, wallMs) readings, in percent. */
export function corePercent(cpuMs: number, wallMs: number): number {
  return wallMs > 0 ? (cpuMs / wallMs) * 100 : NaN
}
