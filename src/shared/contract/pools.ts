import { z } from 'zod'
import { poolConfigSchema, poolIdSchema, type PoolDefinition, type PoolMetrics, type PoolsOverview, type PoolStatus, type TaskView } from '../pools/pool'
import { call, noArgs, stream } from './spec'

/*
 * Worker pools: sets of supervised worker processes connected through the
 * IPC broker, taking tasks from a bounded queue. Only the owner runs them;
 * another engine forwards these calls to it. createPool, scalePool and
 * submitTaskToPool answer UNAVAILABLE, saying which switch to turn on,
 * while enablePooling or enableIPC is off (the others work: a pool can be
 * looked at and removed while off). Task ids are `<poolId>/<n>`.
 */

const pool = z.strictObject({ poolId: poolIdSchema })
const taskId = z.string().min(3).max(100)
/** Any JSON value; its encoded size is checked against the broker's frame limit when sent. */
const payload = z.json()

export const poolCalls = {
  createPool: call<PoolStatus>()(
    z.strictObject({ poolId: poolIdSchema, config: poolConfigSchema }),
    "Create a pool and start its minWorkers workers; fields left out take the settings' poolConfig defaults. Persisted.",
  ),
  removePool: call<{ removed: string; drained: boolean; cancelled: number }>()(
    z.strictObject({ poolId: poolIdSchema, force: z.boolean().default(false) }),
    'Remove a pool: refuses new tasks, waits for running and queued ones (drain), then stops its workers; with force, cancels them and stops at once.',
  ),
  scalePool: call<PoolStatus>()(
    z.strictObject({ poolId: poolIdSchema, targetSize: z.number().int().min(0).max(256) }),
    'Set the number of workers, within minWorkers..maxWorkers (INVALID_ARGUMENT outside).',
  ),
  submitTaskToPool: call<{ taskId: string; poolId: string; queued: number }>()(
    z.strictObject({
      poolId: poolIdSchema,
      payload,
      /** ms on a worker before TIMEOUT; default the pool's taskTimeout. */
      timeout: z.number().int().min(1).max(3_600_000).optional(),
      /** Higher runs first; first in, first out within a priority. */
      priority: z.number().int().min(-1000).max(1000).default(0),
    }),
    'Queue a task; its id. QUEUE_FULL when maxQueueSize tasks wait already.',
  ),
  getTask: call<TaskView>()(z.strictObject({ taskId }), "A task's state, attempts, and its result or error once it ended (finished tasks are kept for a while)."),
  awaitTask: call<TaskView>()(
    z.strictObject({ taskId, timeoutMs: z.number().int().min(1).max(3_600_000).default(60_000) }),
    'Wait until the task ends; its final view. TIMEOUT (the task goes on) when it has not ended within timeoutMs.',
  ),
  cancelTask: call<{ cancelled: boolean; task: TaskView }>()(
    z.strictObject({ taskId }),
    'Cancel a queued or running task (a running one is abandoned: its result is dropped); cancelled false when it had ended already.',
  ),
  getPoolStatus: call<PoolStatus>()(pool, 'A pool: its definition, state, and each worker with its state, current task, tasks done, CPU, memory and restarts.'),
  getPoolMetrics: call<PoolMetrics>()(pool, 'Throughput, queue depth, wait and run time p50/p95/p99, failures, timeouts, retries, restarts, utilisation.'),
  getAllPools: call<{ enabled: boolean; ipc: boolean; pools: PoolStatus[]; notices: string[] }>()(noArgs, 'Every pool with its status; whether pooling and IPC are on.'),
} as const

export const poolStreams = {
  subscribeToPools: stream<PoolsOverview>()(noArgs, 'Every pool with its status and metrics, on each change (at most every 250 ms) and every refresh while watched.'),
} as const

export type { PoolDefinition }
