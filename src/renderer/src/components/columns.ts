import type { SortKey } from '../processSort'

export interface Column {
  key: SortKey
  label: string
  /** Right-aligned, tabular figures. */
  numeric: boolean
  /** A fixed width (CSS length); the column without one takes the rest. */
  width?: string
}

export const COLUMNS: readonly Column[] = [
  { key: 'pid', label: 'PID', numeric: true, width: '76px' },
  { key: 'name', label: 'Name', numeric: false, width: '200px' },
  { key: 'user', label: 'User', numeric: false, width: '112px' },
  { key: 'state', label: 'State', numeric: false, width: '104px' },
  { key: 'cpu', label: 'CPU %', numeric: true, width: '76px' },
  { key: 'memory', label: 'Memory', numeric: true, width: '96px' },
  { key: 'command', label: 'Command', numeric: false },
]

/** Every row has exactly this height; the windowing of long tables depends on it. */
export const ROW_HEIGHT = 22
