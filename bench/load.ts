import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { procCpuMs } from './measure'
import { forEachStat } from './population'

/**
 * How busy the machine was while something was measured, and with what:
 * the load average, and the cores used by the bench's own processes (this
 * process and everything it started: the browser, the host) against
 * everyone else's. On a shared machine a timing taken while others used a
 * core is a timing of the contention, and the bench must say so. Linux
 * (/proc/stat and /proc/PID/stat).
 */

/** USER_HZ: the unit of /proc/stat and /proc/PID/stat. */
const TICK_MS = 10

/** Busy CPU time of the whole machine (every core, idle and iowait left out), ms. */
function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal (guest time is inside user already)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu
  return (user + nice + system + irq + softirq + steal) * TICK_MS
}

/** CPU time of a process and all its live descendants, ms. */
function treeCpuMs(root: number): number {
  const children = new Map<number, number[]>()
  // rest[1] is field 4 (ppid)
  forEachStat((pid, rest) => {
    const ppid = Number(rest[1])
    const list = children.get(ppid)
    if (list) list.push(pid)
    else children.set(ppid, [pid])
  })
  let total = 0
  const stack = [root]
  while (stack.length > 0) {
    const pid = stack.pop()!
    total += procCpuMs(pid) ?? 0
    for (const child of children.get(pid) ?? []) stack.push(child)
  }
  return total
}

export interface Load {
  cores: number
  /** The 1-minute load average when the measurement started and ended. */
  load1Start: number
  load1End: number
  /** Cores used on average by the bench and what it started (browser, host), and by every other process. */
  oursCores: number
  othersCores: number
}

export interface LoadMeter {
  stop(): Load
}

/** Starts watching; stop() tells how busy the machine was in between. */
export function watchLoad(): LoadMeter {
  const t0 = performance.now()
  const busy0 = machineBusyMs()
  const ours0 = treeCpuMs(process.pid)
  const load1Start = loadavg()[0]!
  return {
    stop(): Load {
      const wallMs = performance.now() - t0
      const busy = machineBusyMs() - busy0
      // A child that exited in between takes its CPU time with it: clamp rather than go negative.
      const ours = Math.max(0, treeCpuMs(process.pid) - ours0)
      const round = (v: number) => Math.round(v * 100) / 100
      return {
        cores: availableParallelism(),
        load1Start: round(load1Start),
        load1End: round(loadavg()[0]!),
        oursCores: round(ours / wallMs),
        othersCores: round(Math.max(0, busy - ours) / wallMs),
      }
    },
  }
}

/** One line for a log: the load and whose it was. */
export function describeLoad(load: Load): string {
  return (
    `load average ${load.load1Start} -> ${load.load1End} on ${load.cores} cores; ` +
    `the bench and what it started used ${load.oursCores} cores, other processes ${load.othersCores}`
  )
}
