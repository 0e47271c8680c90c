import { formatBytes, formatDuration } from '../../shared/format'
import { usesIpc } from '../../shared/supervisor/checks'
import type { AdoptionDraft, ProgramDetail, ProgramLogLine, ProgramsOverview, ProgramStatus, StopReport } from '../../shared/supervisor/status'
import { textTable } from './table'

/** The supervisor's answers as text for people: a `pm2 ls`-like table, a program's details, log lines. */

const COLUMNS = ['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'CPU%', 'MEM', 'HEALTH'] as const

function uptime(p: ProgramStatus, now: number): string {
  return p.pid !== undefined && p.lastStartAt !== undefined ? formatDuration(now - p.lastStartAt) : '–'
}

function health(p: ProgramStatus): string {
  return p.health.status === 'none' ? '–' : p.health.status
}

function state(p: ProgramStatus, now: number): string {
  if (p.state === 'backoff' && p.nextRestartAt !== undefined) return `backoff (${formatDuration(Math.max(0, p.nextRestartAt - now))})`
  return p.state
}

export function formatProgramTable(overview: ProgramsOverview, now = Date.now()): string {
  const rows = overview.programs.map((p) => [
    p.name,
    state(p, now),
    p.pid === undefined ? '–' : String(p.pid),
    uptime(p, now),
    String(p.restarts),
    p.cpu === undefined ? '–' : p.cpu.toFixed(1),
    p.memory === undefined ? '–' : formatBytes(p.memory),
    health(p),
  ])
  // Names and words to the left, numbers to the right.
  const lines =
    overview.programs.length === 0 ? ['no programs yet: add one with `proctor programs add NAME -- COMMAND ARGS...`'] : textTable(COLUMNS, rows, new Set([2, 3, 4, 5, 6]))
  const o = overview.owner
  lines.push(`supervised by ${o.kind === 'desktop' ? 'the desktop app' : 'proctor daemon'} (pid ${o.pid}, up ${formatDuration(now - o.since)})`)
  // Configured but not running: said, with the command that turns it on.
  const checked = overview.programs.filter((p) => p.program.health.checks.length > 0).length
  if (!overview.healthChecks && checked > 0) {
    lines.push(`health checks are configured for ${checked} program${checked === 1 ? '' : 's'} but off: \`proctor programs enable health-checks\` turns them on`)
  }
  const restarting = overview.programs.filter((p) => p.program.restart !== 'never').length
  if (!overview.autoRestart && restarting > 0) {
    lines.push(`automatic restarts are off, so no restart policy acts: \`proctor programs enable auto-restart\` turns them on`)
  }
  const overIpc = overview.programs.filter((p) => usesIpc(p.program)).length
  if (!overview.ipc && overIpc > 0) {
    lines.push(`IPC is off, but ${overIpc} program${overIpc === 1 ? ' waits' : 's wait'} for a ready message or heartbeats over it: \`proctor ipc on\` turns it on`)
  }
  for (const notice of overview.notices) lines.push(`notice: ${notice}`)
  return lines.join('\n')
}

export function formatProgramDetail(d: ProgramDetail, now = Date.now()): string {
  const p = d.program
  const argv = [p.command, ...p.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')
  const lines = [
    `${d.name}: ${state(d, now)} since ${new Date(d.since).toISOString()} (${d.reason})`,
    `  command    ${p.shell ? `/bin/sh -c ${JSON.stringify(p.command)}` : argv}`,
    `  cwd        ${p.cwd ?? '(the owner’s)'}`,
    `  restart    ${p.restart}; autostart ${p.autostart ? 'on' : 'off'}; restarts ${d.restarts} (${d.totalRestarts} since the owner started)`,
  ]
  const vars = Object.keys(p.env.vars)
  if (vars.length > 0 || p.env.mode === 'replace') lines.push(`  env        ${p.env.mode}: ${vars.join(', ') || '(none)'}`)
  if (d.pid !== undefined) {
    lines.push(`  pid        ${d.pid}${d.descendants > 0 ? ` and ${d.descendants} more` : ''}, up ${uptime(d, now)}`)
    if (d.cpu !== undefined || d.memory !== undefined) lines.push(`  usage      ${d.cpu?.toFixed(1) ?? '–'}% cpu, ${d.memory === undefined ? '–' : formatBytes(d.memory)}`)
  }
  lines.push(`  health     ${health(d)}`)
  if (d.lastExit) {
    const e = d.lastExit
    const how = e.spawnError ? `could not start: ${e.spawnError}` : e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`
    lines.push(`  last exit  ${how} after ${formatDuration(e.uptimeMs)}, at ${new Date(e.at).toISOString()}`)
  }
  const recent = d.transitions.slice(-5)
  if (recent.length > 0) {
    lines.push('  recent')
    for (const t of recent) lines.push(`    ${new Date(t.at).toISOString()}  ${t.from} -> ${t.to}: ${t.reason}`)
  }
  return lines.join('\n')
}

export function formatLogLine(l: ProgramLogLine): string {
  return `${new Date(l.at).toISOString()} ${l.stream === 'stdout' ? 'out' : 'err'} | ${l.text}`
}

export function formatStop(r: StopReport): string {
  const parts = [`stopped ${r.name} in ${r.durationMs} ms${r.graceful ? '' : ' (it had to be killed)'}`]
  if (r.dependents.length > 0) parts.push(`first its dependents: ${r.dependents.join(', ')}`)
  if (r.outsideGroup.length > 0) parts.push(`also stopped what had left its group: ${r.outsideGroup.map((p) => `${p.name} (${p.pid})`).join(', ')}`)
  return parts.join('; ')
}

export function formatStatusLine(verb: string, s: ProgramStatus): string {
  return `${verb} ${s.name}: ${s.state}${s.pid !== undefined ? `, pid ${s.pid}` : ''}`
}

export function formatDraft(d: AdoptionDraft): string {
  const p = d.program
  const lines = [
    `pid ${d.pid} as program ${p.name}:`,
    `  command  ${[p.command, ...p.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`,
    `  cwd      ${p.cwd ?? '(unknown)'}`,
    `  env      ${Object.keys(p.env.vars).length} variables (${p.env.mode})`,
  ]
  if (d.unreadable.length > 0) lines.push(`  could not read: ${d.unreadable.join(', ')}`)
  return lines.join('\n')
}
