/**
 * The pool's queue: higher priority first, first in first out within a
 * priority, bounded by the caller (it checks `size` against maxQueueSize).
 * A retried task goes back to the front of its priority: it was submitted
 * before the ones waiting behind it. Removing from the middle (a cancel)
 * is O(n) in its bucket; taking the next is O(1) amortised.
 */
export class TaskQueue<T> {
  /** Buckets by priority, highest first. */
  private readonly buckets: Array<{ priority: number; items: T[]; head: number }> = []
  private count = 0

  get size(): number {
    return this.count
  }

  push(item: T, priority: number): void {
    this.bucket(priority).items.push(item)
    this.count++
  }

  /** Back to the front of its priority (a retry). */
  unshift(item: T, priority: number): void {
    const b = this.bucket(priority)
    if (b.head > 0) b.items[--b.head] = item
    else b.items.unshift(item)
    this.count++
  }

  /** The next item without taking it. */
  peek(): T | undefined {
    for (const b of this.buckets) if (b.head < b.items.length) return b.items[b.head]
    return undefined
  }

  shift(): T | undefined {
    for (let i = 0; i < this.buckets.length; i++) {
      const b = this.buckets[i]!
      if (b.head >= b.items.length) continue
      const item = b.items[b.head]!
      b.items[b.head] = undefined as T
      b.head++
      this.count--
      if (b.head === b.items.length) this.buckets.splice(i, 1)
      else if (b.head > 1024 && b.head * 2 > b.items.length) {
        b.items.splice(0, b.head)
        b.head = 0
      }
      return item
    }
    return undefined
  }

  /** Takes `item` out wherever it waits; whether it was there. */
  remove(item: T, priority: number): boolean {
    const i = this.buckets.findIndex((b) => b.priority === priority)
    if (i < 0) return false
    const b = this.buckets[i]!
    const at = b.items.indexOf(item, b.head)
    if (at < 0) return false
    b.items.splice(at, 1)
    this.count--
    if (b.head >= b.items.length) this.buckets.splice(i, 1)
    return true
  }

  /** Every item, in the order they would be taken, and the queue emptied. */
  drain(): T[] {
    const out: T[] = []
    for (const b of this.buckets) out.push(...b.items.slice(b.head))
    this.buckets.length = 0
    this.count = 0
    return out
  }

  private bucket(priority: number): { priority: number; items: T[]; head: number } {
    let i = 0
    while (i < this.buckets.length && this.buckets[i]!.priority > priority) i++
    const found = this.buckets[i]
    if (found && found.priority === priority) return found
    const b = { priority, items: [] as T[], head: 0 }
    this.buckets.splice(i, 0, b)
    return b
  }
}
