import type { ProcessInfo } from '../../shared/types/process'
import type { ProcessTreeNode } from '../../shared/process/tree'
import { formatBytes } from '../../shared/format'

const COLUMNS = ['PID', 'PPID', 'USER', 'STATE', 'CPU%', 'MEM', 'COMMAND'] as const

/** ps-like text table; the command is cut to the terminal width, if any. */
export function formatProcessTable(processes: ProcessInfo[], width = 0): string {
  const rows = processes.map((p) => [
    String(p.pid),
    String(p.ppid),
    p.user,
    p.state,
    p.cpuPercent.toFixed(1),
    formatBytes(p.memoryBytes),
    p.command,
  ])
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 6 ? (r[i] ?? '').length : 0))))
  const line = (cells: readonly string[]) => {
    const text = cells
      .map((c, i) => (i === 6 ? c : i === 2 || i === 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
    return width > 0 ? text.slice(0, width) : text
  }
  return [line(COLUMNS), ...rows.map(line)].join('\n')
}

/**
 * pstree-like: one line per process under its parent, drawn as pstree and
 * htop draw it: `├─` before every child but the last, `└─` before the last,
 * and `│` down the left for each ancestor that still has children to come.
 * Parents carry their subtree totals.
 */
export function formatProcessTree(roots: ProcessTreeNode[], width = 0): string {
  const lines: string[] = []
  // Iterative, deepest-first: `prefix` is what the ancestors draw, `last` whether this node ends its siblings.
  const stack: { node: ProcessTreeNode; prefix: string; last: boolean; root: boolean }[] = [...roots]
    .reverse()
    .map((node) => ({ node, prefix: '', last: true, root: true }))
  while (stack.length > 0) {
    const { node, prefix, last, root } = stack.pop() as (typeof stack)[number]
    const p = node.process
    const totals = node.children.length > 0 ? `  [${node.descendantCount} below, ${node.subtreeCpuPercent.toFixed(1)}% cpu, ${formatBytes(node.subtreeMemoryBytes)}]` : ''
    const branch = root ? '' : last ? '└─ ' : '├─ '
    const text = `${prefix}${branch}${p.pid} ${p.name} ${p.cpuPercent.toFixed(1)}% ${formatBytes(p.memoryBytes)}${totals}`
    lines.push(width > 0 ? text.slice(0, width) : text)
    const below = root ? prefix : `${prefix}${last ? '   ' : '│  '}`
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push({ node: node.children[i] as ProcessTreeNode, prefix: below, last: i === node.children.length - 1, root: false })
    }
  }
  return lines.join('\n')
}
