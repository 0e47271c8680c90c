import type { ProcessSnapshot, RawProcessSample } from '../../../shared/types/process'
import { deriveSnapshot } from '../../../shared/process/derive'
import { ProctorError } from '../../../shared/errors'
import type { ProcessAdapter } from './adapter'
import { createProcessAdapter, type AdapterOptions, type AdapterSetting } from './factory'

/** Reads the process table and derives a snapshot; where it runs is the implementation's business. */
export interface ProcessCollector {
  readonly adapterKind: ProcessAdapter['kind']
  collect(): Promise<ProcessSnapshot>
  /** Switches adapters (after a settings change); CPU % restarts from the next pair of readings. */
  setAdapter(setting: AdapterSetting): Promise<void>
  close(): void
}

/**
 * Collects on the engine's own thread. Reading /proc is synchronous, so the
 * Linux adapter reads in slices and yields between them (AdapterOptions);
 * a one-shot CLI command reads in one go. This replaced a collection worker
 * thread: measured at the machine's own ~80 processes, the structured clone
 * of each snapshot across the thread boundary cost more than reading the
 * processes, and the worker's isolate held ~12 MB; see README, "Speed".
 * Collections and adapter switches run one at a time, in call order.
 */
export class InlineCollector implements ProcessCollector {
  private adapter: ProcessAdapter
  private last: RawProcessSample | undefined
  /** The snapshot derived from `last`: its infos are kept for processes that did not change. */
  private lastSnapshot: ProcessSnapshot | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(
    setting: AdapterSetting,
    private readonly options: AdapterOptions = {},
  ) {
    this.adapter = createProcessAdapter(setting, options)
  }

  get adapterKind(): ProcessAdapter['kind'] {
    return this.adapter.kind
  }

  collect(): Promise<ProcessSnapshot> {
    return this.serial(async () => {
      const raw = await this.adapter.sample()
      const snapshot = deriveSnapshot(this.last, raw, this.lastSnapshot)
      this.last = raw
      this.lastSnapshot = snapshot
      return snapshot
    })
  }

  setAdapter(setting: AdapterSetting): Promise<void> {
    return this.serial(async () => {
      this.adapter.close()
      this.adapter = createProcessAdapter(setting, this.options)
      this.last = undefined
      this.lastSnapshot = undefined
    })
  }

  close(): void {
    this.closed = true
    this.adapter.close()
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.closed) throw new ProctorError('UNAVAILABLE', 'the process collector is closed')
      return run()
    })
    this.queue = next.catch(() => {})
    return next.catch((err: unknown) => {
      if (err instanceof ProctorError) throw err
      throw new ProctorError('UNAVAILABLE', `process collection failed: ${(err as Error).message}`)
    })
  }
}
