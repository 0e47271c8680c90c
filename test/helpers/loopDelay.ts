import { readFileSync } from 'node:fs'
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks'

const SCHEDSTAT = '/proc/thread-self/schedstat'
const TICK_MS = 5

/** ns this thread has waited on a run queue for a CPU (Linux schedstat), or undefined where unknown. */
function runQueueWaitNs(): number | undefined {
  try {
    return Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[1])
  } catch {
    return undefined
  }
}

export interface LoopDelay {
  /** p99 of the event-loop delay, as monitorEventLoopDelay sees it. */
  rawP99Ms: number
  /**
   * p99 of the delay less the time this thread waited for a CPU meanwhile:
   * the delay of the process's own making (its callbacks, its GC), which a
   * machine busy with other work does not inflate. The raw figure where
   * Linux's schedstat is not there.
   */
  ownP99Ms: number
}

/**
 * Measures the event loop's delay until stop(). On a shared 2-core machine
 * at a load of 10 an idle loop's p99 passes 20 ms while it waits for a CPU;
 * what a test of Proctor's code must see is the delay Proctor causes.
 */
export function measureLoopDelay(): { stop: () => LoopDelay } {
  const raw = monitorEventLoopDelay({ resolution: TICK_MS })
  raw.enable()
  const own = createHistogram()
  let last = performance.now()
  let lastWait = runQueueWaitNs()
  const timer = setInterval(() => {
    const now = performance.now()
    const wait = runQueueWaitNs()
    const waitedMs = wait !== undefined && lastWait !== undefined ? (wait - lastWait) / 1e6 : 0
    const late = now - last - TICK_MS - waitedMs
    own.record(Math.max(1, Math.round(late * 1000))) // µs; a histogram takes whole numbers from 1
    last = now
    lastWait = wait
  }, TICK_MS)
  return {
    stop: () => {
      clearInterval(timer)
      raw.disable()
      const ownP99Ms = lastWait === undefined ? raw.percentile(99) / 1e6 : own.percentile(99) / 1000
      return { rawP99Ms: raw.percentile(99) / 1e6, ownP99Ms }
    },
  }
}
