import type { PoolMetrics, TaskState } from '../../../shared/pools/pool'
import { BucketCounts, type BucketReading } from '../../../shared/pools/buckets'
import { SampleRing } from '../../../shared/pools/quantiles'

/** Throughput counts tasks ended over this window. */
export const THROUGHPUT_WINDOW_MS = 60_000

/**
 * The counters behind a pool's metrics: tasks by how they ended, retries
 * and restarts, wait and run times as samples (their quantiles on demand),
 * task ends over the last minute for throughput, and busy over live worker
 * time for utilisation. The pool tells it what happens; it decides nothing.
 */
export class PoolStats {
  readonly since: number
  private readonly counts = { submitted: 0, completed: 0, failed: 0, timedOut: 0, cancelled: 0, retries: 0, restarts: 0 }
  private readonly waits = new SampleRing(1000)
  private readonly runs = new SampleRing(1000)
  /** Every wait and run since the start, by bucket, for the Prometheus histograms. */
  private readonly waitBuckets = new BucketCounts()
  private readonly runBuckets = new BucketCounts()
  private readonly ends: number[] = []
  private busyMs = 0
  private liveMs = 0
  private lastTick: number

  constructor(now = Date.now()) {
    this.since = now
    this.lastTick = now
  }

  submitted(): void {
    this.counts.submitted++
  }

  /** A task's first run began after `waitMs` in the queue. */
  firstRun(waitMs: number): void {
    this.waits.add(waitMs)
    this.waitBuckets.observe(waitMs / 1000)
  }

  /** A task ended; `runMs` when it ended on a worker (not cancelled). */
  ended(state: Exclude<TaskState, 'queued' | 'running'>, runMs: number | undefined, now = Date.now()): void {
    if (runMs !== undefined) {
      this.runs.add(runMs)
      this.runBuckets.observe(runMs / 1000)
    }
    if (state === 'done') this.counts.completed++
    else if (state === 'failed') this.counts.failed++
    else if (state === 'timed_out') this.counts.timedOut++
    else this.counts.cancelled++
    this.ends.push(now)
    if (this.ends.length > 4096 && now - this.ends[0]! > THROUGHPUT_WINDOW_MS) this.trim(now)
  }

  retried(): void {
    this.counts.retries++
  }

  restarted(): void {
    this.counts.restarts++
  }

  /** Before any change of who is live or busy: the time since the last one counted as it was. */
  tick(live: number, busy: number, now = Date.now()): void {
    const dt = now - this.lastTick
    this.lastTick = now
    if (dt <= 0) return
    this.liveMs += live * dt
    this.busyMs += busy * dt
  }

  snapshot(poolId: string, now: { queueDepth: number; running: number; workers: number }, at = Date.now()): PoolMetrics {
    this.trim(at)
    const window = Math.min(THROUGHPUT_WINDOW_MS, Math.max(1000, at - this.since))
    return {
      poolId,
      since: this.since,
      ...this.counts,
      ...now,
      throughput: (this.ends.length * 1000) / window,
      waitMs: this.waits.quantiles(),
      runMs: this.runs.quantiles(),
      utilisation: this.liveMs > 0 ? Math.min(1, this.busyMs / this.liveMs) : 0,
    }
  }

  /** Wait and run times since the start, in seconds by bucket. */
  histograms(): { wait: BucketReading; run: BucketReading } {
    return { wait: this.waitBuckets.read(), run: this.runBuckets.read() }
  }

  private trim(now: number): void {
    let i = 0
    while (i < this.ends.length && now - this.ends[i]! > THROUGHPUT_WINDOW_MS) i++
    if (i > 0) this.ends.splice(0, i)
  }
}
