import type { RawProcessSample } from '../../../shared/types/process'

/** One interface per platform; the factory picks one by `process.platform` or the setting. */
export interface ProcessAdapter {
  readonly kind: 'linux' | 'darwin' | 'generic'
  /** Reads every process now. Never fails because one process vanished or hid a field. */
  sample(): Promise<RawProcessSample>
  close(): void
}
