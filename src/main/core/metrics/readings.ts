import { countStatesOf } from '../../../shared/system/processCounts'
import type { RawSystemReading } from '../../../shared/system/derive'
import type { RawProcessSample } from '../../../shared/types/process'
import type { ProcessAdapter } from '../processes/adapter'
import { createProcessAdapter, type AdapterSetting } from '../processes/factory'
import type { SystemReader } from '../system/reader'
import { createSystemReader } from '../system/systemSampler'

/** What one scrape reads of the machine: every process and the system's counters, read once and shared by the families. */
export interface Readings {
  processes: RawProcessSample
  system: RawSystemReading
  /** Units of system.cpu's counters in a second; undefined where the reader cannot tell. */
  cpuUnitsPerSecond: number | undefined
}

/**
 * Reads the machine when Prometheus scrapes, as node_exporter and
 * process-exporter do: raw cumulative counters (CPU time, bytes), which is
 * what Prometheus wants, rather than the engine's rates. The readers are
 * made at the first scrape and kept (the Linux one tracks /proc between
 * reads, which makes the next read cheaper); nothing reads between scrapes.
 */
export class ScrapeReadings {
  private adapter: ProcessAdapter | undefined
  private reader: SystemReader | undefined
  private counts: ReturnType<typeof countStatesOf> | undefined

  constructor(private readonly adapterSetting: () => AdapterSetting) {}

  async read(): Promise<Readings> {
    this.adapter ??= createProcessAdapter(this.adapterSetting())
    const processes = await this.adapter.sample()
    // The reader counts processes by state from the list just read instead of reading /proc again.
    this.counts = countStatesOf(processes.processes)
    this.reader ??= createSystemReader({ processCounts: () => this.counts })
    return { processes, system: this.reader.read(), cpuUnitsPerSecond: this.reader.cpuUnitsPerSecond }
  }

  /** Lets go of the readers (the endpoint was turned off or the platform adapter changed). */
  close(): void {
    this.adapter?.close()
    this.reader?.close?.()
    this.adapter = this.reader = undefined
  }
}

/** A value computed once per scrape (once per Readings) and shared by the families that read it. */
export function perScrape<T>(now: () => Readings, compute: (readings: Readings) => T): () => T {
  let of: Readings | undefined
  let value: T
  return () => {
    const readings = now()
    if (readings !== of) {
      value = compute(readings)
      of = readings
    }
    return value
  }
}
