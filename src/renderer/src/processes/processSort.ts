import type { ProcessInfo } from '../../../shared/types/process'

/** The process table's columns that can be sorted, and how. Pure. */

export type SortKey =
  | 'pid'
  | 'ppid'
  | 'name'
  | 'user'
  | 'state'
  | 'cpu'
  | 'memory'
  | 'memoryPercent'
  | 'virtual'
  | 'threads'
  | 'nice'
  | 'priority'
  | 'started'
  | 'files'
  | 'read'
  | 'write'
  | 'command'
  /** Tree view only: the process and everything below it. */
  | 'treeCpu'
  | 'treeMemory'
export type SortDirection = 'asc' | 'desc'

export interface SortState {
  key: SortKey
  direction: SortDirection
}

export const DEFAULT_SORT: SortState = { key: 'cpu', direction: 'desc' }

const LARGEST_FIRST: ReadonlySet<SortKey> = new Set<SortKey>(['cpu', 'memory', 'memoryPercent', 'virtual', 'threads', 'files', 'read', 'write', 'treeCpu', 'treeMemory'])

/** Amounts start with the largest first (what a monitor is for); text, ids and times start A→Z, 1→9, oldest. */
export function initialDirection(key: SortKey): SortDirection {
  return LARGEST_FIRST.has(key) ? 'desc' : 'asc'
}

/** A click on a header: a new column starts in its natural direction, the same column reverses. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { key, direction: initialDirection(key) }
}

/** The table has no subtree columns: a tree sort by subtree CPU or memory sorts the table by the process's own. */
export function tableSort(sort: SortState): SortState {
  if (sort.key === 'treeCpu') return { key: 'cpu', direction: sort.direction }
  if (sort.key === 'treeMemory') return { key: 'memory', direction: sort.direction }
  return sort
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

export type Compare = (a: ProcessInfo, b: ProcessInfo) => number

const byNumber =
  (get: (p: ProcessInfo) => number | undefined): Compare =>
  (a, b) =>
    finite(get(a)) - finite(get(b))
const byText =
  (get: (p: ProcessInfo) => string): Compare =>
  (a, b) =>
    collator.compare(get(a), get(b))

/**
 * A CPU share as the list shows it (one decimal, formatPercent): two rows
 * whose figures read the same are a tie, kept in pid order, rather than
 * swapping places at every refresh over a difference nobody can see. With a
 * CPU sort every such swap moves rows on screen (and costs a re-render).
 */
export function shownCpu(percent: number): number {
  return Math.round(percent * 10)
}

/** Unknown values (a field the platform did not report, NaN) sort below every real one. */
function finite(v: number | undefined): number {
  return v !== undefined && Number.isFinite(v) ? v : -1
}

const COMPARE: Record<SortKey, Compare> = {
  pid: byNumber((p) => p.pid),
  ppid: byNumber((p) => p.ppid),
  name: byText((p) => p.name),
  user: byText((p) => p.user),
  state: byText((p) => p.state),
  cpu: byNumber((p) => shownCpu(p.cpuPercent)),
  memory: byNumber((p) => p.memoryBytes),
  memoryPercent: byNumber((p) => p.memoryPercent),
  virtual: byNumber((p) => p.virtualBytes),
  threads: byNumber((p) => p.threads),
  nice: byNumber((p) => p.nice),
  priority: byNumber((p) => p.priority),
  started: byNumber((p) => p.startTime),
  files: byNumber((p) => p.openFiles),
  read: byNumber((p) => p.diskReadBytesPerSec),
  write: byNumber((p) => p.diskWriteBytesPerSec),
  command: byText((p) => p.command),
  treeCpu: byNumber((p) => shownCpu(p.cpuPercent)),
  treeMemory: byNumber((p) => p.memoryBytes),
}

/**
 * The order of a sort as one comparator. Ties are broken by pid, always
 * ascending, so rows with equal values keep their place from one refresh to
 * the next.
 */
export function comparator(sort: SortState): Compare {
  const compare = COMPARE[sort.key]
  const sign = sort.direction === 'asc' ? 1 : -1
  return (a, b) => sign * compare(a, b) || a.pid - b.pid
}

/** A sorted copy. */
export function sortProcesses(processes: readonly ProcessInfo[], sort: SortState): ProcessInfo[] {
  return [...processes].sort(comparator(tableSort(sort)))
}
