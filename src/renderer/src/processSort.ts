import type { ProcessInfo } from '../../shared/types/process'

/** The process table's columns that can be sorted, and how. Pure. */

export type SortKey = 'pid' | 'name' | 'user' | 'state' | 'cpu' | 'memory' | 'command'
export type SortDirection = 'asc' | 'desc'

export interface SortState {
  key: SortKey
  direction: SortDirection
}

export const DEFAULT_SORT: SortState = { key: 'cpu', direction: 'desc' }

/** Numbers start with the largest first (what a monitor is for); text and pids start A→Z, 1→9. */
export function initialDirection(key: SortKey): SortDirection {
  return key === 'cpu' || key === 'memory' ? 'desc' : 'asc'
}

/** A click on a header: a new column starts in its natural direction, the same column reverses. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { key, direction: initialDirection(key) }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

type Compare = (a: ProcessInfo, b: ProcessInfo) => number

const byNumber =
  (get: (p: ProcessInfo) => number): Compare =>
  (a, b) =>
    get(a) - get(b)
const byText =
  (get: (p: ProcessInfo) => string): Compare =>
  (a, b) =>
    collator.compare(get(a), get(b))

const COMPARE: Record<SortKey, Compare> = {
  pid: byNumber((p) => p.pid),
  name: byText((p) => p.name),
  user: byText((p) => p.user),
  state: byText((p) => p.state),
  cpu: byNumber((p) => (Number.isFinite(p.cpuPercent) ? p.cpuPercent : -1)),
  memory: byNumber((p) => p.memoryBytes),
  command: byText((p) => p.command),
}

/**
 * A sorted copy. Ties are broken by pid, always ascending, so rows with
 * equal values keep their place from one refresh to the next.
 */
export function sortProcesses(processes: readonly ProcessInfo[], sort: SortState): ProcessInfo[] {
  const compare = COMPARE[sort.key]
  const sign = sort.direction === 'asc' ? 1 : -1
  return [...processes].sort((a, b) => sign * compare(a, b) || a.pid - b.pid)
}
