import { readdirSync } from 'node:fs'
import { TextFiles } from '../../linux/textFiles'
import { readProcessDir } from './processDir'
import type { InspectedProcess, ProbeResult, ProcessInspector } from '../inspector'
import { walkDeepestFirst } from '../inspector'
import { displayName, emptyStat, parseBootTime, parsePasswd, scanStat, startTimeMs } from './procParse'

/**
 * Single processes from /proc: stat for identity and state, cmdline for
 * the name and command, the directory's owner for the user, and each
 * thread's `children` file for the tree. A few small reads per process,
 * against a full listing of every process for the live collector.
 */
export class LinuxInspector implements ProcessInspector {
  private readonly files = new TextFiles()
  private readonly bootTimeMs: number
  private users = new Map<number, string>()

  constructor(private readonly root = '/proc') {
    this.bootTimeMs = (parseBootTime(this.text(`${root}/stat`)) ?? 0) * 1000
  }

  inspect(pid: number): Promise<InspectedProcess | undefined> {
    return Promise.resolve(this.read(pid))
  }

  descendants(pid: number): Promise<InspectedProcess[]> {
    return Promise.resolve(walkDeepestFirst(pid, (parent) => this.children(parent).flatMap((c) => this.read(c) ?? [])))
  }

  probe(pid: number): ProbeResult {
    const length = this.files.readBytes(`${this.root}/${pid}/stat`)
    const st = emptyStat()
    if (length < 0 || !scanStat(this.files.bytes, length, st)) return { alive: false }
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
    const length = this.files.readBytes(`${dir}/stat`)
    const st = emptyStat()
    if (length < 0 || !scanStat(this.files.bytes, length, st)) return undefined
    const comm = this.files.bytes.toString('latin1', st.commStart, st.commEnd)
    const found = readProcessDir(dir, st.flags, this.files)
    if (!found) return undefined
    const { uid, kernelThread, cmdline, exe } = found
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
      ...(exe !== undefined ? { exe } : {}),
    }
    return p
  }

  /** Children of every thread of pid (a child belongs to the thread that forked it). */
  private children(pid: number): number[] {
    const out = new Set<number>()
    for (const tid of this.threads(pid)) {
      for (const word of this.text(`${this.root}/${pid}/task/${tid}/children`).split(' ')) {
        if (word) out.add(Number(word))
      }
    }
    return [...out]
  }

  private userOf(uid: number): string {
    let user = this.users.get(uid)
    if (user === undefined) {
      this.users = parsePasswd(this.text('/etc/passwd'))
      user = this.users.get(uid) ?? String(uid)
    }
    return user
  }

  /** A whole small file, or '' when it cannot be read. */
  private text(path: string, encoding: BufferEncoding = 'latin1'): string {
    return this.files.read(path, encoding) ?? ''
  }

}
