import { existsSync } from 'node:fs'
import type { CpuCounters } from '../../../../shared/system/cpu'
import type { DeriveOptions, RawSystemReading } from '../../../../shared/system/derive'
import { Cadence, FILESYSTEMS_EVERY_MS, PROCESS_COUNTS_EVERY_MS, TEMPERATURES_EVERY_MS, type SystemReader, type SystemReaderOptions } from '../reader'
import { FilesystemReader } from './filesystems'
import {
  isWholeDiskName,
  memoryFromMeminfo,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStatCpus,
  parseUptime,
} from './parse'
import { ProcStateCounter } from './processStates'
import { TemperatureReader } from './temperatures'
import { TextFiles } from './textFiles'

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
    const cpus = parseProcStatCpus(this.file('stat'))
    const { memory, swap } = memoryFromMeminfo(parseMeminfo(this.file('meminfo')))
    return {
      monotonicMs,
      timestamp,
      cpu: cpus.total ?? IDLE_CPU,
      cores: cpus.cores,
      memory,
      swap,
      load: parseLoadavg(this.file('loadavg')),
      disks: parseDiskstats(this.file('diskstats'), (name) => this.isDisk(name)),
      interfaces: parseNetDev(this.file('net/dev')),
      filesystems: this.filesystems.get(monotonicMs, full),
      processes: this.options.processCounts?.() ?? this.ownCounts.read(monotonicMs),
      temperatures: this.temperatures.get(monotonicMs, full),
      uptime: parseUptime(this.file('uptime')),
    }
  }

  /** Releases the descriptors kept open on the files read every sample. */
  close(): void {
    this.files.close()
  }

  private file(name: string): string {
    return this.files.readKept(`${this.procRoot}/${name}`) ?? ''
  }

  /**
   * A whole physical (or virtual-hardware) disk: listed in /sys/block, which
   * has no partitions, and backed by a device, which loop, ram, zram and
   * stacked devices (dm-*, md*) are not; their I/O shows on the disks below
   * them, and counting both would count it twice. By name without /sys.
   */
  private isDisk(name: string): boolean {
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
