/**
 * Runs a task repeatedly with chained setTimeout: a slow run delays the next
 * one instead of overlapping it, and stop() cancels at any point.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined
  private running = false
  private generation = 0

  constructor(
    private readonly task: () => Promise<void> | void,
    private readonly intervalMs: () => number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get active(): boolean {
    return this.running
  }

  /** Runs the task now, then every interval after each run ends. */
  start(): void {
    if (this.running) return
    this.running = true
    const gen = ++this.generation
    void this.tick(gen)
  }

  stop(): void {
    this.running = false
    this.generation++
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Re-arms the timer with the current interval (after a settings change). */
  reschedule(): void {
    if (!this.running) return
    this.stop()
    this.running = true
    const gen = this.generation
    this.timer = setTimeout(() => void this.tick(gen), this.intervalMs())
  }

  private async tick(gen: number): Promise<void> {
    const started = performance.now()
    try {
      await this.task()
    } catch (err) {
      this.onError(err)
    }
    if (!this.running || gen !== this.generation) return
    // Keep the cadence: subtract the time the run itself took.
    const wait = Math.max(0, this.intervalMs() - (performance.now() - started))
    this.timer = setTimeout(() => void this.tick(gen), wait)
  }
}
