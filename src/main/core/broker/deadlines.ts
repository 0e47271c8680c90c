/**
 * The deadlines of the broker's waiting requests, with one timer for all
 * of them instead of a setTimeout and a clearTimeout per request.
 *
 * Why: a request that is answered (the common case) never needs its
 * timer, yet Node's setTimeout/clearTimeout pair costs about 0.5 us, more
 * when the request is the only one waiting (Node then creates and drops
 * its timer list, reschedules its libuv timer and toggles the loop's
 * reference each time). Measured with the broker's own code on fake
 * sockets (no syscalls), that was about a tenth of its JavaScript per
 * round trip.
 *
 * How: a min-heap of (deadline, key, entry) and one timer armed for the
 * earliest deadline. Settling a request costs nothing here: its heap entry
 * goes stale (the caller's map no longer holds it under its key) and is
 * skipped when it reaches the top; the heap is rebuilt from the live
 * entries once stale ones outnumber them, so it never holds more than
 * twice the waiting requests (plus a little slack). The timer is re-armed
 * only when an earlier deadline comes in or when it fires.
 *
 * Each deadline fires no sooner than its own time (the same rule as
 * setTimeout) and in deadline order.
 */

interface Slot<T> {
  at: number
  key: number
  entry: T
}

const MAX_DELAY_MS = 2 ** 31 - 1

/** Stale entries tolerated before a rebuild, beyond the live ones. */
const SLACK = 32

export class Deadlines<T> {
  private heap: Slot<T>[] = []
  private timer: NodeJS.Timeout | undefined
  /** When the timer fires; Infinity when none is armed. */
  private armedAt = Infinity

  /**
   * @param waiting the caller's own map of waiting entries: one waits while it is there under its key
   * @param expire called once for each entry whose deadline passed while it still waited
   * @param now a monotonic clock in ms (as setTimeout's: a change of the wall clock moves no deadline)
   */
  constructor(
    private readonly waiting: ReadonlyMap<number, T>,
    private readonly expire: (key: number, entry: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Held heap slots, live and stale (for tests: bounded by about twice the live ones). */
  get size(): number {
    return this.heap.length
  }

  /** `entry`, in the waiting map under `key` already, expires `ms` from now unless settled before (taken out of the map). */
  add(key: number, entry: T, ms: number): void {
    const at = this.now() + ms
    this.push({ at, key, entry })
    if (this.heap.length > 2 * this.waiting.size + SLACK) this.rebuild()
    if (at < this.armedAt) this.arm(at)
  }

  /** Forgets every deadline and the timer (the broker closes). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.armedAt = Infinity
    this.heap = []
  }

  private isLive(s: Slot<T>): boolean {
    return this.waiting.get(s.key) === s.entry
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.armedAt = at
    // Past setTimeout's limit (2^31 - 1 ms) Node would fire at once, again and again: wait the limit, then look again.
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_DELAY_MS, Math.max(1, at - this.now())))
    // The broker's server keeps the process alive while it runs; a waiting deadline alone should not.
    this.timer.unref()
  }

  private fire(): void {
    this.timer = undefined
    this.armedAt = Infinity
    const now = this.now()
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const s = this.pop()
      // An entry expired while another expiry ran (which may settle or add entries) is checked again here.
      if (this.isLive(s)) this.expire(s.key, s.entry)
    }
    this.dropStaleTop()
    if (this.heap.length > 0 && this.timer === undefined) this.arm(this.heap[0]!.at)
  }

  /** Stale entries at the top would only arm the timer for nothing. */
  private dropStaleTop(): void {
    while (this.heap.length > 0 && !this.isLive(this.heap[0]!)) this.pop()
  }

  private rebuild(): void {
    const kept = this.heap.filter((s) => this.isLive(s))
    this.heap = []
    for (const s of kept) this.push(s)
  }

  // A binary min-heap on `at`, ties by key (so equal deadlines expire in the order they were added).

  private less(a: Slot<T>, b: Slot<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.key < b.key)
  }

  private push(s: Slot<T>): void {
    const h = this.heap
    let i = h.length
    h.push(s)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(s, h[parent]!)) break
      h[i] = h[parent]!
      i = parent
    }
    h[i] = s
  }

  private pop(): Slot<T> {
    const h = this.heap
    const top = h[0]!
    const last = h.pop()!
    if (h.length > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= h.length) break
        const r = l + 1
        const c = r < h.length && this.less(h[r]!, h[l]!) ? r : l
        if (!this.less(h[c]!, last)) break
        h[i] = h[c]!
        i = c
      }
      h[i] = last
    }
    return top
  }
}
