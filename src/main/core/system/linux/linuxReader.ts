import { existsSync } from 'node:fs'
import type { CpuCounters } from '../../../../shared/system/cpu'
import type { DeriveOptions, RawSystemReading } from '../../../../shared/system/derive'
import { Cadence, FILESYSTEMS_EVERY_MS, PROCESS_COUNTS_EVERY_MS, TEMPERATURES_EVERY_MS, type SystemReader, type SystemReaderOptions } from '../reader'
import { FilesystemReader } from './filesystems'
import { isWholeDiskName, scanDiskstats, scanLoadavg, scanMeminfo, scanNetDev, scanProcStatCpus, scanUptime } from './parse'
import { ProcStateCounter } from './processStates'
import { TemperatureReader } from './temperatures'
import { TextFiles } from '../../linux/textFiles'

export interface LinuxReaderOptions extends SystemReaderOptions {
  /** Other roots for tests on a captured tree. */
  procRoot?: string
  sysRoot?: string
}

const IDLE_CPU: CpuCounters = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 }

/**
 * Reads /proc and /sys directly, hand-written because it runs every second:
 * systeminformation's equivalent calls cost ~100x the CPU and spawn six
 * processes per sample (`npm run bench -- --cases metrics`). Seven small
 * files per reading; statfs and sensors on slower cadences; process states
 * counted a few per sample.
 */
export class LinuxSystemReader implements SystemReader {
  readonly deriveOptions: DeriveOptions
  /** /proc/stat counts in USER_HZ ticks, which the kernel's ABI fixes at 100 a second whatever its internal HZ. */
  readonly cpuUnitsPerSecond = 100
  private readonly files = new TextFiles()
  private readonly procRoot: string
  private readonly sysRoot: string
  private readonly disks = new Map<string, boolean>()
  private readonly filesystems: Cadence<RawSystemReading['filesystems']>
  private readonly temperatures: Cadence<RawSystemReading['temperatures']>
  private readonly ownCounts: ProcStateCounter

  constructor(private readonly options: LinuxReaderOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc'
    this.sysRoot = options.sysRoot ?? '/sys'
    // 32-bit kernels keep I/O counters in 32-bit longs, which wrap; 64-bit ones never do in practice.
    this.deriveOptions = ['ia32', 'arm'].includes(process.arch) ? { wrapAt: 2 ** 32 } : {}
    const fs = new FilesystemReader(() => this.files.read(`${this.procRoot}/self/mounts`))
    this.filesystems = new Cadence(FILESYSTEMS_EVERY_MS, () => fs.read())
    const sensors = new TemperatureReader(this.files, this.sysRoot)
    this.temperatures = new Cadence(TEMPERATURES_EVERY_MS, (now) => sensors.read(now))
    this.ownCounts = new ProcStateCounter(this.files, this.procRoot, PROCESS_COUNTS_EVERY_MS)
  }

  read(full = false): RawSystemReading {
    const monotonicMs = performance.now()
    const timestamp = Date.now()
    const cpus = scanProcStatCpus(this.files.bytes, this.file('stat'))
    const { memory, swap } = scanMeminfo(this.files.bytes, this.file('meminfo'))
    const load = scanLoadavg(this.files.bytes, this.file('loadavg'))
    const disks = scanDiskstats(this.files.bytes, this.file('diskstats'), this.isDisk)
    const interfaces = scanNetDev(this.files.bytes, this.file('net/dev'))
    const uptime = scanUptime(this.files.bytes, this.file('uptime'))
    return {
      monotonicMs,
      timestamp,
      cpu: cpus.total ?? IDLE_CPU,
      cores: cpus.cores,
      memory,
      swap,
      load,
      disks,
      interfaces,
      filesystems: this.filesystems.get(monotonicMs, full),
      processes: this.options.processCounts?.() ?? this.ownCounts.read(monotonicMs),
      temperatures: this.temperatures.get(monotonicMs, full),
      uptime,
    }
  }

  /** Releases the descriptors kept open on the files read every sample. */
  close(): void {
    this.files.close()
  }

  /** Reads a /proc file into the shared buffer; its length (0 when unreadable: every scanner reads nothing then). */
  private file(name: string): number {
    return Math.max(0, this.files.readKeptBytes(`${this.procRoot}/${name}`))
  }

  /**
   * A whole physical (or virtual-hardware) disk: listed in /sys/block, which
   * has no partitions, and backed by a device, which loop, ram, zram and
   * stacked devices (dm-*, md*) are not; their I/O shows on the disks below
   * them, and counting both would count it twice. By name without /sys.
   */
  private readonly isDisk = (name: string): boolean => {
    let disk = this.disks.get(name)
    if (disk === undefined) {
      const block = `${this.sysRoot}/block`
      disk = existsSync(block) ? existsSync(`${block}/${name}/device`) : isWholeDiskName(name)
      // Bounded by the machine's device names; cleared if something odd makes it grow.
      if (this.disks.size > 4096) this.disks.clear()
      this.disks.set(name, disk)
    }
    return disk
  }
}
