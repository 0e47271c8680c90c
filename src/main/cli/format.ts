import type { ProcessInfo } from '../../shared/types/process'
import { walkTree, type ProcessTreeNode } from '../../shared/process/tree'
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

/** pstree-like: one line per process, indented under its parent, with subtree totals. */
export function formatProcessTree(roots: ProcessTreeNode[], width = 0): string {
  const lines: string[] = []
  for (const { node, depth } of walkTree(roots)) {
    const p = node.process
    const totals = node.children.length > 0 ? `  [${node.descendantCount} below, ${node.subtreeCpuPercent.toFixed(1)}% cpu, ${formatBytes(node.subtreeMemoryBytes)}]` : ''
    const text = `${'  '.repeat(depth)}${depth > 0 ? '└ ' : ''}${p.pid} ${p.name} ${p.cpuPercent.toFixed(1)}% ${formatBytes(p.memoryBytes)}${totals}`
    lines.push(width > 0 ? text.slice(0, width) : text)
  }
  return lines.join('\n')
}
