import type { IPCTrafficEvent } from '../../../shared/broker/status'

/**
 * The broker's traffic for the IPC page: events gathered and handed out in
 * batches (one every BATCH_MS at most), a batch capped so a flood cannot
 * grow it. With nobody subscribed `active` is false and the broker builds
 * no event at all: the log costs nothing unless someone watches.
 */
export const TRAFFIC_BATCH_MS = 100
export const TRAFFIC_BATCH_MAX = 500

export class TrafficLog {
  private readonly listeners = new Set<(batch: IPCTrafficEvent[]) => void>()
  private batch: IPCTrafficEvent[] = []
  private dropped = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly batchMs = TRAFFIC_BATCH_MS) {}

  get active(): boolean {
    return this.listeners.size > 0
  }

  subscribe(listener: (batch: IPCTrafficEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.reset()
    }
  }

  add(event: IPCTrafficEvent): void {
    if (this.listeners.size === 0) return
    if (this.batch.length < TRAFFIC_BATCH_MAX) this.batch.push(event)
    else this.dropped++
    this.timer ??= setTimeout(() => this.flush(), this.batchMs)
  }

  close(): void {
    this.listeners.clear()
    this.reset()
  }

  private flush(): void {
    this.timer = undefined
    const batch = this.batch
    if (this.dropped > 0) batch.push({ at: Date.now(), kind: 'error', bytes: 0, text: `${this.dropped} more events in this ${this.batchMs} ms were left out of the log` })
    this.batch = []
    this.dropped = 0
    for (const listener of [...this.listeners]) {
      try {
        listener(batch)
      } catch {
        // One failing subscriber must not starve the others.
      }
    }
  }

  private reset(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.batch = []
    this.dropped = 0
  }
}
