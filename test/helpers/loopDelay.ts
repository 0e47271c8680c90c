import { readFileSync } from 'node:fs'
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks'

const SCHEDSTAT = '/proc/thread-self/schedstat'
const TICK_MS = 5

/** ns this thread has run on a CPU (Linux schedstat, first field), or undefined where unknown. */
function onCpuNs(): number | undefined {
  try {
    return Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[0])
  } catch {
    return undefined
  }
}

export interface LoopDelay {
  /** p50 and p99 of the event-loop delay, as monitorEventLoopDelay sees it (how late its timer fired). */
  rawP50Ms: number
  rawP99Ms: number
  /** p50 of the delay of the process's own making (below). */
  ownP50Ms: number
  /**
   * p99 of the delay the thread spent running meanwhile: the delay of the
   * process's own making (its callbacks, its share of GC), which waits for
   * a CPU on a machine busy with other work, or for a GC helper thread
   * waiting for one, do not inflate. The raw figure where Linux's
   * schedstat is not there.
   */
  ownP99Ms: number
}

/**
 * Measures the event loop's delay until stop(). On this shared 2-core
 * machine at a load of 10 an idle loop's p99 passes 20 ms while it waits
 * for a CPU; what a test of Proctor's code must see is the delay Proctor
 * causes: a callback that runs 30 ms delays the loop 30 ms and runs 30 ms.
 */
export function measureLoopDelay(): { stop: () => LoopDelay } {
  const raw = monitorEventLoopDelay({ resolution: TICK_MS })
  raw.enable()
  const own = createHistogram()
  let last = performance.now()
  let lastCpu = onCpuNs()
  const timer = setInterval(() => {
    const now = performance.now()
    const cpu = onCpuNs()
    const late = now - last - TICK_MS
    const ranMs = cpu !== undefined && lastCpu !== undefined ? (cpu - lastCpu) / 1e6 : late
    own.record(Math.max(1, Math.round(Math.min(late, ranMs) * 1000))) // µs; a histogram takes whole numbers from 1
    last = now
    lastCpu = cpu
  }, TICK_MS)
  return {
    stop: () => {
      clearInterval(timer)
      raw.disable()
      // monitorEventLoopDelay records each period of its timer whole: how late it fired is what is past the tick.
      const lateMs = (p: number) => Math.max(0, raw.percentile(p) / 1e6 - TICK_MS)
      return {
        rawP50Ms: lateMs(50),
        rawP99Ms: lateMs(99),
        ownP50Ms: own.percentile(50) / 1000,
        ownP99Ms: own.percentile(99) / 1000,
      }
    },
  }
}
