import { describe, expect, it } from 'vitest'
import { formatPoolDetail, formatPoolList, formatTask } from '../../../src/main/cli/poolsFormat'
import type { PoolMetrics, PoolStatus } from '../../../src/shared/pools/pool'

const pool: PoolStatus = {
  id: 'thumbs',
  name: 'Thumbnails',
  state: 'running',
  targetSize: 2,
  queued: 3,
  running: 1,
  definition: {
    id: 'thumbs',
    name: 'Thumbnails',
    workerCommand: 'node',
    workerArgs: ['worker.js'],
    env: {},
    minWorkers: 1,
    maxWorkers: 4,
    scalingStrategy: 'dynamic',
    loadBalancing: 'least_busy',
    taskTimeout: 30_000,
    workerIdleTimeout: 30_000,
    maxQueueSize: 1000,
    maxTasksPerWorker: 0,
    retries: 2,
    createdAt: 0,
  },
  workers: [
    { name: 'pool.thumbs.1', state: 'busy', pid: 4242, currentTask: 'thumbs/7', tasksDone: 12, tasksFailed: 1, cpu: 97.5, memory: 50 * 1024 * 1024, restarts: 0, since: 0, reason: 'ready' },
    { name: 'pool.thumbs.2', state: 'starting', tasksDone: 0, tasksFailed: 0, restarts: 1, since: 0, reason: 'spawned' },
  ],
}
const metrics: PoolMetrics = {
  poolId: 'thumbs',
  since: 0,
  submitted: 20,
  completed: 12,
  failed: 1,
  timedOut: 0,
  cancelled: 0,
  retries: 0,
  restarts: 1,
  queueDepth: 3,
  running: 1,
  throughput: 0.25,
  waitMs: { p50: 1, p95: 40, p99: 50 },
  runMs: { p50: 120, p95: 1500, p99: 2000 },
  utilisation: 0.5,
  workers: 2,
}

describe('pools as text', () => {
  it('lists pools in aligned columns, and says when pools or IPC are off', () => {
    expect(formatPoolList({ enabled: true, ipc: true, pools: [pool], notices: [] }).split('\n')).toEqual([
      'ID      NAME        STATE    WORKERS     QUEUED  RUNNING  STRATEGY  COMMAND',
      'thumbs  Thumbnails  running  1/2 (1..4)       3        1  dynamic   node worker.js',
    ])
    expect(formatPoolList({ enabled: false, ipc: true, pools: [], notices: [] })).toBe('worker pools are off: no pool runs; `proctor pools on` turns them on (and IPC, which they need)\nno pools')
    expect(formatPoolList({ enabled: true, ipc: false, pools: [], notices: ['a notice'] }).split('\n').slice(0, 2)).toEqual([
      'IPC is off: worker pools need the broker, so none runs; `proctor pools on` turns them on (and IPC, which they need)',
      'a notice',
    ])
  })

  it('shows a pool with its metrics and workers', () => {
    const lines = formatPoolDetail(pool, metrics).split('\n')
    expect(lines[0]).toBe('thumbs (Thumbnails): running')
    expect(lines[2]).toBe('workers: 1 ready of 2 wanted, 1..4, dynamic, least_busy')
    expect(lines).toContain('  throughput 0.25/s, run p50 120 ms p95 1.5 s p99 2.0 s, wait p95 40 ms, utilisation 50.0%')
    expect(lines.at(-3)).toMatch(/^WORKER\s+STATE\s+PID\s+TASK\s+DONE\s+FAILED\s+CPU\s+MEMORY\s+RESTARTS$/)
    expect(lines.at(-2)).toMatch(/^pool\.thumbs\.1\s+busy\s+4242\s+thumbs\/7\s+12\s+1\s+97\.5%\s+50\.0 MiB\s+0$/)
    expect(lines.at(-1)).toMatch(/^pool\.thumbs\.2\s+starting\s+–\s+–\s+0\s+0\s+–\s+–\s+1$/)
  })

  it('says a task: its result as JSON, or its error', () => {
    expect(formatTask({ id: 'p/1', poolId: 'p', state: 'done', priority: 0, submittedAt: 0, startedAt: 5, endedAt: 25, attempts: 1, worker: 'pool.p.1', result: { ok: 1 } })).toBe(
      'p/1: done, on pool.p.1, waited 5 ms, ran 20 ms\n{"ok":1}',
    )
    expect(formatTask({ id: 'p/2', poolId: 'p', state: 'failed', priority: 0, submittedAt: 0, attempts: 3, error: { code: 'WORKER_DIED', message: 'exit 3' } })).toBe(
      'p/2: failed, 3 attempts\nWORKER_DIED: exit 3',
    )
    expect(formatTask({ id: 'p/3', poolId: 'p', state: 'queued', priority: 0, submittedAt: 0, attempts: 0 })).toBe('p/3: queued')
  })
})
