/** The last `capacity` items pushed, oldest first: a fixed array and a moving head, no shifting. */
export class Ring<T> {
  private readonly items: T[] = []
  private head = 0

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`ring capacity must be at least 1, got ${capacity}`)
  }

  get size(): number {
    return this.items.length
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item)
      return
    }
    this.items[this.head] = item
    this.head = (this.head + 1) % this.capacity
  }

  /** The items, oldest first; the last `n` when given. */
  toArray(n = this.items.length): T[] {
    const all = this.items.length < this.capacity ? this.items.slice() : [...this.items.slice(this.head), ...this.items.slice(0, this.head)]
    return n >= all.length ? all : all.slice(all.length - n)
  }
}
