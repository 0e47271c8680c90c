import { z } from 'zod'
import { invalidArgument } from '../errors'
import type { Settings } from '../settings'
import type { Quantiles } from './quantiles'

/**
 * Worker pools: what a pool is (one zod schema for createPool's input, the
 * defaults from the settings' poolConfig, and the definition kept on disk)
 * and what the pool calls tell (tasks, workers, metrics). Pure: no node:*.
 */

/** Letters, digits, `.`, `_`, `-`, not starting with a dot; short, as its workers' names carry it. */
export const poolIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,39}$/, 'must be 1 to 40 letters, digits, ".", "_" or "-", not starting with "."')

export const SCALING_STRATEGIES = ['fixed', 'dynamic'] as const
export const LOAD_BALANCING = ['least_busy', 'round_robin', 'random'] as const
export type ScalingStrategy = (typeof SCALING_STRATEGIES)[number]
export type LoadBalancing = (typeof LOAD_BALANCING)[number]

const noNul = z.string().regex(/^[^\0]*$/, 'must not hold NUL')
const envName = z.string().regex(/^[^=\0]+$/, 'must be non-empty, without "=" or NUL')
const ms = (min: number) => z.number().int().min(min).max(3_600_000)

/** Defaults not in poolConfig. */
export const DEFAULT_WORKER_IDLE_TIMEOUT_MS = 30_000
export const DEFAULT_RETRIES = 2

/** createPool's config: what a user writes. Left out, a field comes from the settings' poolConfig (or the defaults above). */
export const poolConfigSchema = z.strictObject({
  /** A name for people; default the pool's id. */
  name: z.string().min(1).max(100).optional(),
  /** The worker's executable (looked up in PATH), e.g. `node`. */
  workerCommand: noNul.min(1, 'must not be empty'),
  workerArgs: z.array(noNul).max(1000).default([]),
  cwd: z
    .string()
    .refine((p) => p.startsWith('/'), 'must be an absolute path')
    .optional(),
  /** Variables added to Proctor's environment for each worker. */
  env: z.record(envName, noNul).default({}),
  minWorkers: z.number().int().min(0).max(256).optional(),
  maxWorkers: z.number().int().min(1).max(256).optional(),
  scalingStrategy: z.enum(SCALING_STRATEGIES).optional(),
  loadBalancing: z.enum(LOAD_BALANCING).optional(),
  /** ms a task may run on a worker before it fails with TIMEOUT (its worker is replaced). */
  taskTimeout: ms(100).optional(),
  /** ms a dynamic pool keeps an idle worker above minWorkers. */
  workerIdleTimeout: ms(100).optional(),
  maxQueueSize: z.number().int().min(1).max(1_000_000).optional(),
  /** A worker is replaced after this many tasks (0: never). */
  maxTasksPerWorker: z.number().int().min(0).max(1_000_000_000).default(0),
  /** Times a task whose worker died under it is tried again, on another worker. */
  retries: z.number().int().min(0).max(100).optional(),
})
export type PoolConfigInput = z.input<typeof poolConfigSchema>

/** A pool as kept on disk and shown: every field filled in. */
export interface PoolDefinition {
  id: string
  name: string
  workerCommand: string
  workerArgs: string[]
  cwd?: string
  env: Record<string, string>
  minWorkers: number
  maxWorkers: number
  scalingStrategy: ScalingStrategy
  loadBalancing: LoadBalancing
  taskTimeout: number
  workerIdleTimeout: number
  maxQueueSize: number
  maxTasksPerWorker: number
  retries: number
  /** ms since the epoch */
  createdAt: number
}

export const poolDefinitionSchema = z.strictObject({
  id: poolIdSchema,
  name: z.string().min(1).max(100),
  workerCommand: noNul.min(1),
  workerArgs: z.array(noNul).max(1000),
  cwd: z
    .string()
    .refine((p) => p.startsWith('/'), 'must be an absolute path')
    .optional(),
  env: z.record(envName, noNul),
  minWorkers: z.number().int().min(0).max(256),
  maxWorkers: z.number().int().min(1).max(256),
  scalingStrategy: z.enum(SCALING_STRATEGIES),
  loadBalancing: z.enum(LOAD_BALANCING),
  taskTimeout: ms(100),
  workerIdleTimeout: ms(100),
  maxQueueSize: z.number().int().min(1).max(1_000_000),
  maxTasksPerWorker: z.number().int().min(0).max(1_000_000_000),
  retries: z.number().int().min(0).max(100),
  createdAt: z.number(),
}) satisfies z.ZodType<PoolDefinition>

/**
 * A pool's definition from createPool's config and the settings' poolConfig
 * (fields left out take its defaults); INVALID_ARGUMENT naming the field
 * when min exceeds max.
 */
export function resolvePool(id: string, config: z.output<typeof poolConfigSchema>, defaults: Settings['poolConfig'], now = Date.now()): PoolDefinition {
  let minWorkers = config.minWorkers ?? defaults.defaultMinWorkers
  let maxWorkers = config.maxWorkers ?? defaults.defaultMaxWorkers
  // One bound given: the default of the other follows it rather than contradict it.
  if (config.minWorkers === undefined && minWorkers > maxWorkers) minWorkers = maxWorkers
  if (config.maxWorkers === undefined && maxWorkers < minWorkers) maxWorkers = minWorkers
  if (minWorkers > maxWorkers) {
    throw invalidArgument(
      `create pool "${id}"`,
      new z.ZodError([{ code: 'custom', path: ['config', 'minWorkers'], message: `must not exceed maxWorkers (${maxWorkers})`, input: minWorkers }]),
    )
  }
  return {
    id,
    name: config.name ?? id,
    workerCommand: config.workerCommand,
    workerArgs: config.workerArgs,
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
    env: config.env,
    minWorkers,
    maxWorkers,
    scalingStrategy: config.scalingStrategy ?? defaults.poolScalingStrategy,
    loadBalancing: config.loadBalancing ?? defaults.poolLoadBalancing,
    taskTimeout: config.taskTimeout ?? defaults.poolTaskTimeout,
    workerIdleTimeout: config.workerIdleTimeout ?? DEFAULT_WORKER_IDLE_TIMEOUT_MS,
    maxQueueSize: config.maxQueueSize ?? defaults.poolMaxQueueSize,
    maxTasksPerWorker: config.maxTasksPerWorker,
    retries: config.retries ?? DEFAULT_RETRIES,
    createdAt: now,
  }
}

// ------------------------------------------------------------------ tasks

export const TASK_STATES = ['queued', 'running', 'done', 'failed', 'timed_out', 'cancelled'] as const
export type TaskState = (typeof TASK_STATES)[number]
export const TERMINAL_TASK_STATES: readonly TaskState[] = ['done', 'failed', 'timed_out', 'cancelled']

export function isTerminal(state: TaskState): boolean {
  return state === 'done' || state === 'failed' || state === 'timed_out' || state === 'cancelled'
}

/** Why a task did not end done: the worker's own error (name, message, stack) or Proctor's (code). */
export interface TaskError {
  /** TIMEOUT, CANCELLED, WORKER_DIED, HANDLER_ERROR, REMOVED, UNAVAILABLE, BAD_RESPONSE, BAD_PAYLOAD (over the broker's frame limit) */
  code: string
  message: string
  name?: string
  stack?: string
}

export interface TaskView {
  id: string
  poolId: string
  state: TaskState
  priority: number
  /** ms since the epoch */
  submittedAt: number
  startedAt?: number
  endedAt?: number
  /** Runs on a worker so far (1 unless a worker died under it and it was retried). */
  attempts: number
  /** The worker running it, or the last that did. */
  worker?: string
  result?: unknown
  error?: TaskError
}

// ---------------------------------------------------------------- workers

/** starting: spawned, not yet ready; idle / busy: ready; restarting: between runs (crashed, replaced); stopping; failed: gave up (fatal). */
export type WorkerState = 'starting' | 'idle' | 'busy' | 'restarting' | 'stopping' | 'failed'

export interface WorkerView {
  /** Its program name (`pool.<pool>.<n>`) and endpoint (`p:<name>`). */
  name: string
  state: WorkerState
  pid?: number
  currentTask?: string
  tasksDone: number
  tasksFailed: number
  /** CPU % (100 = one core) and resident bytes, while it runs (sampled each refresh while watched). */
  cpu?: number
  memory?: number
  /** Restarts of this worker slot (crashes, replacements). */
  restarts: number
  /** ms since the epoch */
  since: number
  /** Why it is in its state (the last transition's reason). */
  reason: string
  /** ms since the epoch of its last heartbeat over IPC. */
  lastHeartbeat?: number
  /** Why its last run ended when the pool did not ask (a crash, a hang, a timeout, recycling). */
  lastEnd?: { at: number; reason: string }
}

/** running: serving tasks; draining: being removed, finishing what runs; off: enablePooling or enableIPC is off. */
export type PoolState = 'running' | 'draining' | 'off'

export interface PoolStatus {
  id: string
  name: string
  definition: PoolDefinition
  state: PoolState
  /** Workers the pool aims at now (scalePool, dynamic scaling). */
  targetSize: number
  workers: WorkerView[]
  queued: number
  running: number
  /** Why it cannot serve now (pooling or IPC off, workers failing), for the user. */
  problem?: string
}

export interface PoolMetrics {
  poolId: string
  /** ms since the epoch the counters start from (the pool's creation or Proctor's start). */
  since: number
  submitted: number
  completed: number
  failed: number
  timedOut: number
  cancelled: number
  /** Tasks tried again after their worker died. */
  retries: number
  /** Worker restarts and replacements. */
  restarts: number
  queueDepth: number
  running: number
  /** Tasks ended (any terminal state) per second over the last minute. */
  throughput: number
  /** Over the last 1000 tasks started, ms in the queue; over the last 1000 ended on a worker, ms on it. */
  waitMs: Quantiles
  runMs: Quantiles
  /** Busy worker time over live worker time since `since`, 0..1. */
  utilisation: number
  workers: number
}

/** One pool for the overview stream: its status and metrics. */
export interface PoolsOverview {
  enabled: boolean
  ipc: boolean
  pools: Array<PoolStatus & { metrics: PoolMetrics }>
  notices: string[]
}

// ---------------------------------------------------------- on the wire

/** The payload of Proctor's request to a worker (docs/ipc-protocol.md, "Tasks"). */
export interface TaskRequest {
  task: { id: string; attempt: number; payload: unknown }
}

/** A worker's answer: its handler's result, or its error with message and stack. */
export type TaskResponse = { ok: true; result: unknown } | { ok: false; error: { name?: string; message: string; stack?: string } }

/** What every worker's program name starts with; no program of the user's may. */
export const WORKER_PREFIX = 'pool.'

/** A worker's program name: `pool.<pool>.<n>`. */
export function workerName(poolId: string, n: number): string {
  return `${WORKER_PREFIX}${poolId}.${n}`
}

/** Env a worker finds (besides PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN). */
export const POOL_ENV = { pool: 'PROCTOR_POOL', heartbeat: 'PROCTOR_POOL_HEARTBEAT_MS' } as const

export type { Quantiles }
