import { spawnSync } from 'node:child_process'
import { measurePageSize } from '../linux/pageSize'
import { TextFiles } from '../linux/textFiles'
import { parseCpuTime } from '../processes/darwin/psFields'
import { emptyStat, scanStat, scanStatmResident, TICK_MS } from '../processes/linux/procParse'

/** CPU (100 = one core) and resident bytes of a program's processes. */
export interface Usage {
  /** Since the sampler's previous sample; undefined on its first. */
  cpu: number | undefined
  memory: number
}

/** One process as read now: CPU time so far and resident bytes. */
interface Reading {
  /** Start in ticks since boot (Linux), so a reused pid is not taken for the same process; 0 elsewhere. */
  start: number
  cpuMs: number
  bytes: number
}

const files = new TextFiles()
const stat = emptyStat()
let pageSize: number | undefined

/**
 * CPU and memory of a set of processes, sample after sample. On Linux it
 * reads /proc/PID/stat (utime + stime) and /proc/PID/statm (resident pages,
 * exact where stat's RSS is approximate); elsewhere one `ps` per sample.
 * Pids that are gone are skipped. A process first seen in this sample counts
 * all its CPU time if it started after the previous sample (a short-lived
 * busy child), none otherwise (its past is not this interval's).
 */
export class UsageSampler {
  private previous: { at: number; sinceBootMs: number | undefined; readings: Map<number, Reading> } | undefined

  sample(pids: readonly number[]): Usage {
    const at = performance.now()
    const linux = process.platform === 'linux'
    const sinceBootMs = linux ? readUptimeMs() : undefined
    const readings = linux ? readLinux(new Set(pids)) : readPs(new Set(pids))
    let memory = 0
    for (const r of readings.values()) memory += r.bytes
    const prev = this.previous
    this.previous = { at, sinceBootMs, readings }
    if (!prev || at <= prev.at) return { cpu: undefined, memory }
    let cpuMs = 0
    for (const [pid, now] of readings) {
      const before = prev.readings.get(pid)
      if (before && before.start === now.start) cpuMs += Math.max(0, now.cpuMs - before.cpuMs)
      else if (prev.sinceBootMs !== undefined && now.start * TICK_MS >= prev.sinceBootMs) cpuMs += now.cpuMs
    }
    return { cpu: (cpuMs / (at - prev.at)) * 100, memory }
  }
}

function readUptimeMs(): number | undefined {
  const seconds = Number(files.read('/proc/uptime')?.split(' ')[0])
  return Number.isFinite(seconds) ? seconds * 1000 : undefined
}

function readLinux(pids: ReadonlySet<number>): Map<number, Reading> {
  pageSize ??= measurePageSize((path) => files.read(path))
  const out = new Map<number, Reading>()
  for (const pid of pids) {
    const n = files.readBytes(`/proc/${pid}/stat`)
    if (n < 0 || !scanStat(files.bytes, n, stat) || stat.state === 'zombie' || stat.state === 'dead') continue
    const reading = { start: stat.startTicks, cpuMs: (stat.utimeTicks + stat.stimeTicks) * TICK_MS, bytes: stat.rssPages * pageSize }
    // statm's resident figure is exact; stat's RSS stands in if statm cannot be read.
    const m = files.readBytes(`/proc/${pid}/statm`)
    const pages = m < 0 ? -1 : scanStatmResident(files.bytes, m)
    if (pages >= 0) reading.bytes = pages * pageSize
    out.set(pid, reading)
  }
  return out
}

/** One `ps` for all pids (macOS has no /proc): rss in KiB, time as CPU time so far. */
function readPs(pids: ReadonlySet<number>): Map<number, Reading> {
  const out = new Map<number, Reading>()
  if (pids.size === 0) return out
  const ps = spawnSync('ps', ['-o', 'pid=,rss=,time=', '-p', [...pids].join(',')], { encoding: 'latin1', timeout: 5000 })
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [pid, rss, time] = line.trim().split(/\s+/)
    const cpuMs = parseCpuTime(time ?? '')
    if (pid === undefined || rss === undefined || cpuMs === undefined) continue
    out.set(Number(pid), { start: 0, cpuMs, bytes: Number(rss) * 1024 })
  }
  return out
}
