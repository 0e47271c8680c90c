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
 */
export function buildProcessTree(processes: readonly ProcessInfo[]): ProcessTreeNode[] {
  const nodes = new Map<number, ProcessTreeNode>()
  for (const p of processes) {
    nodes.set(p.pid, { process: p, children: [], descendantCount: 0, subtreeCpuPercent: p.cpuPercent, subtreeMemoryBytes: p.memoryBytes })
  }
  const roots: ProcessTreeNode[] = []
  for (const node of nodes.values()) {
    const parent = node.process.ppid !== node.process.pid ? nodes.get(node.process.ppid) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
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
  for (const node of nodes.values()) {
    if (!reached.has(node)) {
      const parent = nodes.get(node.process.ppid)
      if (parent) parent.children = parent.children.filter((c) => c !== node)
      roots.push(node)
      visit(node)
    }
  }
  // Children come after their parent in `order`: sum bottom-up.
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as ProcessTreeNode
    for (const child of node.children) {
      node.descendantCount += child.descendantCount + 1
      node.subtreeCpuPercent += child.subtreeCpuPercent
      node.subtreeMemoryBytes += child.subtreeMemoryBytes
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
