import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import type { RawProcess, RawProcessSample } from '../../../../shared/types/process'
import type { ProcessAdapter } from '../adapter'
import {
  displayName,
  isKernelThreadFlags,
  parseBootTime,
  parseCmdline,
  parseMeminfoField,
  parsePasswd,
  parseStat,
} from './procParse'

/**
 * Linux adapter: reads /proc directly, with no child process per refresh.
 * Written by hand (not systeminformation, which spawns `ps`) because it runs
 * every second: files are read with open/read/close into one reused buffer,
 * and what cannot change for a process identity (command line, uid, user)
 * is read once and cached.
 */

/** USER_HZ: the unit of /proc tick counters; 100 on every Linux architecture Proctor runs on. */
const CLOCK_TICKS_PER_SECOND = 100
const TICK_MS = 1000 / CLOCK_TICKS_PER_SECOND

interface Stable {
  command: string
  name: string
  uid: number
  user: string
}

export class LinuxProcReader {
  private buf = Buffer.allocUnsafe(64 * 1024)
  private readonly stable = new Map<string, Stable>()
  private users = new Map<number, string>()
  private readonly bootTimeMs: number
  readonly pageSize: number
  readonly cpuCount = availableParallelism()

  constructor(private readonly root = '/proc') {
    const bootTime = parseBootTime(this.readText(`${root}/stat`) ?? '')
    if (bootTime === undefined) throw new Error(`cannot read boot time from ${root}/stat`)
    this.bootTimeMs = bootTime * 1000
    this.pageSize = this.measurePageSize()
    this.loadUsers()
  }

  /** Whole file as text, or undefined if it vanished or may not be read. */
  readText(path: string): string | undefined {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return undefined
    }
    try {
      let length = 0
      for (;;) {
        const n = readSync(fd, this.buf, length, this.buf.length - length, null)
        if (n === 0) break
        length += n
        if (length === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2)
          this.buf.copy(bigger)
          this.buf = bigger
        }
      }
      return this.buf.toString('latin1', 0, length)
    } catch {
      return undefined
    } finally {
      closeSync(fd)
    }
  }

  sample(): RawProcessSample {
    const timestamp = Date.now()
    const monotonicMs = performance.now()
    const meminfo = this.readText(`${this.root}/meminfo`) ?? ''
    const memoryTotal = parseMeminfoField(meminfo, 'MemTotal') ?? 0
    const processes: RawProcess[] = []
    const seen = new Set<string>()
    for (const entry of readdirSync(this.root)) {
      const c = entry.charCodeAt(0)
      if (c < 48 || c > 57) continue
      const p = this.readProcess(entry, seen)
      if (p) processes.push(p)
    }
    // Forget identities that are gone, so the cache stays as big as the process table.
    for (const key of this.stable.keys()) if (!seen.has(key)) this.stable.delete(key)
    return { timestamp, monotonicMs, cpuCount: this.cpuCount, memoryTotal, processes }
  }

  private readProcess(pidText: string, seen: Set<string>): RawProcess | undefined {
    const dir = `${this.root}/${pidText}`
    const statText = this.readText(`${dir}/stat`)
    if (statText === undefined) return undefined // exited since readdir
    const st = parseStat(statText)
    if (!st) return undefined
    const key = `${pidText}:${st.startTicks}`
    seen.add(key)
    let stable = this.stable.get(key)
    if (!stable) {
      const s = this.readStable(dir, st.comm, isKernelThreadFlags(st.flags))
      if (!s) return undefined
      stable = s
      this.stable.set(key, stable)
    }
    return {
      pid: st.pid,
      ppid: st.ppid,
      startTime: Math.round(this.bootTimeMs + st.startTicks * TICK_MS),
      name: stable.name,
      command: stable.command,
      user: stable.user,
      uid: stable.uid,
      state: st.state,
      nice: st.nice,
      priority: st.priority,
      threads: st.threads,
      cpuTimeMs: (st.utimeTicks + st.stimeTicks) * TICK_MS,
      memoryBytes: st.rssPages * this.pageSize,
      virtualBytes: st.vsizeBytes,
      kernelThread: isKernelThreadFlags(st.flags),
    }
  }

  private readStable(dir: string, comm: string, kernelThread: boolean): Stable | undefined {
    let uid: number
    try {
      uid = statSync(dir).uid
    } catch {
      return undefined
    }
    const cmdline = kernelThread ? '' : parseCmdline(this.readText(`${dir}/cmdline`) ?? '')
    let user = this.users.get(uid)
    if (user === undefined) {
      this.loadUsers()
      user = this.users.get(uid) ?? String(uid)
    }
    return {
      uid,
      user,
      command: cmdline || `[${comm}]`,
      name: displayName(comm, cmdline),
    }
  }

  private loadUsers(): void {
    this.users = parsePasswd(this.readText('/etc/passwd') ?? '')
  }

  /**
   * Page size without a child process: this process's resident pages
   * (/proc/self/statm) against its resident kB (/proc/self/status).
   */
  private measurePageSize(): number {
    for (let attempt = 0; attempt < 5; attempt++) {
      const statm = this.readText(`${this.root}/self/statm`)?.split(' ')
      const status = this.readText(`${this.root}/self/status`) ?? ''
      const pages = Number(statm?.[1])
      const bytes = parseMeminfoField(status, 'VmRSS')
      if (pages > 0 && bytes) {
        const ratio = bytes / pages
        const power = 2 ** Math.round(Math.log2(ratio))
        if (Math.abs(ratio - power) / power < 0.05) return power
      }
    }
    return 4096
  }
}

export class LinuxProcessAdapter implements ProcessAdapter {
  readonly kind = 'linux' as const
  private readonly reader: LinuxProcReader

  constructor(root = '/proc') {
    this.reader = new LinuxProcReader(root)
  }

  sample(): Promise<RawProcessSample> {
    return Promise.resolve(this.reader.sample())
  }

  close(): void {}
}
