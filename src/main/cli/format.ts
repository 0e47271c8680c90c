import type { ProcessInfo } from '../../shared/types/process'
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
