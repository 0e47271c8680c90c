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
 * Processes grouped by name, as process-exporter groups them, never by pid:
 * the series are bounded by MAX_PROCESS_GROUPS + 1 whatever the number of
 * processes. The groups kept are those with the most CPU time so far, a
 * ranking that changes slowly, so series do not come and go each scrape.
 * A group's CPU seconds add up its live processes: one that exits takes
 * its share with it, which Prometheus' rate() reads as a counter reset.
 */
export function groupByName(processes: readonly RawProcess[], max = MAX_PROCESS_GROUPS): ProcessGroup[] {
  const byName = new Map<string, ProcessGroup>()
  for (const p of processes) {
    const name = groupName(p)
    let g = byName.get(name)
    if (!g) byName.set(name, (g = { name, processes: 0, threads: 0, cpuSeconds: 0, residentBytes: 0 }))
    add(g, { processes: 1, threads: p.threads ?? 1, cpuSeconds: p.cpuTimeMs / 1000, residentBytes: p.memoryBytes })
  }
  const groups = [...byName.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds || a.name.localeCompare(b.name))
  if (groups.length <= max) return groups
  const other: ProcessGroup = { name: OTHER_GROUP, processes: 0, threads: 0, cpuSeconds: 0, residentBytes: 0 }
  for (const g of groups.slice(max)) add(other, g)
  return [...groups.slice(0, max), other]
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
