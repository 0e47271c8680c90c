import type { SortKey } from './processSort'

/**
 * Every column the process table and tree can show; the user picks which
 * (the column chooser), and the choice is remembered in settings.ui.columns
 * as a list of keys. Pure: no React, unit-tested.
 */

export type ColumnKey = SortKey

export interface Column {
  key: ColumnKey
  label: string
  /** The accessible name, where the label is a symbol. */
  spoken?: string
  /** Spoken and shown as a tooltip when the label is terse. */
  description?: string
  /** Right-aligned, tabular figures. */
  numeric: boolean
  /** A fixed width (CSS length); the column without one takes the rest. */
  width?: string
  /** Always shown: the chooser cannot hide it. */
  required?: boolean
  /** Only the tree has it (subtree totals). */
  treeOnly?: boolean
}

export const ALL_COLUMNS: readonly Column[] = [
  { key: 'pid', label: 'PID', description: 'Process ID', numeric: true, width: '72px' },
  { key: 'ppid', label: 'PPID', description: 'Parent process ID', numeric: true, width: '72px' },
  { key: 'name', label: 'Name', numeric: false, width: '200px', required: true },
  { key: 'user', label: 'User', numeric: false, width: '104px' },
  { key: 'state', label: 'State', numeric: false, width: '100px' },
  { key: 'cpu', label: 'CPU %', description: 'CPU use over the last refresh interval', numeric: true, width: '112px' },
  { key: 'memory', label: 'Memory', description: 'Resident memory', numeric: true, width: '122px' },
  { key: 'memoryPercent', label: 'Memory %', description: 'Resident memory as a share of physical memory', numeric: true, width: '84px' },
  { key: 'treeCpu', label: 'Σ CPU %', spoken: 'Subtree CPU %', description: 'CPU of the process and everything below it (tree only)', numeric: true, width: '92px', treeOnly: true },
  { key: 'treeMemory', label: 'Σ Memory', spoken: 'Subtree memory', description: 'Memory of the process and everything below it (tree only)', numeric: true, width: '104px', treeOnly: true },
  { key: 'virtual', label: 'Virtual', description: 'Virtual memory size', numeric: true, width: '92px' },
  { key: 'threads', label: 'Threads', numeric: true, width: '70px' },
  { key: 'nice', label: 'Nice', numeric: true, width: '54px' },
  { key: 'priority', label: 'Priority', numeric: true, width: '66px' },
  { key: 'files', label: 'Files', description: 'Open files', numeric: true, width: '62px' },
  { key: 'read', label: 'Disk read', description: 'Bytes read from storage per second', numeric: true, width: '92px' },
  { key: 'write', label: 'Disk write', description: 'Bytes written to storage per second', numeric: true, width: '92px' },
  { key: 'started', label: 'Started', description: 'Start time', numeric: false, width: '128px' },
  { key: 'command', label: 'Command', description: 'Full command line', numeric: false },
]

const BY_KEY: ReadonlyMap<string, Column> = new Map(ALL_COLUMNS.map((c) => [c.key, c]))

export const DEFAULT_COLUMN_KEYS: readonly ColumnKey[] = ['pid', 'name', 'user', 'state', 'cpu', 'memory', 'treeCpu', 'treeMemory', 'command']

/**
 * The columns to show, from a remembered list of keys: unknown keys (a
 * newer or older version wrote them) and duplicates are dropped, required
 * columns are always there, and the order is always the canonical one.
 * Nothing remembered: the defaults.
 */
export function resolveColumns(keys: readonly string[] | undefined): Column[] {
  const wanted = new Set(keys ?? DEFAULT_COLUMN_KEYS)
  return ALL_COLUMNS.filter((c) => c.required || wanted.has(c.key))
}

/** The tree's Name column holds the indentation too. */
const TREE_NAME_WIDTH = '300px'

/** The columns of one view: the table leaves out tree-only ones; the tree puts Name, where its structure is drawn, first. */
export function columnsForView(columns: readonly Column[], view: 'table' | 'tree'): Column[] {
  if (view === 'table') return columns.filter((c) => !c.treeOnly)
  const name = columns.filter((c) => c.key === 'name').map((c) => ({ ...c, width: TREE_NAME_WIDTH }))
  return [...name, ...columns.filter((c) => c.key !== 'name')]
}

/** Shows or hides one column; returns the keys to remember. A required column stays. */
export function toggleColumn(columns: readonly Column[], key: ColumnKey, visible: boolean): ColumnKey[] {
  const column = BY_KEY.get(key)
  if (!column || (column.required && !visible)) return columns.map((c) => c.key)
  const keys = new Set(columns.map((c) => c.key))
  if (visible) keys.add(key)
  else keys.delete(key)
  return ALL_COLUMNS.filter((c) => keys.has(c.key)).map((c) => c.key)
}

/** Every row has exactly this height; the windowing of long lists depends on it. */
export const ROW_HEIGHT = 22
/** Height of the sticky header row of the table and the tree. */
export const HEADER_HEIGHT = 26

/** The flexible column (no width) gets at least this much. */
const FLEX_MIN = 180

/** The width of a view's columns together, for its minimum width. */
export function minimumWidth(columns: readonly Column[], extra = 0): number {
  let total = extra
  for (const c of columns) total += c.width ? Number.parseFloat(c.width) : FLEX_MIN
  return total
}

/** A CSS grid-template-columns for the tree, whose rows are not table rows. */
export function gridTemplate(columns: readonly Column[]): string {
  const flexible = columns.some((c) => !c.width)
  return columns.map((c) => c.width ?? `minmax(${FLEX_MIN}px, 1fr)`).join(' ') + (flexible ? '' : ' 1fr')
}
