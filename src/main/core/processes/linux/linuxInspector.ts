import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs'
import type { InspectedProcess, ProbeResult, ProcessInspector } from '../inspector'
import { walkDeepestFirst } from '../inspector'
import { displayName, emptyStat, isKernelThreadFlags, parseBootTime, parseCmdline, parsePasswd, scanStat, startTimeMs } from './procParse'

/**
 * Single processes from /proc: stat for identity and state, cmdline for
 * the name and command, the directory's owner for the user, and each
 * thread's `children` file for the tree. A few small reads per process,
 * against a full listing of every process for the live collector.
 */
export class LinuxInspector implements ProcessInspector {
  private readonly buf = Buffer.allocUnsafe(4096)
  private readonly bootTimeMs: number
  private users = new Map<number, string>()

  constructor(private readonly root = '/proc') {
    this.bootTimeMs = (parseBootTime(readWhole(`${root}/stat`)) ?? 0) * 1000
  }

  inspect(pid: number): Promise<InspectedProcess | undefined> {
    return Promise.resolve(this.read(pid))
  }

  descendants(pid: number): Promise<InspectedProcess[]> {
    return Promise.resolve(walkDeepestFirst(pid, (parent) => this.children(parent).flatMap((c) => this.read(c) ?? [])))
  }

  probe(pid: number): ProbeResult {
    const length = this.readInto(`${this.root}/${pid}/stat`)
    const st = emptyStat()
    if (length < 0 || !scanStat(this.buf, length, st)) return { alive: false }
    return {
      alive: st.state !== 'zombie' && st.state !== 'dead',
      zombie: st.state === 'zombie',
      startTime: startTimeMs(this.bootTimeMs, st.startTicks),
      nice: st.nice,
    }
  }

  threads(pid: number): number[] {
    try {
      return readdirSync(`${this.root}/${pid}/task`).map(Number)
    } catch {
      return [pid]
    }
  }

  private read(pid: number): InspectedProcess | undefined {
    const dir = `${this.root}/${pid}`
    const length = this.readInto(`${dir}/stat`)
    const st = emptyStat()
    if (length < 0 || !scanStat(this.buf, length, st)) return undefined
    const comm = this.buf.toString('latin1', st.commStart, st.commEnd)
    let uid: number
    try {
      uid = statSync(dir).uid
    } catch {
      return undefined
    }
    const kernelThread = isKernelThreadFlags(st.flags)
    const cmdline = kernelThread ? '' : parseCmdline(readWhole(`${dir}/cmdline`, 'utf8'))
    const p: InspectedProcess = {
      pid,
      ppid: st.ppid,
      startTime: startTimeMs(this.bootTimeMs, st.startTicks),
      name: displayName(comm, cmdline),
      command: cmdline || `[${comm}]`,
      user: this.userOf(uid),
      uid,
      state: st.state,
      nice: st.nice,
      kernelThread,
    }
    try {
      if (!kernelThread) p.exe = readlinkSync(`${dir}/exe`)
    } catch {
      // another user's process, or a zombie
    }
    return p
  }

  /** Children of every thread of pid (a child belongs to the thread that forked it). */
  private children(pid: number): number[] {
    const out = new Set<number>()
    for (const tid of this.threads(pid)) {
      for (const word of readWhole(`${this.root}/${pid}/task/${tid}/children`).split(' ')) {
        if (word) out.add(Number(word))
      }
    }
    return [...out]
  }

  private userOf(uid: number): string {
    let user = this.users.get(uid)
    if (user === undefined) {
      this.users = parsePasswd(readWhole('/etc/passwd'))
      user = this.users.get(uid) ?? String(uid)
    }
    return user
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

/** A whole small file, or '' when it cannot be read. With many cores /proc/stat outgrows a small buffer, and btime is near its end. */
function readWhole(path: string, encoding: BufferEncoding = 'latin1'): string {
  try {
    return readFileSync(path, encoding)
  } catch {
    return ''
  }
}
