import type { Unsubscribe } from '../../shared/contract'

/**
 * A value produced on a schedule and fanned out to subscribers. Production
 * starts with the first subscriber and stops with the last, so nothing is
 * sampled that nobody looks at.
 */
export class Broadcast<T> {
  private readonly listeners = new Set<(value: T) => void>()
  private last: T | undefined

  constructor(
    private readonly onFirst: () => void,
    private readonly onLast: () => void,
  ) {}

  get size(): number {
    return this.listeners.size
  }

  get latest(): T | undefined {
    return this.last
  }

  subscribe(listener: (value: T) => void): Unsubscribe {
    this.listeners.add(listener)
    if (this.listeners.size === 1) this.onFirst()
    else if (this.last !== undefined) listener(this.last)
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) {
        this.last = undefined
        this.onLast()
      }
    }
  }

  publish(value: T): void {
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
