import { resolveMetricsWindow, type MetricsWindow } from '../../../shared/system/ranges'
import { seriesValues } from '../../../shared/system/series'
import type { MetricsAggregates, MetricsHistory, SystemMetrics } from '../../../shared/types/system'
import { MetricsHistoryStore } from './metricsHistory'
import type { SystemReader } from './reader'
import { SystemSampler } from './systemSampler'

/** A one-shot reading waits this long for a second one so rates are real. */
export const FIRST_READING_GAP_MS = 250

/** A previous reading older than this is not a fair base for rates: they would average over the pause. */
export const staleAfterMs = (intervalMs: number): number => Math.max(5000, 3 * intervalMs)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * System metrics recorded and read. The live stream's samples are recorded in
 * history while `recording` is on (the monitorSystemMetrics setting: the
 * engine then samples whether or not anyone subscribes); off, nothing is
 * kept. Gaps in sampling leave gaps in history (the first sample after one
 * has null rates). One-shot reads (getSystemMetrics with no live stream)
 * use a sampler of their own, so they never shorten the live stream's
 * intervals and are not recorded.
 */
export class MetricsRecorder {
  readonly history: MetricsHistoryStore
  private readonly live: SystemSampler
  private readonly oneShot: SystemSampler
  private pending: Promise<SystemMetrics> | undefined
  private lastOneShot: SystemMetrics | undefined
  private record: boolean

  constructor(historySize: number, reader: () => SystemReader, recording = true) {
    this.history = new MetricsHistoryStore(historySize)
    this.live = new SystemSampler(reader())
    this.oneShot = new SystemSampler(reader())
    this.record = recording
  }

  get recording(): boolean {
    return this.record
  }

  /** Off forgets the history and frees its memory; on records from the next sample. */
  setRecording(on: boolean): void {
    this.record = on
    if (!on) this.history.clear()
  }

  /** The live stream's read: one sample, recorded in history if recording. */
  sample(intervalMs: number): SystemMetrics {
    if (this.live.sinceLastMs > staleAfterMs(intervalMs)) this.live.reset()
    const metrics = this.live.sample()
    if (this.record) this.history.record(metrics.timestamp, seriesValues(metrics))
    return metrics
  }

  /**
   * A real sample now: the live stream's latest when fresh and not its
   * first (which has no rates), else a one-shot reading, preceded by a
   * first one FIRST_READING_GAP_MS earlier when there is no recent reading
   * to take rates against. Concurrent calls share one.
   */
  current(latest: SystemMetrics | undefined, intervalMs: number): Promise<SystemMetrics> {
    const now = Date.now()
    if (latest && latest.cpu.total !== null && now - latest.timestamp < 2 * intervalMs) return Promise.resolve(latest)
    if (this.lastOneShot && now - this.lastOneShot.timestamp < Math.min(1000, intervalMs)) return Promise.resolve(this.lastOneShot)
    return (this.pending ??= this.readOneShot(intervalMs).finally(() => (this.pending = undefined)))
  }

  /** Releases the readers' descriptors (the engine is closing). */
  close(): void {
    this.live.close()
    this.oneShot.close()
  }

  getHistory(window: MetricsWindow): MetricsHistory {
    const { from, to } = resolveMetricsWindow(window, Date.now())
    return this.history.history(from, to)
  }

  /** Over the window asked for; an open start is reported as the oldest sample recorded. */
  getAggregates(window: MetricsWindow): MetricsAggregates {
    const { from, to } = resolveMetricsWindow(window, Date.now())
    const aggregates = this.history.aggregates(from, to)
    if (window?.range === undefined && window?.from === undefined) aggregates.from = this.history.oldest ?? to
    return aggregates
  }

  private async readOneShot(intervalMs: number): Promise<SystemMetrics> {
    const since = this.oneShot.sinceLastMs
    if (since > staleAfterMs(intervalMs)) {
      this.oneShot.reset()
      await this.oneShot.settle()
      this.oneShot.sample()
      await sleep(FIRST_READING_GAP_MS)
    } else if (since < FIRST_READING_GAP_MS) {
      await sleep(FIRST_READING_GAP_MS - since)
    }
    // Where disk and network counters are read in the background (no /proc), new ones, or no rates.
    await this.oneShot.settle()
    return (this.lastOneShot = this.oneShot.sample())
  }
}
