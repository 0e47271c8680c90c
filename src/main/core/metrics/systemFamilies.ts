import type { Registry } from 'prom-client'
import type { CpuCounters } from '../../../shared/system/cpu'
import { counter, gauge, type Series } from './family'
import type { Readings } from './readings'

const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const satisfies ReadonlyArray<keyof CpuCounters>

/**
 * The machine, as node_exporter names it with a proctor_ prefix: CPU
 * seconds by core and mode, memory, swap, load, disk and network counters,
 * filesystems, processes by state. Labels are cores, devices, interfaces
 * and mounts: bounded by the machine, never by its processes.
 */
export function registerSystemFamilies(registry: Registry, now: () => Readings): void {
  const system = () => now().system
  const one = (value: number): Series[] => [{ value }]

  counter(registry, 'proctor_cpu_seconds_total', 'Seconds each CPU core spent in each mode since boot.', ['cpu', 'mode'], function* () {
    const { system: s, cpuUnitsPerSecond: perSecond } = now()
    if (perSecond === undefined) return
    for (const [i, core] of s.cores.entries()) {
      for (const mode of CPU_MODES) {
        const ticks = core[mode]
        if (ticks !== undefined) yield { labels: { cpu: String(i), mode }, value: ticks / perSecond }
      }
    }
  })

  const memory = [
    ['total', 'Physical memory.'],
    ['used', 'Memory in use: total less available.'],
    ['available', 'Memory available to start programs without swapping (MemAvailable).'],
    ['cached', 'Page cache and reclaimable kernel slab.'],
    ['buffers', 'Block device buffers.'],
  ] as const
  for (const [field, help] of memory) gauge(registry, `proctor_memory_${field}_bytes`, help, [], () => one(system().memory[field]))
  gauge(registry, 'proctor_swap_total_bytes', 'Swap space.', [], () => one(system().swap.total))
  gauge(registry, 'proctor_swap_used_bytes', 'Swap space in use.', [], () => one(system().swap.used))
  for (const [i, minutes] of ([1, 5, 15] as const).entries()) {
    gauge(registry, `proctor_load${minutes}`, `Load average over ${minutes} minute${minutes > 1 ? 's' : ''}.`, [], () => one(system().load[i]!))
  }
  gauge(registry, 'proctor_system_uptime_seconds', 'Seconds since the machine booted.', [], () => one(system().uptime))
  gauge(registry, 'proctor_processes', 'Processes on the machine by state.', ['state'], function* () {
    const { running, sleeping, stopped, zombie } = system().processes
    yield* Object.entries({ running, sleeping, stopped, zombie }).map(([state, value]) => ({ labels: { state }, value }))
  })

  // One counter per field of a device's (or an interface's) cumulative counters, labelled by its name.
  const perDevice = <T, K extends keyof T>(prefix: string, label: string, list: () => readonly T[] | undefined, nameOf: (x: T) => string, fields: ReadonlyArray<readonly [string, K, string]>) => {
    for (const [name, field, help] of fields) {
      counter(registry, `${prefix}_${name}_total`, help, [label], function* () {
        for (const x of list() ?? []) {
          const value = x[field]
          if (typeof value === 'number') yield { labels: { [label]: nameOf(x) }, value }
        }
      })
    }
  }
  perDevice('proctor_disk', 'device', () => system().disks, (d) => d.device, [
    ['read_bytes', 'readBytes', 'Bytes read from each disk since boot.'],
    ['written_bytes', 'writeBytes', 'Bytes written to each disk since boot.'],
    ['reads_completed', 'readOps', 'Reads completed by each disk since boot.'],
    ['writes_completed', 'writeOps', 'Writes completed by each disk since boot.'],
  ])
  perDevice('proctor_network', 'interface', () => system().interfaces, (n) => n.name, [
    ['receive_bytes', 'rxBytes', 'Bytes received by each network interface since boot.'],
    ['transmit_bytes', 'txBytes', 'Bytes sent by each network interface since boot.'],
    ['receive_packets', 'rxPackets', 'Packets received by each network interface since boot.'],
    ['transmit_packets', 'txPackets', 'Packets sent by each network interface since boot.'],
    ['receive_errors', 'rxErrors', 'Receive errors of each network interface since boot.'],
    ['transmit_errors', 'txErrors', 'Transmit errors of each network interface since boot.'],
  ])

  const filesystem = [
    ['size', 'sizeBytes', 'Size of each mounted filesystem.'],
    ['used', 'usedBytes', 'Space in use on each mounted filesystem.'],
    ['available', 'availableBytes', 'Space an unprivileged user can still fill on each mounted filesystem.'],
  ] as const
  for (const [name, field, help] of filesystem) {
    gauge(registry, `proctor_filesystem_${name}_bytes`, help, ['mountpoint', 'device', 'fstype'], () =>
      system().filesystems.map((f) => ({ labels: { mountpoint: f.mount, device: f.device, fstype: f.type }, value: f[field] })),
    )
  }
}
