import { deriveSystemMetrics, type RawSystemReading } from '../../../shared/system/derive'
import type { SystemMetrics } from '../../../shared/types/system'
import { LinuxSystemReader } from './linux/linuxReader'
import { PortableSystemReader } from './portableReader'
import type { SystemReader, SystemReaderOptions } from './reader'

/** /proc on Linux; node:os (and systeminformation on a slow cadence) elsewhere. */
export function createSystemReader(options: SystemReaderOptions = {}, platform = process.platform): SystemReader {
  return platform === 'linux' ? new LinuxSystemReader(options) : new PortableSystemReader(options)
}

/**
 * Samples keep the previous reading to take rates against. The first
 * sample, and the first after reset(), has null rates and shares.
 */
export class SystemSampler {
  private prev: RawSystemReading | undefined
  private since = performance.now()

  constructor(private readonly reader: SystemReader = createSystemReader()) {}

  /** `full` also refreshes the slow parts (filesystems, sensors) now. */
  sample(full = false): SystemMetrics {
    const cur = this.withoutOlderIo(this.reader.read(full))
    const metrics = deriveSystemMetrics(this.prev, cur, this.reader.deriveOptions)
    this.prev = cur
    return metrics
  }

  /** Waits (bounded) for background I/O counters newer than the last reading's, where the reader has such. */
  async settle(): Promise<void> {
    await this.reader.settle?.(Math.max(this.since, this.prev?.ioMonotonicMs ?? -Infinity))
  }

  /** Monotonic ms since the last reading; Infinity before the first. */
  get sinceLastMs(): number {
    return this.prev ? performance.now() - this.prev.monotonicMs : Infinity
  }

  reset(): void {
    this.prev = undefined
    this.since = performance.now()
  }

  close(): void {
    this.reader.close?.()
  }

  /**
   * I/O counters read in the background before this sampler (re)started
   * are no base for rates: those would average over the pause. Without
   * them the rates begin a sample later.
   */
  private withoutOlderIo(reading: RawSystemReading): RawSystemReading {
    if (reading.ioMonotonicMs === undefined || reading.ioMonotonicMs >= this.since) return reading
    const { disks: _disks, interfaces: _interfaces, ioMonotonicMs: _io, ...rest } = reading
    return rest
  }
}
