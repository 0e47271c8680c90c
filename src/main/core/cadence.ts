import type { TickGrid } from './scheduler'
import type { SettingsSource } from './service'

/**
 * How often the samplers run: refreshInterval while a window shows
 * Proctor (foreground); while none does (tray only, window hidden),
 * backgroundRefreshInterval if that is slower, so a Proctor nobody looks at
 * costs almost nothing. Samplers re-arm their timers when it changes.
 */
export class Cadence {
  /** Samplers on this grid run in the same wakeups: one timer a refresh, not one per sampler. */
  readonly grid: TickGrid = { originMs: performance.now() }
  private foreground = true
  private readonly listeners = new Set<() => void>()

  constructor(private readonly settings: SettingsSource) {
    settings.onChange((next, prev) => {
      if (next.refreshInterval !== prev.refreshInterval || next.backgroundRefreshInterval !== prev.backgroundRefreshInterval) this.changed()
    })
  }

  interval(): number {
    const s = this.settings.get()
    return this.foreground ? s.refreshInterval : Math.max(s.refreshInterval, s.backgroundRefreshInterval)
  }

  get isForeground(): boolean {
    return this.foreground
  }

  setForeground(foreground: boolean): void {
    if (foreground === this.foreground) return
    this.foreground = foreground
    this.changed()
  }

  /** Called when the interval may have changed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }
}
