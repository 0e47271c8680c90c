import { readdirSync, readlinkSync, statSync } from 'node:fs'
import { containerOf, parseCgroup } from '../../../shared/details/cgroup'
import { parseEnviron } from '../../../shared/details/environment'
import { memoryMaps } from '../../../shared/details/memoryMaps'
import { classifyFdLink, fdinfoFlags, modeOfFlags } from '../../../shared/details/openFiles'
import type { CgroupInfo, MemoryMaps, OpenFile, Readable, ThreadList } from '../../../shared/details/types'
import { TextFiles } from '../linux/textFiles'
import { emptyStat, parseBootTime, scanStat, startTimeMs, TICK_MS } from '../processes/linux/procParse'
import { readProcFile, refusal } from './procReads'
import { ThreadCpu } from './threadCpu'

/** What a platform can tell of one process beyond its listing; one per platform, like the inspectors. */
export interface DetailsReader {
  openFiles(pid: number): Promise<Readable<OpenFile[]>>
  /** NAME=value pairs, values included: the service withholds the secret ones. */
  environment(pid: number): Promise<Readable<Array<[string, string]>>>
  threads(pid: number, key: string): Promise<Readable<ThreadList>>
  memoryMaps(pid: number): Promise<Readable<MemoryMaps>>
  cgroup(pid: number): Promise<CgroupInfo>
}

/**
 * Linux: everything from /proc/PID, read once per request: fd and fdinfo,
 * environ, task/TID/stat, smaps and smaps_rollup, cgroup.
 */
export class LinuxDetails implements DetailsReader {
  private readonly files = new TextFiles()
  private readonly cpu = new ThreadCpu()
  private readonly bootTimeMs: number

  constructor(private readonly root = '/proc') {
    this.bootTimeMs = (parseBootTime(this.files.read(`${root}/stat`) ?? '') ?? 0) * 1000
  }

  openFiles(pid: number): Promise<Readable<OpenFile[]>> {
    const dir = `${this.root}/${pid}/fd`
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch (err) {
      return Promise.resolve({ permitted: false, reason: refusal(pid, err, 'open files') })
    }
    const files: OpenFile[] = []
    for (const name of names) {
      const fd = Number(name)
      let link: string
      try {
        link = readlinkSync(`${dir}/${name}`)
      } catch {
        continue // closed between the listing and now
      }
      let statMode: number | undefined
      try {
        // Through the fd itself: a deleted file still has its inode here.
        statMode = statSync(`${dir}/${name}`).mode
      } catch {
        statMode = undefined
      }
      const flags = fdinfoFlags(this.files.read(`${this.root}/${pid}/fdinfo/${name}`) ?? '')
      const mode = flags === undefined ? undefined : modeOfFlags(flags)
      files.push({ fd, ...classifyFdLink(link, statMode), ...(mode ? { mode } : {}) })
    }
    files.sort((a, b) => a.fd - b.fd)
    return Promise.resolve({ permitted: true, value: files })
  }

  environment(pid: number): Promise<Readable<Array<[string, string]>>> {
    const read = readProcFile(pid, 'environ', 'environment', this.root)
    return Promise.resolve(read.ok ? { permitted: true, value: parseEnviron(read.text) } : { permitted: false, reason: read.reason })
  }

  threads(pid: number, key: string): Promise<Readable<ThreadList>> {
    let tids: string[]
    try {
      tids = readdirSync(`${this.root}/${pid}/task`)
    } catch (err) {
      return Promise.resolve({ permitted: false, reason: refusal(pid, err, 'threads') })
    }
    const read: Array<{ tid: number; name: string; state: string; cpuMs: number; startTime: number }> = []
    const st = emptyStat()
    for (const tid of tids) {
      const length = this.files.readBytes(`${this.root}/${pid}/task/${tid}/stat`)
      if (length < 0 || !scanStat(this.files.bytes, length, st)) continue // ended since the listing
      read.push({
        tid: Number(tid),
        name: this.files.bytes.toString('utf8', st.commStart, st.commEnd),
        state: st.state,
        cpuMs: (st.utimeTicks + st.stimeTicks) * TICK_MS,
        startTime: startTimeMs(this.bootTimeMs, st.startTicks),
      })
    }
    const { percent, basis } = this.cpu.measure(key, read)
    const threads = read
      .map((t) => ({ tid: t.tid, name: t.name, state: t.state, cpuPercent: percent.get(t.tid) ?? 0 }))
      .sort((a, b) => a.tid - b.tid)
    return Promise.resolve({ permitted: true, value: { threads, cpuBasis: basis } })
  }

  memoryMaps(pid: number): Promise<Readable<MemoryMaps>> {
    const smaps = readProcFile(pid, 'smaps', 'memory maps', this.root)
    if (!smaps.ok) return Promise.resolve({ permitted: false, reason: smaps.reason })
    // smaps_rollup exists from Linux 4.14; before it, the totals are summed from smaps.
    let rollup: string | undefined
    try {
      const r = readProcFile(pid, 'smaps_rollup', 'memory totals', this.root)
      rollup = r.ok ? r.text : undefined
    } catch {
      rollup = undefined
    }
    return Promise.resolve({ permitted: true, value: memoryMaps(smaps.text, rollup) })
  }

  cgroup(pid: number): Promise<CgroupInfo> {
    const read = readProcFile(pid, 'cgroup', 'control groups', this.root)
    const entries = read.ok ? parseCgroup(read.text) : []
    const container = containerOf(entries)
    return Promise.resolve({ entries, ...(container ? { container } : {}) })
  }
}
