import type { DeriveOptions, RawSystemReading } from '../../../shared/system/derive'
import type { ProcessCounts } from '../../../shared/system/processCounts'

/** A platform's source of raw system readings (see deriveSystemMetrics for the rates). */
export interface SystemReader {
  /**
   * One reading. Slow parts (filesystems, sensors) are refreshed on their
   * own cadence and repeated in between; `full` refreshes them now.
   */
  read(full?: boolean): RawSystemReading
  readonly deriveOptions: DeriveOptions
  /** Units of the CPU counters in a second (USER_HZ ticks from /proc/stat, ms from node:os), for CPU seconds. */
  readonly cpuUnitsPerSecond?: number
  /**
   * For readers whose I/O counters come from a background read: resolves
   * once counters newer than `afterMs` (monotonic) are in, or after a
   * bounded wait, so a one-shot pair of readings has real rates.
   */
  settle?(afterMs: number): Promise<void>
  /** Releases what the reader keeps open (descriptors); a later read opens them again. */
  close?(): void
}

export interface SystemReaderOptions {
  /** Counts from a fresh process list, if the engine has one: then the reader need not count. */
  processCounts?: () => ProcessCounts | undefined
}

/** Filesystem usage changes slowly and statfs of every mount is the costly part. */
export const FILESYSTEMS_EVERY_MS = 10_000
export const TEMPERATURES_EVERY_MS = 5_000
/** Counting processes by state reads one file per process: a new count begins this long after the last ended. */
export const PROCESS_COUNTS_EVERY_MS = 10_000

/** Runs a refresh when it is due (or forced) and keeps its last result in between. */
export class Cadence<T> {
  private at = -Infinity
  private value: T | undefined

  constructor(
    private readonly everyMs: number,
    private readonly refresh: (nowMs: number) => T,
  ) {}

  get(nowMs: number, force = false): T {
    if (force || this.value === undefined || nowMs - this.at >= this.everyMs) {
      this.value = this.refresh(nowMs)
      this.at = nowMs
    }
    return this.value
  }
}
