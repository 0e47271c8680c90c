import type { SystemMetrics } from '../../../shared/types/system'
import type { Cadence } from '../cadence'
import { PolledStream } from '../polledStream'
import type { Log, Service, SettingsSource } from '../service'
import { MetricsRecorder } from './metricsRecorder'
import type { SystemReader } from './reader'

type Calls = 'getSystemMetrics' | 'getMetricsHistory' | 'getAggregatedMetrics'
type Streams = 'subscribeToMetrics'

export interface SystemServiceDeps {
  settings: SettingsSource
  cadence: Cadence
  /** A reader of the machine's counters (one for the live stream, one for one-shot reads). */
  reader: () => SystemReader
  /**
   * Sample for history from launch while the settings ask for it (default).
   * A one-shot CLI command passes false: it exits before history could serve anyone.
   */
  background: boolean
  log: Log
}

/**
 * The machine's CPU, memory, swap, load, disks, network and filesystems:
 * the live stream, the recorded history with its aggregates, and one-shot
 * readings. With monitorSystemMetrics on, it samples from launch whether
 * or not anyone watches, so the System page can show the past.
 */
export class SystemService implements Service<Calls, Streams> {
  readonly stream: PolledStream<SystemMetrics>
  readonly recorder: MetricsRecorder
  private closed = false

  readonly handlers: Service<Calls>['handlers'] = {
    getSystemMetrics: () => this.recorder.current(this.stream.latest, this.deps.cadence.interval()),
    getMetricsHistory: (args) => this.recorder.getHistory(args),
    getAggregatedMetrics: (args) => this.recorder.getAggregates(args),
  }

  readonly streams: Service<never, Streams>['streams'] = {
    subscribeToMetrics: (_params, sink) => this.stream.subscribe((s) => sink.next(s)),
  }

  constructor(private readonly deps: SystemServiceDeps) {
    const settings = deps.settings.get()
    this.recorder = new MetricsRecorder(settings.metricsHistorySize, deps.reader, settings.monitorSystemMetrics)
    this.stream = new PolledStream(
      () => this.recorder.sample(deps.cadence.interval()),
      () => deps.cadence.interval(),
      (err) => {
        if (!this.closed) deps.log(`system sampling failed: ${(err as Error).message}`)
      },
      deps.cadence.grid,
    )
    this.stream.keepRunning(this.background(settings.monitorSystemMetrics))
    deps.cadence.onChange(() => this.stream.reschedule())
    deps.settings.onChange((next, prev) => {
      if (next.metricsHistorySize !== prev.metricsHistorySize) this.recorder.history.setCapacity(next.metricsHistorySize)
      if (next.monitorSystemMetrics !== prev.monitorSystemMetrics) {
        this.recorder.setRecording(next.monitorSystemMetrics)
        this.stream.keepRunning(this.background(next.monitorSystemMetrics))
      }
    })
  }

  /** The recorded history, for the charts and aggregates. */
  get history(): MetricsRecorder['history'] {
    return this.recorder.history
  }

  close(): void {
    this.closed = true
    this.stream.stop()
    this.recorder.close()
  }

  private background(monitor: boolean): boolean {
    return monitor && this.deps.background
  }
}
