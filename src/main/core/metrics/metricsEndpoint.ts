import type { Settings } from '../../../shared/settings'
import type { Log, SettingsSource } from '../service'
import { listenForScrapes, type MetricsListener } from './listener'
import type { MetricsSources, ProctorMetrics } from './proctorMetrics'
import { metricsToken } from './token'

export interface MetricsEndpointDeps {
  settings: SettingsSource
  dataDir: string
  sources: MetricsSources
  log: Log
}

type EndpointSettings = Settings['metricsEndpoint']

/**
 * The owner's /metrics, served by the owner whichever it is (desktop app,
 * `proctor daemon`, `proctor serve`): the programs, pools and broker it
 * reports live in the owner only, and the desktop app runs no HTTP host to
 * hang it on. So the owner opens a listener of its own, only while the
 * metricsEndpoint setting is on, and closes it when it goes off; while no
 * one scrapes it costs nothing (no timer, no sampling).
 */
export class MetricsEndpoint {
  private metrics: ProctorMetrics | undefined
  private listener: MetricsListener | undefined
  /** Start and stop one at a time, in the order the settings changed. */
  private queue: Promise<void> = Promise.resolve()
  private readonly unsubscribe: () => void
  private closed = false

  constructor(private readonly deps: MetricsEndpointDeps) {
    this.unsubscribe = deps.settings.onChange((next, prev) => {
      const a = next.metricsEndpoint
      const b = prev.metricsEndpoint
      if (a.enabled !== b.enabled || a.address !== b.address || a.port !== b.port) void this.follow(a)
      // Another adapter reads processes differently: the next scrape makes its readers anew.
      else if (next.platformAdapter !== prev.platformAdapter) this.metrics?.close()
    })
  }

  /** Opens the listener if the setting is on; resolves once it listens (or failed, which is logged). */
  begin(): Promise<void> {
    return this.follow(this.deps.settings.get().metricsEndpoint)
  }

  /** Where it listens now, if it does. */
  get url(): string | undefined {
    return this.listener?.url
  }

  close(): Promise<void> {
    this.closed = true
    this.unsubscribe()
    return this.run(() => this.stop())
  }

  private follow(wanted: EndpointSettings): Promise<void> {
    return this.run(async () => {
      await this.stop()
      if (wanted.enabled && !this.closed) await this.start(wanted)
    })
  }

  private run(step: () => Promise<void>): Promise<void> {
    // A failed step must not stop the ones queued after it.
    const next = this.queue.catch(() => {}).then(step)
    this.queue = next
    return next
  }

  /** Never throws: a listener that cannot start is logged, and the owner runs on without it. */
  private async start({ address, port }: EndpointSettings): Promise<void> {
    const { log, dataDir, sources } = this.deps
    let token
    try {
      token = metricsToken(dataDir)
    } catch (err) {
      token = { ok: false as const, problem: `the token file cannot be written: ${(err as Error).message}` }
    }
    if (!token.ok) return log(`metrics: not serving /metrics: ${token.problem}`)
    // Loaded when first turned on: prom-client costs every command-line start otherwise, and most never serve metrics.
    const { ProctorMetrics } = await import('./proctorMetrics')
    const metrics = new ProctorMetrics(sources)
    try {
      this.listener = await listenForScrapes({ address, port, token: token.token, contentType: () => metrics.contentType, scrape: () => metrics.scrape(), log })
      this.metrics = metrics
      log(`metrics: serving ${this.listener.url} (bearer token from ${token.source})`)
      // As the headless host warns: beyond this machine it is plain HTTP, and whoever reads the traffic reads the token.
      if (!/^(127\.|::1$)/.test(address)) {
        log(`metrics: warning: ${address} is reachable beyond this machine over plain HTTP; anyone who can read the traffic gets the token (prefer 127.0.0.1 and an SSH tunnel)`)
      }
    } catch (err) {
      metrics.close()
      const code = (err as NodeJS.ErrnoException).code
      const why = code === 'EADDRINUSE' ? `port ${port} is in use` : code === 'EADDRNOTAVAIL' ? `${address} is not an address of this machine` : (err as Error).message
      log(`metrics: cannot listen on ${address}:${port}: ${why}; change metricsEndpoint.port or .address in the settings`)
    }
  }

  private async stop(): Promise<void> {
    const listener = this.listener
    this.listener = undefined
    this.metrics?.close()
    this.metrics = undefined
    await listener?.close()
  }
}
