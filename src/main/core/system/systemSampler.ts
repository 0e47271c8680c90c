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

  constructor(private readonly reader: SystemReader = createSystemReader()) {}

  /** `full` also refreshes the slow parts (filesystems, sensors) now. */
  sample(full = false): SystemMetrics {
    const cur = this.reader.read(full)
    const metrics = deriveSystemMetrics(this.prev, cur, this.reader.deriveOptions)
    this.prev = cur
    return metrics
  }

  /** Monotonic ms since the last reading; Infinity before the first. */
  get sinceLastMs(): number {
    return this.prev ? performance.now() - this.prev.monotonicMs : Infinity
  }

  reset(): void {
    this.prev = undefined
  }
}
