import type { RawProcess } from '../../../shared/types/process'

/** Groups kept by name; the rest add up in one OTHER_GROUP, so a machine of many distinct names cannot grow the output. */
export const MAX_PROCESS_GROUPS = 100
export const OTHER_GROUP = '(other)'

export interface ProcessGroup {
  name: string
  processes: number
  threads: number
  cpuSeconds: number
  residentBytes: number
}

/**
 * CPU seconds by group that only ever grow, as a Prometheus counter must:
 * a sum over live processes drops when one exits, which rate() reads as a
 * reset and counts as a burst. Each call adds what each process used since
 * the call before (all of it, the first time a process is seen: pid and
 * start time, so a reused pid is a new process); a process that exits
 * keeps what it added. `(other)` adds up the increments of the groups
 * outside the kept ones at that call, so it grows too while membership
 * changes. Groups with no live process are forgotten past a bound.
 */
export class GroupCpuTotals {
  private seen = new Map<string, number>()
  private readonly totals = new Map<string, number>()
  private other = 0

  constructor(private readonly maxRemembered = 10 * MAX_PROCESS_GROUPS) {}

  /**
   * Adds each process's CPU since the last call to its group (`groupOf`,
   * by default its name; undefined leaves it out); returns this call's
   * increment by group (ms).
   */
  add(processes: readonly RawProcess[], groupOf: (p: RawProcess) => string | undefined = groupName): Map<string, number> {
    const next = new Map<string, number>()
    const increments = new Map<string, number>()
    for (const p of processes) {
      const name = groupOf(p)
      if (name === undefined) continue
      const key = `${p.pid}:${p.startTime}`
      const before = this.seen.get(key)
      next.set(key, p.cpuTimeMs)
      const used = Math.max(0, p.cpuTimeMs - (before ?? 0))
      increments.set(name, (increments.get(name) ?? 0) + used)
      this.totals.set(name, (this.totals.get(name) ?? 0) + used)
    }
    this.seen = next
    if (this.totals.size > this.maxRemembered) for (const name of this.totals.keys()) if (!increments.has(name)) this.totals.delete(name)
    return increments
  }

  /** CPU seconds of `name` since it was first seen. */
  seconds(name: string): number {
    return (this.totals.get(name) ?? 0) / 1000
  }

  /** Adds the increment of groups folded into OTHER_GROUP this call; its seconds so far. */
  addOther(ms: number): number {
    this.other += ms
    return this.other / 1000
  }
}

/**
 * Processes grouped by name, as process-exporter groups them, never by pid:
 * the series are bounded by MAX_PROCESS_GROUPS + 1 whatever the number of
 * processes. The groups kept are those with the most CPU time so far, a
 * ranking that changes slowly, so series do not come and go each scrape.
 * CPU seconds come from `cpu`, kept from scrape to scrape (a fresh one
 * counts the live processes' CPU time).
 */
export function groupByName(processes: readonly RawProcess[], cpu = new GroupCpuTotals(), max = MAX_PROCESS_GROUPS): ProcessGroup[] {
  const increments = cpu.add(processes)
  const byName = new Map<string, ProcessGroup>()
  for (const p of processes) {
    const name = groupName(p)
    let g = byName.get(name)
    if (!g) byName.set(name, (g = { name, processes: 0, threads: 0, cpuSeconds: cpu.seconds(name), residentBytes: 0 }))
    add(g, { processes: 1, threads: p.threads ?? 1, cpuSeconds: 0, residentBytes: p.memoryBytes })
  }
  const groups = [...byName.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds || a.name.localeCompare(b.name))
  const folded = groups.slice(max)
  const other: ProcessGroup = { name: OTHER_GROUP, processes: 0, threads: 0, cpuSeconds: 0, residentBytes: 0 }
  for (const g of folded) add(other, { ...g, cpuSeconds: 0 })
  other.cpuSeconds = cpu.addOther(folded.reduce((ms, g) => ms + (increments.get(g.name) ?? 0), 0))
  return folded.length > 0 ? [...groups.slice(0, max), other] : groups
}

/**
 * A process's group: its name; for a kernel thread, the name before its
 * first '/' (kworker/1:1H-kblockd is a kworker), since those suffixes name
 * a CPU or a work queue and change all the time.
 */
export function groupName(p: Pick<RawProcess, 'name' | 'kernelThread'>): string {
  return p.kernelThread ? p.name.split('/')[0]! : p.name
}

function add(g: ProcessGroup, more: Omit<ProcessGroup, 'name'>): void {
  g.processes += more.processes
  g.threads += more.threads
  g.cpuSeconds += more.cpuSeconds
  g.residentBytes += more.residentBytes
}
