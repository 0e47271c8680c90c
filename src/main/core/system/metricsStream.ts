import type { Unsubscribe } from '../../../shared/contract'
import type { SystemMetrics } from '../../../shared/types/system'
import { Scheduler } from '../scheduler'

/**
 * The live system metrics: sampled on the scheduler while anyone
 * subscribes, and also with nobody subscribed while `keepRunning` is on
 * (the engine records history then). As PolledStream otherwise;
 * `subscribers` counts subscribers only.
 */
export class SystemMetricsStream {
  private readonly listeners = new Set<(value: SystemMetrics) => void>()
  private readonly scheduler: Scheduler
  private last: SystemMetrics | undefined
  private always = false
  private stopped = false

  constructor(read: () => SystemMetrics, intervalMs: () => number, onError: (err: unknown) => void) {
    this.scheduler = new Scheduler(() => this.publish(read()), intervalMs, onError)
  }

  subscribe(listener: (value: SystemMetrics) => void): Unsubscribe {
    this.listeners.add(listener)
    // Already sampling (for others, or for history): the newest sample now rather than an interval later.
    if (this.last !== undefined) listener(this.last)
    this.update()
    return () => {
      if (this.listeners.delete(listener)) this.update()
    }
  }

  /** Samples with no subscriber too (on), or only while someone subscribes (off). */
  keepRunning(on: boolean): void {
    this.always = on
    this.update()
  }

  /** The last sample while sampling runs. */
  get latest(): SystemMetrics | undefined {
    return this.last
  }

  get subscribers(): number {
    return this.listeners.size
  }

  get active(): boolean {
    return this.scheduler.active
  }

  reschedule(): void {
    this.scheduler.reschedule()
  }

  /** For good: the engine is closing. */
  stop(): void {
    this.stopped = true
    this.scheduler.stop()
  }

  private update(): void {
    if (!this.stopped && (this.always || this.listeners.size > 0)) return this.scheduler.start()
    this.scheduler.stop()
    this.last = undefined
  }

  private publish(value: SystemMetrics): void {
    this.last = value
    for (const listener of [...this.listeners]) {
      try {
        listener(value)
      } catch {
        // One failing subscriber must not starve the others.
      }
    }
  }
}
