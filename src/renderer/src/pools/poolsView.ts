import { z } from 'zod'
import { poolConfigSchema, poolIdSchema, type PoolConfigInput, type PoolMetrics, type PoolsOverview, type PoolStatus, type TaskView, type WorkerView } from '../../../shared/pools/pool'
import type { Settings } from '../../../shared/settings'
import type { MetricsHistory } from '../../../shared/types/system'
import { formatDuration } from '../../../shared/format'

/**
 * The Pools page's pure parts: the create form (text fields to createPool's
 * input, problems by field, the engine's refusals by field too), the live
 * history the charts draw, and words for states and tasks. No DOM, no
 * React: unit-tested under test/unit/renderer.
 */

// ------------------------------------------------------------------ the form

/** The form as typed: every field text; empty means "the default". */
export interface PoolFormValues {
  id: string
  name: string
  workerCommand: string
  /** One argument per line. */
  workerArgs: string
  cwd: string
  /** KEY=VALUE, one per line. */
  env: string
  minWorkers: string
  maxWorkers: string
  scalingStrategy: '' | 'fixed' | 'dynamic'
  loadBalancing: '' | 'least_busy' | 'round_robin' | 'random'
  taskTimeout: string
  workerIdleTimeout: string
  maxQueueSize: string
  maxTasksPerWorker: string
  retries: string
}

export const EMPTY_FORM: PoolFormValues = {
  id: '',
  name: '',
  workerCommand: '',
  workerArgs: '',
  cwd: '',
  env: '',
  minWorkers: '',
  maxWorkers: '',
  scalingStrategy: '',
  loadBalancing: '',
  taskTimeout: '',
  workerIdleTimeout: '',
  maxQueueSize: '',
  maxTasksPerWorker: '',
  retries: '',
}

export type FormField = keyof PoolFormValues
/** Problems by form field. */
export type FormIssues = ReadonlyMap<FormField, string[]>

const NUMERIC: readonly FormField[] = ['minWorkers', 'maxWorkers', 'taskTimeout', 'workerIdleTimeout', 'maxQueueSize', 'maxTasksPerWorker', 'retries']

export interface PoolInput {
  poolId: string
  config: PoolConfigInput
}

const createSchema = z.strictObject({ poolId: poolIdSchema, config: poolConfigSchema })

/** The form's field for an issue path of createPool's arguments (`config.env.FOO` is the env field, `poolId` the id). */
export function fieldOfPath(path: readonly (string | number)[]): FormField | undefined {
  const [head, second] = path.map(String)
  if (head === 'poolId') return 'id'
  if (head === 'config' && second !== undefined && (second in EMPTY_FORM)) return second as FormField
  return undefined
}

function add(map: Map<FormField, string[]>, field: FormField, message: string): void {
  map.set(field, [...(map.get(field) ?? []), message])
}

/**
 * createPool's arguments from the form, checked against the contract's own
 * schema (the same checks the engine makes): the input, or the problems by
 * field. Empty fields are left out so the settings' poolConfig decides.
 */
export function formToInput(f: PoolFormValues): { input?: PoolInput; issues: FormIssues } {
  const issues = new Map<FormField, string[]>()
  const config: Record<string, unknown> = { workerCommand: f.workerCommand.trim() }
  if (f.name.trim()) config.name = f.name.trim()
  const args = f.workerArgs.split('\n').filter((line) => line.trim() !== '')
  if (args.length) config.workerArgs = args
  if (f.cwd.trim()) config.cwd = f.cwd.trim()
  const env: Record<string, string> = {}
  f.env.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    const eq = line.indexOf('=')
    if (eq <= 0) add(issues, 'env', `line ${i + 1}: expected KEY=VALUE, got “${line.trim()}”`)
    else env[line.slice(0, eq).trim()] = line.slice(eq + 1)
  })
  if (Object.keys(env).length) config.env = env
  for (const field of NUMERIC) {
    const text = f[field].trim()
    if (text === '') continue
    if (!/^-?\d+$/.test(text)) add(issues, field, 'must be a whole number')
    else config[field] = Number(text)
  }
  if (f.scalingStrategy) config.scalingStrategy = f.scalingStrategy
  if (f.loadBalancing) config.loadBalancing = f.loadBalancing
  const min = config.minWorkers
  const max = config.maxWorkers
  if (typeof min === 'number' && typeof max === 'number' && min > max) add(issues, 'minWorkers', `must not exceed maxWorkers (${max})`)

  const parsed = createSchema.safeParse({ poolId: f.id.trim(), config })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath(issue.path as (string | number)[])
      if (field && !issues.has(field)) add(issues, field, issue.message)
    }
  }
  if (issues.size > 0) return { issues }
  return { input: { poolId: f.id.trim(), config: config as PoolConfigInput }, issues }
}

/** The engine's INVALID_ARGUMENT details (`{ issues: [{ path, message }] }`) by form field; issues no field claims are left out (the message says them). */
export function issuesFromDetails(details: Record<string, unknown> | undefined): FormIssues {
  const map = new Map<FormField, string[]>()
  const list = Array.isArray(details?.issues) ? (details.issues as unknown[]) : []
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null) continue
    const { path, message } = raw as { path?: unknown; message?: unknown }
    if (typeof message !== 'string' || !Array.isArray(path)) continue
    const field = fieldOfPath(path as (string | number)[])
    if (field) add(map, field, message)
  }
  return map
}

/** What an empty field stands for, from the settings' poolConfig (placeholders). */
export function formDefaults(poolConfig: Settings['poolConfig'] | undefined): Partial<Record<FormField, string>> {
  if (!poolConfig) return {}
  return {
    minWorkers: String(poolConfig.defaultMinWorkers),
    maxWorkers: String(poolConfig.defaultMaxWorkers),
    scalingStrategy: poolConfig.poolScalingStrategy,
    loadBalancing: poolConfig.poolLoadBalancing,
    taskTimeout: String(poolConfig.poolTaskTimeout),
    workerIdleTimeout: '30000',
    maxQueueSize: String(poolConfig.poolMaxQueueSize),
    maxTasksPerWorker: '0',
    retries: '2',
  }
}

// --------------------------------------------------------------- the charts

/** Series of a pool's live history. */
export const POOL_SERIES = {
  throughput: 'throughput',
  queue: 'queue',
  running: 'running',
  p50: 'run.p50',
  p95: 'run.p95',
  waitP95: 'wait.p95',
  utilisation: 'utilisation',
} as const

/** How much history the page keeps per pool: the widest chart range, and a bound on points. */
export const HISTORY_MS = 5 * 60_000
export const HISTORY_POINTS = 1500

export type PoolHistories = ReadonlyMap<string, MetricsHistory>

/** One sample of a pool's metrics as a history row. */
export function sampleOf(m: PoolMetrics): Record<string, number> {
  return {
    [POOL_SERIES.throughput]: m.throughput,
    [POOL_SERIES.queue]: m.queueDepth,
    [POOL_SERIES.running]: m.running,
    [POOL_SERIES.p50]: m.runMs.p50,
    [POOL_SERIES.p95]: m.runMs.p95,
    [POOL_SERIES.waitP95]: m.waitMs.p95,
    [POOL_SERIES.utilisation]: m.utilisation * 100,
  }
}

/**
 * The histories with one more overview taken at `now` (ms since the epoch):
 * a sample per pool, samples older than HISTORY_MS or past HISTORY_POINTS
 * dropped, pools gone dropped. Two overviews at the same ms: the later one
 * replaces the sample. Unchanged pools keep nothing from before but the
 * arrays are new (the charts redraw each sample anyway).
 */
export function appendOverview(histories: PoolHistories, overview: Pick<PoolsOverview, 'pools'>, now: number): PoolHistories {
  const next = new Map<string, MetricsHistory>()
  for (const pool of overview.pools) {
    const before = histories.get(pool.id)
    const timestamps = before ? [...before.timestamps] : []
    const sample = sampleOf(pool.metrics)
    const series: Record<string, (number | null)[]> = {}
    for (const key of Object.values(POOL_SERIES)) series[key] = before?.series[key] ? [...before.series[key]] : timestamps.map(() => null)
    if (timestamps.at(-1) === now) {
      for (const key of Object.values(POOL_SERIES)) series[key]![series[key]!.length - 1] = sample[key] ?? null
    } else {
      timestamps.push(now)
      for (const key of Object.values(POOL_SERIES)) series[key]!.push(sample[key] ?? null)
    }
    let drop = 0
    while (drop < timestamps.length && (timestamps[drop]! < now - HISTORY_MS || timestamps.length - drop > HISTORY_POINTS)) drop++
    if (drop > 0) {
      timestamps.splice(0, drop)
      for (const key of Object.keys(series)) series[key]!.splice(0, drop)
    }
    next.set(pool.id, { timestamps, series })
  }
  return next
}

// ------------------------------------------------------------------ words

export const WORKER_STATE_LABELS: Record<WorkerView['state'], string> = {
  starting: 'Starting',
  idle: 'Idle',
  busy: 'Busy',
  restarting: 'Restarting',
  stopping: 'Stopping',
  failed: 'Failed',
}

/** A tone for a worker's state badge. */
export function workerTone(state: WorkerView['state']): 'ok' | 'busy' | 'warn' | 'bad' | 'idle' {
  switch (state) {
    case 'idle':
      return 'ok'
    case 'busy':
      return 'busy'
    case 'starting':
    case 'restarting':
    case 'stopping':
      return 'warn'
    case 'failed':
      return 'bad'
  }
}

/** Workers ready to take tasks (idle or busy). */
export function readyWorkers(pool: Pick<PoolStatus, 'workers'>): number {
  return pool.workers.filter((w) => w.state === 'idle' || w.state === 'busy').length
}

/** A pool's one-line state for the list: "running", "draining", "off", or its problem. */
export function poolStateText(pool: Pick<PoolStatus, 'state' | 'problem'>): string {
  if (pool.state === 'draining') return 'Draining'
  if (pool.state === 'off') return 'Off'
  return pool.problem ? 'Problem' : 'Running'
}

/** The colour of a pool's state: as poolStateText reads it. */
export function poolTone(pool: Pick<PoolStatus, 'state' | 'problem'>): 'ok' | 'warn' | 'bad' | 'idle' {
  if (pool.state === 'draining') return 'warn'
  if (pool.state === 'off') return 'idle'
  return pool.problem ? 'bad' : 'ok'
}

/** The sizes the scale control offers: min..max of the definition, the current target kept within. */
export function clampScale(value: number, pool: Pick<PoolStatus, 'definition'>): number {
  const { minWorkers, maxWorkers } = pool.definition
  if (!Number.isFinite(value)) return minWorkers
  return Math.min(maxWorkers, Math.max(minWorkers, Math.round(value)))
}

export const TASK_STATE_LABELS: Record<TaskView['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  timed_out: 'Timed out',
  cancelled: 'Cancelled',
}

/** A task's outcome, pretty-printed: its result as JSON, or its error's code and message. */
export function taskOutcome(task: TaskView): { tone: 'ok' | 'bad' | 'pending'; text: string } {
  if (task.state === 'done') return { tone: 'ok', text: JSON.stringify(task.result ?? null, null, 2) }
  if (task.error) return { tone: 'bad', text: `${task.error.code}${task.error.name ? ` (${task.error.name})` : ''}: ${task.error.message}` }
  if (task.state === 'queued' || task.state === 'running') return { tone: 'pending', text: task.state === 'queued' ? 'Waiting in the queue…' : 'Running…' }
  return { tone: 'bad', text: TASK_STATE_LABELS[task.state] }
}

/** How long a task took: in the queue, on a worker. */
export function taskTimes(task: TaskView): string | undefined {
  const parts: string[] = []
  if (task.startedAt !== undefined) parts.push(`waited ${formatMs(task.startedAt - task.submittedAt)}`)
  if (task.startedAt !== undefined && task.endedAt !== undefined) parts.push(`ran ${formatMs(task.endedAt - task.startedAt)}`)
  if (task.attempts > 1) parts.push(`${task.attempts} attempts`)
  return parts.length ? parts.join(', ') : undefined
}

/** Milliseconds for people: "0 ms", "12 ms", "1.5 s", "2m 3s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  if (ms < 1) return ms <= 0 ? '0 ms' : '<1 ms'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  return formatDuration(ms)
}

/** JSON typed for a task: its value, or where it goes wrong. */
export function parsePayload(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'Give a JSON payload, e.g. {"op": "echo", "value": 1}' }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  }
}
