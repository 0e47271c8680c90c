import type { MenuEntry, MenuItem } from '../../../../shared/process/menu'
import type { CpuScale, ProcessHistory, ProcessInfo } from '../../../../shared/types/process'
import type { Toasts } from '../../hooks/useToasts'

export interface DetailsProps {
  process: ProcessInfo
  /** It is gone: shown as last seen. */
  exited: boolean
  parent: ProcessInfo | undefined
  children: readonly ProcessInfo[]
  history: ProcessHistory | undefined
  /** The time of the snapshot shown (for the age). */
  now: number
  cpuScale: CpuScale
  /** The same entries as the right-click menu. */
  actions: readonly MenuEntry[]
  onAction: (item: MenuItem) => void
  onSelect: (p: ProcessInfo) => void
  onClose: () => void
  toasts: Toasts
  /** An error of the watch stream, if any. */
  watchError?: string
}
