import type { Imported } from '../../shared/ecosystem/imported'
import type { ProgramInput } from '../../shared/supervisor/program'

/** What an import would add, what it leaves out and why, as text for people. */

function argv(p: ProgramInput): string {
  const words = p.shell ? ['/bin/sh', '-c', p.command] : [p.command, ...(p.args ?? [])]
  return words.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')
}

function settings(p: ProgramInput): string {
  const parts = [`restart ${p.restart ?? 'on-failure'}`]
  if (p.autostart) parts.push('autostart')
  if (p.maxRestartAttempts !== undefined) parts.push(`fatal after ${p.maxRestartAttempts} restarts`)
  if (p.restartDelayMs !== undefined) parts.push(`delay ${p.restartDelayMs} ms${p.restartBackoffMultiplier && p.restartBackoffMultiplier > 1 ? ` x${p.restartBackoffMultiplier}` : ''}`)
  if (p.stopSignal !== undefined || p.stopTimeoutMs !== undefined) parts.push(`stop ${p.stopSignal ?? 'TERM'}, KILL after ${(p.stopTimeoutMs ?? 5000) / 1000} s`)
  if (p.startSeconds !== undefined) parts.push(`started after ${p.startSeconds} s up`)
  if (p.health?.checks?.length) parts.push(`health: ${p.health.checks.map((c) => c.kind).join(', ')}`)
  return parts.join(', ')
}

export function formatImport(file: string, r: Imported, closing: string): string {
  const lines = [`${file} (${r.format === 'pm2' ? 'PM2 ecosystem' : 'supervisord'}): ${r.programs.length} program${r.programs.length === 1 ? '' : 's'} to add`]
  for (const { source, program: p } of r.programs) {
    lines.push(`  ${p.name}${source !== p.name ? `  (from ${source})` : ''}`)
    lines.push(`    command  ${argv(p)}`)
    lines.push(`    cwd      ${p.cwd ?? "(the owner's)"}`)
    const vars = Object.entries(p.env?.vars ?? {})
    if (vars.length > 0) lines.push(`    env      ${vars.map(([k, v]) => `${k}=${v}`).join(' ')}`)
    lines.push(`    policy   ${settings(p)}`)
  }
  if (r.unmapped.length > 0) {
    lines.push(`Not imported (${r.unmapped.length}):`)
    for (const u of r.unmapped) lines.push(`  ${u.program !== undefined ? `${u.program}: ` : ''}${u.field} = ${u.value}: ${u.why}`)
  }
  if (r.notes.length > 0) {
    lines.push('Notes:')
    for (const n of r.notes) lines.push(`  - ${n}`)
  }
  if (r.problems.length > 0) {
    lines.push(`Problems (${r.problems.length}; these programs cannot be imported):`)
    for (const p of r.problems) lines.push(`  ${p.program}: ${p.message}`)
  }
  if (closing) lines.push(closing)
  return lines.join('\n')
}
