import type { ProcessSnapshot } from '../../../shared/types/process'
import type { AdapterKind, AdapterSetting } from './factory'

export type WorkerRequest = { t: 'collect'; id: number } | { t: 'adapter'; id: number; adapter: AdapterSetting }

export type WorkerReply =
  | { t: 'ready'; adapterKind: AdapterKind }
  | { t: 'snapshot'; id: number; snapshot: ProcessSnapshot }
  | { t: 'adapter'; id: number; adapterKind: AdapterKind }
  | { t: 'error'; id: number; message: string }
