import type { Unsubscribe } from '../../shared/contract'
import { Scheduler, type TickGrid } from './scheduler'

/**
 * A value read on a schedule and fanned out to subscribers. Reading starts
 * with the first subscriber and stops with the last, so nothing is sampled
 * that nobody looks at, unless `keepRunning` is on (system metrics, kept
 * as history whether or not anyone watches). A subscriber that joins while
 * reading runs gets the latest value at once rather than an interval later.
 */
export class PolledStream<T> {
  private readonly listeners = new Set<(value: T) => void>()
  private readonly scheduler: Scheduler
  private last: T | undefined
  private always = false
  private stopped = false

  /** Streams given the same grid read in the same wakeups (see TickGrid). */
  constructor(read: () => Promise<T> | T, intervalMs: () => number, onError: (err: unknown) => void, grid?: TickGrid) {
    this.scheduler = new Scheduler(async () => this.publish(await read()), intervalMs, onError, grid)
  }

  subscribe(listener: (value: T) => void): Unsubscribe {
    this.listeners.add(listener)
    if (this.last !== undefined) listener(this.last)
    this.update()
    return () => {
      if (this.listeners.delete(listener)) this.update()
    }
  }

  /** Reads with no subscriber too (on), or only while someone subscribes (off). */
  keepRunning(on: boolean): void {
    this.always = on
    this.update()
  }

  /** The last value read while reading runs. */
  get latest(): T | undefined {
    return this.last
  }

  /** Subscribers only (keepRunning is not one). */
  get subscribers(): number {
    return this.listeners.size
  }

  get active(): boolean {
    return this.scheduler.active
  }

  /** Re-arms the timer with the current interval (after a settings change). */
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

  private publish(value: T): void {
    if (this.stopped || !this.scheduler.active) return
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
