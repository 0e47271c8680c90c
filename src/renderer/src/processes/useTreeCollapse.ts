import { useCallback, useMemo, useState } from 'react'
import { buildProcessTree, type ProcessTreeNode } from '../../../shared/process/tree'
import type { ProcessInfo } from '../../../shared/types/process'
import { ancestorKeys, parentKeys, type TreeRow } from './treeRows'

/** What the tree shows at the moment a command runs. */
export interface TreeNow {
  roots: readonly ProcessTreeNode[]
  rows: readonly TreeRow[]
  selectedKey: string | undefined
}

export interface TreeCollapse {
  /** Keys of the collapsed branches. */
  collapsed: ReadonlySet<string>
  /** Opens or closes a branch; closing the branch of the selection selects the branch. */
  toggle(key: string): void
  collapseAll(): void
  expandAll(): void
  /** Opens the branches above a process (Show in tree). */
  expandTo(key: string, all: readonly ProcessInfo[], exited: readonly ProcessInfo[]): void
}

/**
 * The tree's collapsed branches. Its commands read the tree through `now`
 * when they run, so they keep their identity across refreshes.
 */
export function useTreeCollapse(now: () => TreeNow, select: (key: string, reveal: boolean) => void): TreeCollapse {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set())

  const toggle = useCallback(
    (key: string) => {
      const { roots, rows, selectedKey } = now()
      const closing = !collapsed.has(key) && rows.some((r) => r.key === key && r.expanded)
      setCollapsed((c) => {
        const next = new Set(c)
        if (next.has(key) || !closing) next.delete(key)
        else next.add(key)
        return next
      })
      // Collapsing a branch that holds the selection selects the branch, which stays visible.
      if (closing && selectedKey && selectedKey !== key && ancestorKeys(roots, selectedKey).includes(key)) select(key, true)
    },
    [now, collapsed, select],
  )

  const collapseAll = useCallback(() => {
    const { roots, selectedKey } = now()
    setCollapsed(parentKeys(roots))
    if (selectedKey) {
      const top = ancestorKeys(roots, selectedKey).at(-1)
      if (top) select(top, true)
    }
  }, [now, select])

  const expandAll = useCallback(() => setCollapsed(new Set()), [])

  const expandTo = useCallback((key: string, all: readonly ProcessInfo[], exited: readonly ProcessInfo[]) => {
    const ancestors = new Set(ancestorKeys(buildProcessTree(all, exited), key))
    setCollapsed((c) => new Set([...c].filter((k) => !ancestors.has(k))))
  }, [])

  return useMemo(() => ({ collapsed, toggle, collapseAll, expandAll, expandTo }), [collapsed, toggle, collapseAll, expandAll, expandTo])
}
