import { networkInterfaces } from 'node:os'
import type { DiskCounters, InterfaceCounters } from '../../../shared/system/derive'
import { diskCounters, interfaceCounters } from './siCounters'
import { loadSi } from './loadSi'

/** Disk and network counters from one background read. */
export interface IoAnswer {
  /** performance.now() when the answer arrived (the tools read the counters just before). */
  monotonicMs: number
  /** Undefined where unknown. */
  disks?: DiskCounters[]
  interfaces?: InterfaceCounters[]
}

/**
 * systeminformation keeps each of these answers for 500 ms, process-wide,
 * and repeats it to any call within that time. A read starts at least this
 * long after the last one ended, so its counters are new (the margin is for
 * its clock, Date.now(), against ours).
 */
export const IO_MIN_GAP_MS = 550

async function readIo(): Promise<IoAnswer> {
  // Named interfaces rather than '*': '*' asks si.networkInterfaces, which runs tools synchronously on macOS.
  const names = Object.keys(networkInterfaces()).join(',')
  const si = await loadSi()
  const [net, fs, io] = await Promise.allSettled([names ? si.networkStats(names) : Promise.resolve([]), si.fsStats(), si.disksIO()])
  const monotonicMs = performance.now()
  const interfaces = net.status === 'fulfilled' ? interfaceCounters(net.value) : []
  const disks = diskCounters(fs.status === 'fulfilled' ? fs.value : null, io.status === 'fulfilled' ? io.value : null)
  // No interface with traffic (loopback has some on any running machine) means the read failed: unknown, not zero.
  return { monotonicMs, ...(interfaces.length > 0 ? { interfaces } : {}), ...(disks ? { disks } : {}) }
}

/**
 * Disk and network counters through systeminformation, which spawns tools
 * for them (netstat, ioreg on macOS): read in the background, one read in
 * flight at a time, started on request, its latest answer kept. One per
 * process, as systeminformation's cache is.
 */
class BackgroundIo {
  private answer: IoAnswer | undefined
  private inFlight = false
  private endedAt = -Infinity

  get latest(): IoAnswer | undefined {
    return this.answer
  }

  /** Resolves once an answer newer than `afterMs` is in, or after `timeoutMs`, asking for reads meanwhile. */
  async answerAfter(afterMs: number, timeoutMs: number): Promise<void> {
    const until = performance.now() + timeoutMs
    for (;;) {
      if ((this.answer?.monotonicMs ?? -Infinity) > afterMs || performance.now() >= until) return
      this.request()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** Starts a read unless one is in flight or the last ended under IO_MIN_GAP_MS ago. */
  request(): void {
    if (this.inFlight || performance.now() - this.endedAt < IO_MIN_GAP_MS) return
    this.inFlight = true
    void readIo()
      .then(
        (answer) => (this.answer = answer),
        () => {
          // Keep the last answer; a later request tries again.
        },
      )
      .finally(() => {
        this.inFlight = false
        this.endedAt = performance.now()
      })
  }
}

export const backgroundIo = new BackgroundIo()
