import type { Registry } from 'prom-client'
import { counter, gauge } from './family'

/**
 * Proctor's own cost, read from Node when scraped. prom-client's default
 * metrics are left out: their event-loop-lag monitor samples all the time,
 * and the engine's resting CPU is a measured target.
 */
export function registerSelfFamilies(registry: Registry, version: string, lastScrapeSeconds: () => number | undefined): void {
  gauge(registry, 'proctor_build_info', 'Always 1; the version of Proctor that serves these metrics.', ['version'], () => [{ labels: { version }, value: 1 }])
  counter(registry, 'proctor_self_cpu_seconds_total', 'CPU seconds the Proctor engine’s process spent, by mode.', ['mode'], () => {
    const { user, system } = process.cpuUsage()
    return [
      { labels: { mode: 'user' }, value: user / 1e6 },
      { labels: { mode: 'system' }, value: system / 1e6 },
    ]
  })
  gauge(registry, 'proctor_self_resident_memory_bytes', 'Resident memory of the Proctor engine’s process.', [], () => [{ value: process.memoryUsage.rss() }])
  gauge(registry, 'proctor_self_heap_used_bytes', 'JavaScript heap in use by the Proctor engine.', [], () => [{ value: process.memoryUsage().heapUsed }])
  gauge(registry, 'proctor_self_start_time_seconds', 'When the Proctor engine’s process started, seconds since the epoch.', [], () => [
    { value: Math.round(Date.now() / 1000 - process.uptime()) },
  ])
  gauge(registry, 'proctor_scrape_read_seconds', 'Seconds the previous scrape took to read the machine (what serving these metrics costs).', [], () => {
    const s = lastScrapeSeconds()
    return s === undefined ? [] : [{ value: s }]
  })
}
