import { cpuPercent } from '../../../shared/process/derive'

/**
 * CPU % of each thread between two readings of one process's threads, kept
 * per process (pid and start time) while its Threads tab is polled. The
 * first reading, with nothing to compare against, measures each thread over
 * its own life. Readings older than STALE_MS are dropped, so a tab left
 * closed for a while starts over.
 */

const STALE_MS = 30_000
const MAX_PROCESSES = 64

interface Reading {
  at: number
  ticksMs: Map<number, number>
}

export interface ThreadTimes {
  tid: number
  cpuMs: number
  startTime: number
}

export class ThreadCpu {
  private readonly last = new Map<string, Reading>()

  constructor(private readonly now: () => number = () => performance.timeOrigin + performance.now()) {}

  /** CPU % of one core per tid, and the basis they were measured on. */
  measure(key: string, threads: readonly ThreadTimes[]): { percent: Map<number, number>; basis: 'interval' | 'lifetime' } {
    const at = this.now()
    this.forgetStale(at)
    const prev = this.last.get(key)
    const percent = new Map<number, number>()
    const basis = prev ? 'interval' : 'lifetime'
    for (const t of threads) {
      const before = prev?.ticksMs.get(t.tid)
      // A thread new since the previous reading is measured over its own life, as on the first reading.
      const [from, since] = before !== undefined && prev ? [before, prev.at] : [0, t.startTime]
      percent.set(t.tid, cpuPercent(from, t.cpuMs, at - since, 1))
    }
    this.last.delete(key)
    this.last.set(key, { at, ticksMs: new Map(threads.map((t) => [t.tid, t.cpuMs])) })
    // The oldest process's reading goes first when too many are kept.
    while (this.last.size > MAX_PROCESSES) this.last.delete(this.last.keys().next().value as string)
    return { percent, basis }
  }

  private forgetStale(at: number): void {
    for (const [key, r] of this.last) if (at - r.at > STALE_MS) this.last.delete(key)
  }
}
