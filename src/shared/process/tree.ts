import type { ProcessInfo } from '../types/process'

export interface ProcessTreeNode {
  process: ProcessInfo
  children: ProcessTreeNode[]
  /** All processes below this one. */
  descendantCount: number
  /** This process and all below it. */
  subtreeCpuPercent: number
  subtreeMemoryBytes: number
}

/**
 * A forest by ppid. A process whose parent is not in the list (or is
 * itself, as pid 0 may be) is a root. Children are ordered by pid.
 * Iterative, so a deep chain cannot overflow the stack.
 *
 * `gone`: processes that no longer run but that a view still shows for a
 * moment (the window keeps exited rows while they fade). Each one hangs
 * under its parent (another gone one of that pid first: a subtree that
 * exited together keeps its shape; else the running one), is never the
 * parent of a running process (its pid may already be another's), and
 * counts in no running process's totals: a subtree's CPU, memory and
 * count are what runs now. A gone node's own totals are its last values
 * and its gone descendants'.
 */
export function buildProcessTree(processes: readonly ProcessInfo[], gone: readonly ProcessInfo[] = []): ProcessTreeNode[] {
  const nodes = new Map<number, ProcessTreeNode>()
  const newNode = (p: ProcessInfo): ProcessTreeNode => ({ process: p, children: [], descendantCount: 0, subtreeCpuPercent: p.cpuPercent, subtreeMemoryBytes: p.memoryBytes })
  for (const p of processes) nodes.set(p.pid, newNode(p))
  const goneNodes = new Map<number, ProcessTreeNode>()
  const goneSet = new Set<ProcessTreeNode>()
  for (const p of gone) {
    const n = newNode(p)
    goneNodes.set(p.pid, n)
    goneSet.add(n)
  }
  const parentOf = (n: ProcessTreeNode): ProcessTreeNode | undefined => {
    const { pid, ppid } = n.process
    if (ppid === pid) return undefined
    return goneSet.has(n) ? (goneNodes.get(ppid) ?? nodes.get(ppid)) : nodes.get(ppid)
  }
  const all = [...nodes.values(), ...goneSet]
  const roots: ProcessTreeNode[] = []
  for (const n of all) {
    const parent = parentOf(n)
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  // A ppid cycle cannot come from one consistent reading, but a torn one must not hang us:
  // anything not reached from a root becomes a root itself.
  const order: ProcessTreeNode[] = []
  const reached = new Set<ProcessTreeNode>()
  const visit = (start: ProcessTreeNode) => {
    const stack = [start]
    reached.add(start)
    while (stack.length > 0) {
      const node = stack.pop() as ProcessTreeNode
      order.push(node)
      node.children.sort((a, b) => a.process.pid - b.process.pid)
      for (const child of node.children) {
        if (!reached.has(child)) {
          reached.add(child)
          stack.push(child)
        }
      }
    }
  }
  roots.sort((a, b) => a.process.pid - b.process.pid)
  for (const root of roots) visit(root)
  for (const n of all) {
    if (!reached.has(n)) {
      const parent = parentOf(n)
      if (parent) parent.children = parent.children.filter((c) => c !== n)
      roots.push(n)
      visit(n)
    }
  }
  // Children come after their parent in `order`: sum bottom-up. A gone child adds nothing to a running parent.
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i] as ProcessTreeNode
    const running = !goneSet.has(n)
    for (const child of n.children) {
      if (running && goneSet.has(child)) continue
      n.descendantCount += child.descendantCount + 1
      n.subtreeCpuPercent += child.subtreeCpuPercent
      n.subtreeMemoryBytes += child.subtreeMemoryBytes
    }
  }
  return roots
}

/** Depth-first walk with depth, in display order. */
export function* walkTree(roots: readonly ProcessTreeNode[]): Generator<{ node: ProcessTreeNode; depth: number }> {
  const stack: { node: ProcessTreeNode; depth: number }[] = [...roots].reverse().map((node) => ({ node, depth: 0 }))
  while (stack.length > 0) {
    const item = stack.pop() as { node: ProcessTreeNode; depth: number }
    yield item
    for (let i = item.node.children.length - 1; i >= 0; i--) {
      stack.push({ node: item.node.children[i] as ProcessTreeNode, depth: item.depth + 1 })
    }
  }
}
