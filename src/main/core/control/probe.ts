import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs'
import { emptyStat, parseBootTime, scanStat, startTimeMs } from '../processes/linux/procParse'

/** What can be learnt about one pid right now, cheaply. */
export interface ProbeResult {
  alive: boolean
  /** Known on Linux; elsewhere the identity cannot be re-checked this cheaply. */
  startTime?: number
  zombie?: boolean
  nice?: number
}

/**
 * Checks one process between the steps of an action (identity before a
 * signal, exit during a grace period) without reading the whole table.
 */
export class ProcessProbe {
  private readonly buf = Buffer.allocUnsafe(4096)
  private readonly bootTimeMs: number | undefined

  constructor(private readonly linux = process.platform === 'linux') {
    this.bootTimeMs = linux ? (parseBootTime(readStat()) ?? 0) * 1000 : undefined
  }

  probe(pid: number): ProbeResult {
    if (this.bootTimeMs !== undefined) {
      const length = this.readInto(`/proc/${pid}/stat`)
      const st = emptyStat()
      if (length < 0 || !scanStat(this.buf, length, st)) return { alive: false }
      return {
        alive: st.state !== 'zombie' && st.state !== 'dead',
        zombie: st.state === 'zombie',
        startTime: startTimeMs(this.bootTimeMs, st.startTicks),
        nice: st.nice,
      }
    }
    try {
      process.kill(pid, 0)
      return { alive: true }
    } catch (err) {
      return { alive: (err as NodeJS.ErrnoException).code === 'EPERM' }
    }
  }

  /** Thread ids of a process (Linux), so renice reaches every thread, not only the first. */
  threads(pid: number): number[] {
    if (!this.linux) return [pid]
    try {
      return readdirSync(`/proc/${pid}/task`).map(Number)
    } catch {
      return [pid]
    }
  }

  /** A small /proc file into this.buf; its length, or -1 when it cannot be read. */
  private readInto(path: string): number {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return -1
    }
    try {
      return readSync(fd, this.buf, 0, this.buf.length, 0)
    } catch {
      return -1
    } finally {
      closeSync(fd)
    }
  }
}

/** Read whole, once: with many cores /proc/stat outgrows a small buffer, and btime is near its end. */
function readStat(): string {
  try {
    return readFileSync('/proc/stat', 'latin1')
  } catch {
    return ''
  }
}
