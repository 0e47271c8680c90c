import type { Registry } from 'prom-client'
import { counter, gauge } from './family'
import { GroupCpuTotals, groupByName, type ProcessGroup } from './processGroups'
import { perScrape, type Readings } from './readings'

/** Every process on the machine, grouped by name (see groupByName): one series per group and family, never one per pid. */
export function registerProcessFamilies(registry: Registry, now: () => Readings): void {
  // Kept from scrape to scrape: the CPU counter must not drop when a process exits.
  const cpu = new GroupCpuTotals()
  const current = perScrape(now, (r) => groupByName(r.processes.processes, cpu))
  const family = (pick: (g: ProcessGroup) => number) => () => current().map((g) => ({ labels: { groupname: g.name }, value: pick(g) }))
  gauge(registry, 'proctor_process_group_processes', 'Processes of each name.', ['groupname'], family((g) => g.processes))
  gauge(registry, 'proctor_process_group_threads', 'Threads of the processes of each name.', ['groupname'], family((g) => g.threads))
  counter(registry, 'proctor_process_group_cpu_seconds_total', 'CPU seconds (user and system) used by the processes of each name since Proctor first saw them, exited ones included.', ['groupname'], family((g) => g.cpuSeconds))
  gauge(registry, 'proctor_process_group_resident_memory_bytes', 'Resident memory of the processes of each name.', ['groupname'], family((g) => g.residentBytes))
}
