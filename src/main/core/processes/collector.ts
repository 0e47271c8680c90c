import type { ProcessSnapshot, RawProcessSample } from '../../../shared/types/process'
import { deriveSnapshot } from '../../../shared/process/derive'
import { ProctorError } from '../../../shared/errors'
import type { ProcessAdapter } from './adapter'
import { createProcessAdapter, type AdapterOptions, type AdapterSetting } from './factory'

/** Reads the process table and derives a snapshot; where it runs is the implementation's business. */
export interface ProcessCollector {
  readonly adapterKind: ProcessAdapter['kind']
  /**
   * One reading and its snapshot. A reading that has not finished within
   * `deadlineMs` (a `ps` that never exits, a stalled read) fails with
   * UNAVAILABLE and its reader is replaced, so the next collection starts
   * afresh instead of queueing behind it.
   */
  collect(deadlineMs?: number): Promise<ProcessSnapshot>
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
  private setting: AdapterSetting
  /** Readers replaced after a reading passed its deadline. */
  restarts = 0

  constructor(
    setting: AdapterSetting,
    private readonly options: AdapterOptions = {},
    /** How readers are made; tests wrap the real one to inject faults. */
    private readonly createAdapter: (setting: AdapterSetting, options: AdapterOptions) => ProcessAdapter = createProcessAdapter,
  ) {
    this.setting = setting
    this.adapter = createAdapter(setting, options)
  }

  get adapterKind(): ProcessAdapter['kind'] {
    return this.adapter.kind
  }

  collect(deadlineMs = Infinity): Promise<ProcessSnapshot> {
    return this.serial(async () => {
      const adapter = this.adapter
      const raw = await withDeadline(adapter.sample(), deadlineMs, () => {
        this.replaceAdapter(adapter)
        return new ProctorError('UNAVAILABLE', `process reading hung for ${deadlineMs} ms: its reader was restarted`)
      })
      const snapshot = deriveSnapshot(this.last, raw, this.lastSnapshot)
      this.last = raw
      this.lastSnapshot = snapshot
      return snapshot
    })
  }

  setAdapter(setting: AdapterSetting): Promise<void> {
    return this.serial(async () => {
      this.setting = setting
      this.adapter.close()
      this.adapter = this.createAdapter(setting, this.options)
      this.last = undefined
      this.lastSnapshot = undefined
    })
  }

  close(): void {
    this.closed = true
    this.adapter.close()
  }

  /** A stuck reader is closed (its child killed, if it has one) and a new one takes over; CPU % starts again. */
  private replaceAdapter(stuck: ProcessAdapter): void {
    if (this.adapter !== stuck || this.closed) return
    this.restarts++
    stuck.close()
    this.adapter = this.createAdapter(this.setting, this.options)
    this.last = undefined
    this.lastSnapshot = undefined
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

/** `promise`, or the error `expired()` makes once `ms` have passed first. */
function withDeadline<T>(promise: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  if (!Number.isFinite(ms)) return promise
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
