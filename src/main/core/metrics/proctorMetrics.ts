import { Registry } from 'prom-client'
import type { IPCOverview } from '../../../shared/broker/status'
import type { ProgramsOverview } from '../../../shared/supervisor/status'
import type { AdapterSetting } from '../processes/factory'
import { registerBrokerFamilies } from './brokerFamilies'
import { registerPoolFamilies, type PoolsSource } from './poolFamilies'
import { registerProcessFamilies } from './processFamilies'
import { registerProgramFamilies } from './programFamilies'
import { ScrapeReadings, type Readings } from './readings'
import { registerSelfFamilies } from './selfFamilies'
import { registerSystemFamilies } from './systemFamilies'

/** What the owner's metrics read: its services, each left out where this engine has none. */
export interface MetricsSources {
  version: string
  adapterSetting: () => AdapterSetting
  supervisor?: { overview(): ProgramsOverview }
  pools?: PoolsSource
  broker?: { overview(): IPCOverview }
}

/**
 * Every family of /metrics in a Registry of Proctor's own (never
 * prom-client's global one, which a library loaded alongside could fill).
 * A scrape reads the machine once, then prints each family from that one
 * reading and the services' current state; scrapes that overlap share it.
 */
export class ProctorMetrics {
  readonly registry = new Registry()
  private readonly readings: ScrapeReadings
  private current: Readings | undefined
  private pending: Promise<string> | undefined
  private lastReadSeconds: number | undefined

  constructor(sources: MetricsSources) {
    this.readings = new ScrapeReadings(sources.adapterSetting)
    const now = (): Readings => {
      if (!this.current) throw new Error('internal error: a metric was read outside a scrape')
      return this.current
    }
    registerSystemFamilies(this.registry, now)
    registerProcessFamilies(this.registry, now)
    if (sources.supervisor) registerProgramFamilies(this.registry, sources.supervisor, now)
    if (sources.pools) registerPoolFamilies(this.registry, sources.pools, now)
    if (sources.broker) registerBrokerFamilies(this.registry, sources.broker, now)
    registerSelfFamilies(this.registry, sources.version, () => this.lastReadSeconds)
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** The text format, for one scrape. */
  scrape(): Promise<string> {
    return (this.pending ??= this.print().finally(() => (this.pending = undefined)))
  }

  /** Lets go of the readers; the next scrape makes new ones. */
  close(): void {
    this.readings.close()
  }

  private async print(): Promise<string> {
    const started = performance.now()
    this.current = await this.readings.read()
    try {
      const text = await this.registry.metrics()
      this.lastReadSeconds = (performance.now() - started) / 1000
      return text
    } finally {
      this.current = undefined
    }
  }
}
