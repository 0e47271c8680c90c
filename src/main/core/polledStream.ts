import type { Unsubscribe } from '../../shared/contract'
import { Broadcast } from './broadcast'
import { Scheduler } from './scheduler'

/** A value read on the scheduler while anyone is subscribed, fanned out to all of them. */
export class PolledStream<T> {
  private readonly broadcast: Broadcast<T>
  private readonly scheduler: Scheduler

  constructor(read: () => Promise<T> | T, intervalMs: () => number, onError: (err: unknown) => void) {
    this.scheduler = new Scheduler(async () => this.broadcast.publish(await read()), intervalMs, onError)
    this.broadcast = new Broadcast<T>(
      () => this.scheduler.start(),
      () => this.scheduler.stop(),
    )
  }

  subscribe(listener: (value: T) => void): Unsubscribe {
    return this.broadcast.subscribe(listener)
  }

  /** The last value published while someone listens. */
  get latest(): T | undefined {
    return this.broadcast.latest
  }

  get subscribers(): number {
    return this.broadcast.size
  }

  get active(): boolean {
    return this.scheduler.active
  }

  reschedule(): void {
    this.scheduler.reschedule()
  }

  stop(): void {
    this.scheduler.stop()
  }
}
