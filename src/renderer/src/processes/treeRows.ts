import type { ProcessInfo } from '../../../shared/types/process'
import type { ProcessTreeNode } from '../../../shared/process/tree'
import { comparator, shownCpu, type SortState } from './processSort'
import { processKey, type ProcessKey } from './identity'

/**
 * The tree view as a flat list of visible rows (the tree draws only the
 * rows near the viewport, like the table): depth-first, siblings in the
 * order of the current sort, collapsed subtrees left out. With a filter,
 * the matches are shown with their ancestors, which are marked as context.
 * Pure and iterative (a deep chain cannot overflow the stack).
 */

export interface TreeRow {
  node: ProcessTreeNode
  key: ProcessKey
  parentKey: ProcessKey | undefined
  /** 0 for a root. */
  depth: number
  /** Children shown under the filter (what the disclosure triangle toggles). */
  childCount: number
  expanded: boolean
  /** 1-based place among its shown siblings, and their number (aria-posinset, aria-setsize). */
  posInSet: number
  setSize: number
  /** Shown only because something below it matches the filter. */
  context: boolean
}

export interface TreeRowOptions {
  sort: SortState
  /** Nodes the user collapsed. Everything else is expanded. */
  collapsed: ReadonlySet<ProcessKey>
  /** The filter (search and quick filters); undefined shows every process. */
  matches?: (p: ProcessInfo) => boolean
  /** Keep this process visible: its ancestors count as expanded (the selection after a refresh or "Show in tree"). */
  reveal?: ProcessKey
}

const NO_NODES: ProcessTreeNode[] = []

export type NodeCompare = (a: ProcessTreeNode, b: ProcessTreeNode) => number

/** Sibling order: by the sort column, subtree totals for the Σ columns (CPU as shown), pid for ties. */
export function nodeComparator(sort: SortState): NodeCompare {
  const sign = sort.direction === 'asc' ? 1 : -1
  if (sort.key === 'treeCpu') return (a, b) => sign * (shownCpu(a.subtreeCpuPercent) - shownCpu(b.subtreeCpuPercent)) || a.process.pid - b.process.pid
  if (sort.key === 'treeMemory') return (a, b) => sign * (a.subtreeMemoryBytes - b.subtreeMemoryBytes) || a.process.pid - b.process.pid
  const compare = comparator(sort)
  return (a, b) => compare(a.process, b.process)
}

/** The keys of every ancestor of `key`, nearest first; empty if it is a root or not in the forest. */
export function ancestorKeys(roots: readonly ProcessTreeNode[], key: ProcessKey): ProcessKey[] {
  const parent = new Map<ProcessTreeNode, ProcessTreeNode>()
  const stack = [...roots]
  let found: ProcessTreeNode | undefined
  while (stack.length > 0) {
    const node = stack.pop() as ProcessTreeNode
    if (processKey(node.process) === key) {
      found = node
      break
    }
    for (const child of node.children) {
      parent.set(child, node)
      stack.push(child)
    }
  }
  const out: ProcessKey[] = []
  for (let p = found && parent.get(found); p; p = parent.get(p)) out.push(processKey(p.process))
  return out
}

/** Every node that has children: what "Collapse all" collapses. */
export function parentKeys(roots: readonly ProcessTreeNode[]): Set<ProcessKey> {
  const out = new Set<ProcessKey>()
  const stack = [...roots]
  while (stack.length > 0) {
    const node = stack.pop() as ProcessTreeNode
    if (node.children.length > 0) {
      out.add(processKey(node.process))
      for (const child of node.children) stack.push(child)
    }
  }
  return out
}

export function treeRows(roots: readonly ProcessTreeNode[], options: TreeRowOptions): TreeRow[] {
  const { collapsed, matches, reveal } = options
  const compare = nodeComparator(options.sort)

  // Under a filter: which nodes are shown (a match, or an ancestor of one), bottom-up.
  let shown: Set<ProcessTreeNode> | undefined
  let matched: Set<ProcessTreeNode> | undefined
  if (matches) {
    shown = new Set()
    matched = new Set()
    const order: ProcessTreeNode[] = []
    const stack = [...roots]
    while (stack.length > 0) {
      const node = stack.pop() as ProcessTreeNode
      order.push(node)
      for (const child of node.children) stack.push(child)
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i] as ProcessTreeNode
      if (matches(node.process)) {
        matched.add(node)
        shown.add(node)
      } else if (node.children.some((c) => (shown as Set<ProcessTreeNode>).has(c))) {
        shown.add(node)
      }
    }
  }
  const visibleChildren = (node: ProcessTreeNode): ProcessTreeNode[] => {
    if (node.children.length === 0) return NO_NODES
    const kids = shown ? node.children.filter((c) => (shown as Set<ProcessTreeNode>).has(c)) : node.children.slice()
    return kids.sort(compare)
  }
  const forced = reveal !== undefined ? new Set(ancestorKeys(roots, reveal)) : undefined

  const rows: TreeRow[] = []
  const top = visibleChildren({ children: roots as ProcessTreeNode[] } as ProcessTreeNode)
  type Item = { node: ProcessTreeNode; depth: number; parentKey: ProcessKey | undefined; pos: number; size: number }
  const stack: Item[] = []
  for (let i = top.length - 1; i >= 0; i--) stack.push({ node: top[i] as ProcessTreeNode, depth: 0, parentKey: undefined, pos: i + 1, size: top.length })
  while (stack.length > 0) {
    const item = stack.pop() as Item
    const key = processKey(item.node.process)
    const kids = visibleChildren(item.node)
    const expanded = kids.length > 0 && (!collapsed.has(key) || (forced?.has(key) ?? false))
    rows.push({
      node: item.node,
      key,
      parentKey: item.parentKey,
      depth: item.depth,
      childCount: kids.length,
      expanded,
      posInSet: item.pos,
      setSize: item.size,
      context: matched !== undefined && !matched.has(item.node),
    })
    if (!expanded) continue
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] as ProcessTreeNode, depth: item.depth + 1, parentKey: key, pos: i + 1, size: kids.length })
  }
  return rows
}
