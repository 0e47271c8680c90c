import type { DiskDeviceRates, FilesystemUsage, NetworkInterfaceRates, SystemMetrics } from '../types/system'
import { cpuShares, type CpuCounters } from './cpu'
import { counterDelta, perSecond, sumOrNull } from './rates'

/** Cumulative counters of one whole disk (or of all of them); undefined where the platform cannot tell. */
export interface DiskCounters {
  device: string
  readOps?: number
  writeOps?: number
  readBytes?: number
  writeBytes?: number
}

/** Cumulative counters of one network interface; packets are undefined where the platform gives none. */
export interface InterfaceCounters {
  name: string
  rxBytes: number
  txBytes: number
  rxPackets?: number
  txPackets?: number
  rxErrors: number
  txErrors: number
}

/**
 * One reading of the machine as a platform reader returns it: counters are
 * cumulative, levels (memory, load, ...) are as read. Rates come from two
 * readings through deriveSystemMetrics.
 */
export interface RawSystemReading {
  /** Monotonic clock, ms: rates are taken over its differences (the wall clock may jump). */
  monotonicMs: number
  timestamp: number
  cpu: CpuCounters
  /** One per logical CPU, in order. */
  cores: CpuCounters[]
  memory: SystemMetrics['memory']
  swap: SystemMetrics['swap']
  load: SystemMetrics['load']
  /** Undefined where the platform reader cannot tell (then the totals are null, not 0). */
  disks?: DiskCounters[]
  interfaces?: InterfaceCounters[]
  /**
   * When disks and interfaces were read, if not at monotonicMs (a reader
   * that reads them in the background): their rates are taken over this
   * clock instead. Same clock as monotonicMs.
   */
  ioMonotonicMs?: number
  filesystems: FilesystemUsage[]
  processes: SystemMetrics['processes']
  temperatures: SystemMetrics['temperatures']
  uptime: number
}

export interface DeriveOptions {
  /** 2^32 where the kernel's I/O counters are 32-bit and wrap; see counterDelta. */
  wrapAt?: number
}

/** Loopback never leaves the machine: it is listed, but not counted as network traffic. Linux says lo, macOS lo0. */
export const isLoopback = (name: string): boolean => /^lo\d*$/.test(name)

/** The I/O counters' interval in seconds: over ioMonotonicMs where either reading has one (NaN if only one does). */
function ioSeconds(prev: RawSystemReading, cur: RawSystemReading): number {
  if (prev.ioMonotonicMs === undefined && cur.ioMonotonicMs === undefined) return (cur.monotonicMs - prev.monotonicMs) / 1000
  return ((cur.ioMonotonicMs ?? NaN) - (prev.ioMonotonicMs ?? NaN)) / 1000
}

/**
 * A sample from two readings. With no previous reading, or a zero-length
 * interval, every rate and share is null: no value rather than a wrong one.
 * Disk and network rates go by their own interval (ioMonotonicMs) when the
 * reader gives one, with the same rule.
 */
export function deriveSystemMetrics(prev: RawSystemReading | undefined, cur: RawSystemReading, options: DeriveOptions = {}): SystemMetrics {
  const seconds = prev ? (cur.monotonicMs - prev.monotonicMs) / 1000 : 0
  const usable = prev !== undefined && seconds > 0 ? prev : undefined
  const io = prev ? ioSeconds(prev, cur) : 0
  const ioUsable = prev !== undefined && io > 0 ? prev : undefined
  const rate = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? null : perSecond(counterDelta(a, b, options.wrapAt), io)

  const shares = usable
    ? cpuShares(usable.cpu, cur.cpu)
    : { total: null, user: null, system: null, iowait: null, steal: null }
  const cores = cur.cores.map((c, i) => {
    const p = usable?.cores[i]
    return p ? cpuShares(p, c).total : null
  })

  const prevDisks = new Map(ioUsable?.disks?.map((d) => [d.device, d]))
  const devices: DiskDeviceRates[] = (cur.disks ?? []).map((d) => {
    const p = prevDisks.get(d.device)
    return {
      device: d.device,
      readBytesPerSec: rate(p?.readBytes, d.readBytes),
      writeBytesPerSec: rate(p?.writeBytes, d.writeBytes),
      readOpsPerSec: rate(p?.readOps, d.readOps),
      writeOpsPerSec: rate(p?.writeOps, d.writeOps),
    }
  })

  const prevIfs = new Map(ioUsable?.interfaces?.map((n) => [n.name, n]))
  const interfaces: NetworkInterfaceRates[] = (cur.interfaces ?? []).map((n) => {
    const p = prevIfs.get(n.name)
    return {
      name: n.name,
      rxBytesPerSec: rate(p?.rxBytes, n.rxBytes),
      txBytesPerSec: rate(p?.txBytes, n.txBytes),
      rxPacketsPerSec: rate(p?.rxPackets, n.rxPackets),
      txPacketsPerSec: rate(p?.txPackets, n.txPackets),
      rxBytes: n.rxBytes,
      txBytes: n.txBytes,
      rxErrors: n.rxErrors,
      txErrors: n.txErrors,
    }
  })
  const external = interfaces.filter((n) => !isLoopback(n.name))
  // Unknown (first sample, or no reader for this platform) stays null; a device without a rate nulls its total.
  const total = <T>(known: unknown, list: T[], pick: (x: T) => number | null) => (ioUsable && known ? sumOrNull(list.map(pick)) : null)

  return {
    timestamp: cur.timestamp,
    cpu: { total: shares.total, cores, shares },
    memory: cur.memory,
    swap: cur.swap,
    load: cur.load,
    disk: {
      readBytesPerSec: total(cur.disks, devices, (d) => d.readBytesPerSec),
      writeBytesPerSec: total(cur.disks, devices, (d) => d.writeBytesPerSec),
      readOpsPerSec: total(cur.disks, devices, (d) => d.readOpsPerSec),
      writeOpsPerSec: total(cur.disks, devices, (d) => d.writeOpsPerSec),
      devices,
    },
    filesystems: cur.filesystems,
    network: {
      rxBytesPerSec: total(cur.interfaces, external, (n) => n.rxBytesPerSec),
      txBytesPerSec: total(cur.interfaces, external, (n) => n.txBytesPerSec),
      rxPacketsPerSec: total(cur.interfaces, external, (n) => n.rxPacketsPerSec),
      txPacketsPerSec: total(cur.interfaces, external, (n) => n.txPacketsPerSec),
      interfaces,
    },
    processes: cur.processes,
    temperatures: cur.temperatures,
    uptime: cur.uptime,
  }
}
