import { parseArgs } from 'node:util'
import { formatBytes, formatDuration, formatPercent } from '../../shared/format'
import { filesystemSpace } from '../../shared/system/filesystems'
import type { FilesystemUsage, SystemMetrics } from '../../shared/types/system'
import { cliApi, COMMON, engineFor, parse } from './args'

/** `proctor metrics [--json]`: one system sample, its rates taken over a short interval. */
export async function metrics(args: string[]): Promise<number> {
  const { values } = parse(() => parseArgs({ args, strict: true, options: { ...COMMON, json: { type: 'boolean' } } }))
  const engine = engineFor(values['data-dir'], { collector: 'inline', backgroundMetrics: false })
  try {
    // No live stream in a one-shot process: the engine takes two readings a short interval apart.
    const sample = await cliApi(engine).getSystemMetrics()
    process.stdout.write(`${values.json ? JSON.stringify(sample) : formatMetrics(sample)}\n`)
    return 0
  } finally {
    engine.close()
  }
}

const rate = (v: number | null) => (v === null ? '–' : `${formatBytes(v)}/s`)
const ops = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)}/s`)
const label = (s: string) => s.padEnd(13)

/** The sample for people: one line per subject, devices indented below their totals. */
export function formatMetrics(m: SystemMetrics): string {
  const lines: string[] = []
  const { shares } = m.cpu
  lines.push(
    `${label('CPU')}${formatPercent(m.cpu.total)}  user ${formatPercent(shares.user)}  system ${formatPercent(shares.system)}` +
      `  iowait ${formatPercent(shares.iowait)}  steal ${formatPercent(shares.steal)}`,
  )
  lines.push(`${label('Cores')}${m.cpu.cores.map((c, i) => `${i}: ${formatPercent(c)}`).join('  ')}`)
  const mem = m.memory
  lines.push(
    `${label('Memory')}${formatBytes(mem.used)} of ${formatBytes(mem.total)} (${formatPercent(mem.percent)})` +
      `  available ${formatBytes(mem.available)}  cache ${formatBytes(mem.cached)}  buffers ${formatBytes(mem.buffers)}`,
  )
  lines.push(`${label('Swap')}${formatBytes(m.swap.used)} of ${formatBytes(m.swap.total)} (${formatPercent(m.swap.percent)})`)
  lines.push(`${label('Load')}${m.load.map((l) => l.toFixed(2)).join(' ')}`)
  lines.push(`${label('Network')}rx ${rate(m.network.rxBytesPerSec)}  tx ${rate(m.network.txBytesPerSec)}  (all but lo)`)
  for (const n of m.network.interfaces) {
    lines.push(`  ${n.name.padEnd(10)} rx ${rate(n.rxBytesPerSec)}  tx ${rate(n.txBytesPerSec)}  errors ${n.rxErrors}/${n.txErrors}`)
  }
  const d = m.disk
  lines.push(`${label('Disk')}read ${rate(d.readBytesPerSec)} (${ops(d.readOpsPerSec)})  write ${rate(d.writeBytesPerSec)} (${ops(d.writeOpsPerSec)})`)
  for (const dev of d.devices) {
    lines.push(`  ${dev.device.padEnd(10)} read ${rate(dev.readBytesPerSec)} (${ops(dev.readOpsPerSec)})  write ${rate(dev.writeBytesPerSec)} (${ops(dev.writeOpsPerSec)})`)
  }
  lines.push(...formatFilesystems(m.filesystems))
  const p = m.processes
  lines.push(`${label('Processes')}${p.total} total, ${p.running} running, ${p.sleeping} sleeping, ${p.stopped} stopped, ${p.zombie} zombie`)
  lines.push(`${label('Temperatures')}${m.temperatures.length ? m.temperatures.map((t) => `${t.label} ${t.celsius.toFixed(1)}°C`).join(', ') : 'no sensors'}`)
  lines.push(`${label('Uptime')}${formatDuration(m.uptime * 1000)}`)
  return lines.join('\n')
}

/**
 * Filesystems as df lays them out, plus the space reserved for the
 * superuser, so that used + available + reserved = size; use% is df's, of
 * used + available.
 */
export function formatFilesystems(filesystems: readonly FilesystemUsage[]): string[] {
  if (filesystems.length === 0) return [`${label('Filesystems')}none`]
  const header = ['Filesystems', 'size', 'used', 'available', 'reserved', 'use%']
  const rows = filesystems.map((f) => {
    const s = filesystemSpace(f)
    return [`  ${f.mount}`, formatBytes(s.size), formatBytes(s.used), formatBytes(s.available), formatBytes(s.reserved), formatPercent(s.percent)]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  const out = [`${line(header)}  type device`, ...rows.map((r, i) => `${line(r)}  ${filesystems[i]?.type ?? ''} ${filesystems[i]?.device ?? ''}`)]
  if (filesystems.some((f) => filesystemSpace(f).reserved > 0)) {
    out.push('  (used + available + reserved = size; reserved space is for the superuser; use% = used / (used + available), as df)')
  }
  return out
}
