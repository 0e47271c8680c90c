import type { ProcessSnapshot, RawProcessSample } from '../../../shared/types/process'
import { deriveSnapshot } from '../../../shared/process/derive'
import type { ProcessAdapter } from './adapter'
import { createProcessAdapter, type AdapterSetting } from './factory'

/** Reads the process table and derives a snapshot; where it runs is the implementation's business. */
export interface ProcessCollector {
  readonly adapterKind: ProcessAdapter['kind']
  collect(): Promise<ProcessSnapshot>
  /** Switches adapters (after a settings change); CPU % restarts from the next pair of readings. */
  setAdapter(setting: AdapterSetting): Promise<void>
  close(): void
}

/** Collects on the calling thread: for the CLI's one-shot reads and inside the worker. */
export class InlineCollector implements ProcessCollector {
  private adapter: ProcessAdapter
  private last: RawProcessSample | undefined

  constructor(setting: AdapterSetting) {
    this.adapter = createProcessAdapter(setting)
  }

  get adapterKind(): ProcessAdapter['kind'] {
    return this.adapter.kind
  }

  async collect(): Promise<ProcessSnapshot> {
    const raw = await this.adapter.sample()
    const snapshot = deriveSnapshot(this.last, raw)
    this.last = raw
    return snapshot
  }

  async setAdapter(setting: AdapterSetting): Promise<void> {
    this.adapter.close()
    this.adapter = createProcessAdapter(setting)
    this.last = undefined
  }

  close(): void {
    this.adapter.close()
  }
}
