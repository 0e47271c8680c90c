import { closeSync, openSync, readdirSync, readSync } from 'node:fs'
import { emptyStat, parseBootTime, scanStat } from '../processes/linux/procParse'

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
    this.bootTimeMs = linux ? (parseBootTime(this.read('/proc/stat') ?? '') ?? 0) * 1000 : undefined
  }

  probe(pid: number): ProbeResult {
    if (this.bootTimeMs !== undefined) {
      const text = this.read(`/proc/${pid}/stat`)
      if (text === undefined) return { alive: false }
      const st = emptyStat()
      const bytes = Buffer.from(text, 'latin1')
      if (!scanStat(bytes, bytes.length, st)) return { alive: false }
      return {
        alive: st.state !== 'zombie' && st.state !== 'dead',
        zombie: st.state === 'zombie',
        startTime: Math.round(this.bootTimeMs + st.startTicks * 10),
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

  private read(path: string): string | undefined {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return undefined
    }
    try {
      const n = readSync(fd, this.buf, 0, this.buf.length, 0)
      return this.buf.toString('latin1', 0, n)
    } catch {
      return undefined
    } finally {
      closeSync(fd)
    }
  }
}
