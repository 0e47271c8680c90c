import { formatBytes, formatDuration, formatPercent } from '../../shared/format'
import type { PoolMetrics, PoolStatus, TaskView } from '../../shared/pools/pool'
import { textTable } from './table'

/** The pools' answers as text for people: the list, one pool with its workers and metrics, a task. */

const LIST_COLUMNS = ['ID', 'NAME', 'STATE', 'WORKERS', 'QUEUED', 'RUNNING', 'STRATEGY', 'COMMAND'] as const
const WORKER_COLUMNS = ['WORKER', 'STATE', 'PID', 'TASK', 'DONE', 'FAILED', 'CPU', 'MEMORY', 'RESTARTS'] as const

/** What to run to turn pools on, said wherever they are off. */
export const TURN_ON = '`proctor pools on` turns them on (and IPC, which they need)'

function ready(p: PoolStatus): number {
  return p.workers.filter((w) => w.state === 'idle' || w.state === 'busy').length
}

function commandLine(p: PoolStatus): string {
  return [p.definition.workerCommand, ...p.definition.workerArgs].join(' ')
}

export function formatPoolList(all: { enabled: boolean; ipc: boolean; pools: PoolStatus[]; notices: string[] }): string {
  const lines: string[] = []
  if (!all.enabled) lines.push(`worker pools are off: no pool runs; ${TURN_ON}`)
  else if (!all.ipc) lines.push(`IPC is off: worker pools need the broker, so none runs; ${TURN_ON}`)
  lines.push(...all.notices)
  if (all.pools.length === 0) lines.push('no pools')
  else {
    const rows = all.pools.map((p) => [
      p.id,
      p.name,
      p.problem && p.state === 'running' ? 'problem' : p.state,
      `${ready(p)}/${p.targetSize} (${p.definition.minWorkers}..${p.definition.maxWorkers})`,
      String(p.queued),
      String(p.running),
      p.definition.scalingStrategy,
      commandLine(p),
    ])
    lines.push(...textTable(LIST_COLUMNS, rows, new Set([4, 5])))
  }
  return lines.join('\n')
}

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : value < 10_000 ? `${(value / 1000).toFixed(1)} s` : formatDuration(value)
}

export function formatPoolDetail(p: PoolStatus, m: PoolMetrics | undefined): string {
  const d = p.definition
  const lines = [
    `${p.id}${p.name !== p.id ? ` (${p.name})` : ''}: ${p.state}${p.problem ? ` — ${p.problem}` : ''}`,
    `command: ${commandLine(p)}${d.cwd ? ` (in ${d.cwd})` : ''}`,
    `workers: ${ready(p)} ready of ${p.targetSize} wanted, ${d.minWorkers}..${d.maxWorkers}, ${d.scalingStrategy}, ${d.loadBalancing}`,
    `limits: tasks time out after ${ms(d.taskTimeout)}, queue up to ${d.maxQueueSize}, ${d.retries} retries, ` +
      `${d.maxTasksPerWorker > 0 ? `a worker replaced after ${d.maxTasksPerWorker} tasks` : 'workers never recycled'}, idle workers stop after ${ms(d.workerIdleTimeout)}`,
    `tasks: ${p.queued} queued, ${p.running} running`,
  ]
  if (m) {
    lines.push(
      `metrics: ${m.submitted} submitted, ${m.completed} done, ${m.failed} failed, ${m.timedOut} timed out, ${m.cancelled} cancelled, ${m.retries} retried, ${m.restarts} worker restarts`,
      `  throughput ${m.throughput.toFixed(2)}/s, run p50 ${ms(m.runMs.p50)} p95 ${ms(m.runMs.p95)} p99 ${ms(m.runMs.p99)}, wait p95 ${ms(m.waitMs.p95)}, utilisation ${formatPercent(m.utilisation * 100)}`,
    )
  }
  if (p.workers.length === 0) lines.push('no workers')
  else {
    const rows = p.workers.map((w) => [
      w.name,
      w.state,
      w.pid === undefined ? '–' : String(w.pid),
      w.currentTask ?? '–',
      String(w.tasksDone),
      String(w.tasksFailed),
      w.cpu === undefined ? '–' : formatPercent(w.cpu),
      w.memory === undefined ? '–' : formatBytes(w.memory),
      String(w.restarts),
    ])
    lines.push(...textTable(WORKER_COLUMNS, rows, new Set([2, 4, 5, 6, 7, 8])))
  }
  return lines.join('\n')
}

/** A task: its id and state, then its result (JSON) or its error. */
export function formatTask(t: TaskView): string {
  const head = [`${t.id}: ${t.state}`]
  if (t.worker) head.push(`on ${t.worker}`)
  if (t.startedAt !== undefined) head.push(`waited ${ms(t.startedAt - t.submittedAt)}`)
  if (t.startedAt !== undefined && t.endedAt !== undefined) head.push(`ran ${ms(t.endedAt - t.startedAt)}`)
  if (t.attempts > 1) head.push(`${t.attempts} attempts`)
  const lines = [head.join(', ')]
  if (t.state === 'done') lines.push(JSON.stringify(t.result ?? null))
  else if (t.error) lines.push(`${t.error.code}${t.error.name ? ` (${t.error.name})` : ''}: ${t.error.message}`)
  return lines.join('\n')
}
