import { useCallback, useMemo, useState } from 'react'
import { buildProcessTree, type ProcessTreeNode } from '../../../shared/process/tree'
import type { ProcessInfo, ProcessSnapshot } from '../../../shared/types/process'
import { memoryAxis } from './bars'
import { NO_CHANGES, exitedProcesses, findProcess, nextChanges, withExited, type Changes } from './changes'
import { processKey } from './identity'
import { countMatches, everything, filterProcesses, type ProcessMatcher } from './processFilter'
import { sortProcesses, type SortState } from './processSort'
import { ownUid, quickFilterMatcher, type QuickFilters } from './quickFilters'
import { treeRows, type TreeRow } from './treeRows'

export type View = 'table' | 'tree'

export interface RowInputs {
  snapshot: ProcessSnapshot | undefined
  /** The search box's matcher. */
  matcher: ProcessMatcher
  filters: QuickFilters
  /** Proctor's own pid, for "My processes". */
  appPid: number | undefined
  /** Pids of supervised programs, for "Only managed". */
  managed: ReadonlyMap<number, string>
  view: View
  sort: SortState
  /** Keys of the tree's collapsed branches. */
  collapsed: ReadonlySet<string>
  selectedKey: string | undefined
}

export interface ProcessRows {
  /** New and exited processes, tracked snapshot by snapshot. */
  changes: Changes
  /** The snapshot's processes. */
  all: readonly ProcessInfo[]
  /** The processes and the exited ones still on screen while they fade. */
  listed: readonly ProcessInfo[]
  /** The user running Proctor, for the "My processes" filter's label. */
  me: string | undefined
  /** The search and the quick filters in one. */
  combined: ProcessMatcher
  memoryAxis: number
  /** The table's rows (empty in the tree view). */
  tableRows: readonly ProcessInfo[]
  /** The tree (empty in the table view) and its visible rows. */
  roots: ProcessTreeNode[]
  treeList: TreeRow[]
  exited: readonly ProcessInfo[]
  rowCount: number
  /** The i-th row's key, without a key string per row at every refresh. */
  keyAt(i: number): string | undefined
  selectedIndex: number
  /** The running processes that pass the search and the quick filters, the same number in both views. */
  shownCount: number
}

const NO_PROCESSES: readonly ProcessInfo[] = []

/** The rows of the process window, derived from the snapshot; only the view in use is computed. */
export function useProcessRows({ snapshot, matcher, filters, appPid, managed, view, sort, collapsed, selectedKey }: RowInputs): ProcessRows {
  // New and exited processes, tracked snapshot by snapshot ("adjust state while rendering": no extra commit).
  const [tracked, setTracked] = useState<{ snapshot: ProcessSnapshot | undefined; changes: Changes }>({ snapshot: undefined, changes: NO_CHANGES })
  let changes = tracked.changes
  if (snapshot !== tracked.snapshot) {
    changes = snapshot ? nextChanges(tracked.changes, snapshot.processes, snapshot.timestamp) : NO_CHANGES
    setTracked({ snapshot, changes })
  }

  const all = snapshot?.processes ?? NO_PROCESSES
  const listed = useMemo(() => withExited(all, changes), [all, changes])
  const uid = useMemo(() => ownUid(all, appPid), [all, appPid])
  const me = useMemo(() => (uid === undefined ? undefined : all.find((p) => p.uid === uid)?.user), [all, uid])
  const quick = useMemo(() => quickFilterMatcher(filters, uid, managed), [filters, uid, managed])
  const combined = useMemo<ProcessMatcher>(() => {
    if (!quick) return matcher
    if (matcher === everything) return quick
    return (p) => quick(p) && matcher(p)
  }, [matcher, quick])
  const axis = useMemo(() => memoryAxis(all), [all])

  const tableRows = useMemo(() => (view === 'table' ? sortProcesses(filterProcesses(listed, combined), sort) : NO_PROCESSES), [view, listed, combined, sort])
  // Exited rows hang in the tree while they fade, but count in no subtree total.
  const exited = useMemo(() => exitedProcesses(changes), [changes])
  const roots = useMemo(() => (view === 'tree' ? buildProcessTree(all, exited) : []), [view, all, exited])
  const treeList = useMemo(
    () =>
      view === 'tree'
        ? treeRows(roots, { sort, collapsed, ...(combined !== everything ? { matches: combined } : {}), ...(selectedKey ? { reveal: selectedKey } : {}) })
        : [],
    [view, roots, sort, collapsed, combined, selectedKey],
  )
  const rowCount = view === 'table' ? tableRows.length : treeList.length
  const keyAt = useCallback(
    (i: number): string | undefined => {
      if (view === 'tree') return treeList[i]?.key
      const p = tableRows[i]
      return p ? processKey(p) : undefined
    },
    [view, tableRows, treeList],
  )
  const selectedIndex = useMemo(() => {
    if (selectedKey === undefined) return -1
    if (view === 'tree') return treeList.findIndex((r) => r.key === selectedKey)
    const p = findProcess(changes, selectedKey)
    return p ? tableRows.indexOf(p) : -1
  }, [view, tableRows, treeList, selectedKey, changes])
  // Exited rows fading out are not processes any more; the tree's context rows (ancestors of a match)
  // do not match; a collapsed branch still holds its matches (its row says how many).
  const shownCount = useMemo(() => countMatches(all, combined), [all, combined])

  return { changes, all, listed, me, combined, memoryAxis: axis, tableRows, roots, treeList, exited, rowCount, keyAt, selectedIndex, shownCount }
}
