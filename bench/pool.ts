/**
 * The pool case (`npm run bench -- --cases pool`): no-op tasks through a
 * 4-worker Proctor pool, against, in the same run,
 *
 * - raw: the same 4 workers (same serveTasks handler, same broker), one
 *   request/response loop per worker straight over the broker, without the
 *   pool's queue, balancer, timers and bookkeeping (target: the pool at
 *   least 70 % of it);
 * - workerpool (npm) with workerType 'process' and 4 workers, the peer
 *   (target: at least its throughput), when it is installed (`npm i -D
 *   workerpool`; WORKERPOOL_PATH may name it elsewhere).
 *
 * The owner engine runs in this process, as `proctor daemon` would; tasks
 * are submitted to the pool service's handlers (no transport), all at once,
 * and awaited. Dispatch overhead: the pool's extra wall time per task over
 * raw, times the workers. Rounds alternate; medians are reported.
 */
import { buildSync } from 'esbuild'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrokerService } from '../src/main/core/broker/brokerService'
import { takeOwnership } from '../src/main/core/owner/ownership'
import type { PoolService } from '../src/main/core/pools/poolService'
import type { Caller } from '../src/shared/types/caller'
import { writeFileSync } from 'node:fs'
import { loadAverage, median, round2 } from './measure'

export interface PoolBenchOptions {
  rounds: number
  tasks: number
}

export function poolOptions(quick: boolean): PoolBenchOptions {
  return quick ? { rounds: 3, tasks: 5000 } : { rounds: 5, tasks: 20_000 }
}

export interface PoolBenchEnv {
  makeTempDir: () => string
  log: (m: string) => void
}

const WORKERS = 4
const caller: Caller = { kind: 'cli', detail: 'bench' }

interface WorkerPoolLike {
  exec(method: string, params: unknown[]): Promise<unknown>
  terminate(force?: boolean): Promise<unknown>
}

function loadWorkerpool(): { pool(script: string, options: Record<string, unknown>): WorkerPoolLike; path: string } | undefined {
  const require = createRequire(import.meta.url)
  const path = process.env.WORKERPOOL_PATH ?? 'workerpool'
  try {
    const resolved = require.resolve(path)
    return { ...(require(resolved) as { pool(script: string, options: Record<string, unknown>): WorkerPoolLike }), path: resolved }
  } catch {
    return undefined
  }
}

export async function runPoolCase(o: PoolBenchOptions, env: PoolBenchEnv): Promise<Record<string, unknown>> {
  const { log } = env
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const out = env.makeTempDir()
  const worker = join(out, 'poolWorker.cjs')
  buildSync({ entryPoints: [join(repoRoot, 'bench/poolWorker.ts')], outfile: worker, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' })

  const dataDir = env.makeTempDir()
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, settings: { enableIPC: true, enablePooling: true } }))
  const owner = await takeOwnership({ dataDir, runtimeDir: join(env.makeTempDir(), 'rt'), kind: 'daemon', engineOptions: { version: 'bench', backgroundMetrics: false, log } })
  const pools = owner.engine.pools as PoolService
  const broker = owner.engine.broker as BrokerService
  const wp = loadWorkerpool()
  let peer: WorkerPoolLike | undefined
  try {
    await pools.handlers.createPool(
      { poolId: 'bench', config: { workerCommand: process.execPath, workerArgs: [worker], minWorkers: WORKERS, maxWorkers: WORKERS, scalingStrategy: 'fixed', maxQueueSize: o.tasks, maxTasksPerWorker: 0, env: {} } },
      caller,
    )
    const names = await waitReady(pools)

    // This process's CPU per task (the engine: broker and pool; it does nothing else meanwhile): steadier than wall time on a busy machine.
    const cpu = { pool: [] as number[], raw: [] as number[] }
    const cpuUs = () => {
      const u = process.cpuUsage()
      return u.user + u.system
    }
    const viaPool = async (n: number): Promise<number> => {
      const c0 = cpuUs()
      const t0 = performance.now()
      const ids: string[] = []
      for (let i = 0; i < n; i++) ids.push((pools.handlers.submitTaskToPool({ poolId: 'bench', payload: null, priority: 0 }, caller) as { taskId: string }).taskId)
      const views = await Promise.all(ids.map((taskId) => pools.handlers.awaitTask({ taskId, timeoutMs: 600_000 }, caller)))
      const ms = performance.now() - t0
      if (views.some((v) => v.state !== 'done')) throw new Error('a bench task did not end done')
      cpu.pool.push((cpuUs() - c0) / n)
      return n / (ms / 1000)
    }
    const raw = async (n: number): Promise<number> => {
      const c0 = cpuUs()
      const t0 = performance.now()
      let next = 0
      await Promise.all(
        names.map(async (name) => {
          while (next < n) {
            const i = next++
            await broker.request(`p:${name}`, { task: { id: `raw/${i}`, attempt: 1, payload: null } }, 30_000)
          }
        }),
      )
      cpu.raw.push((cpuUs() - c0) / n)
      return n / ((performance.now() - t0) / 1000)
    }
    const viaWorkerpool = async (n: number): Promise<number> => {
      const t0 = performance.now()
      await Promise.all(Array.from({ length: n }, () => peer!.exec('noop', [])))
      return n / ((performance.now() - t0) / 1000)
    }
    if (wp) {
      // The peer's worker: the same no-op, as workerpool runs it.
      const peerWorker = join(out, 'workerpoolWorker.cjs')
      writeFileSync(peerWorker, `require(${JSON.stringify(wp.path)}).worker({ noop: () => null })\n`)
      peer = wp.pool(peerWorker, { workerType: 'process', minWorkers: WORKERS, maxWorkers: WORKERS })
    } else {
      log('pool: workerpool is not installed (npm i -D workerpool): the peer is left out')
    }

    // Warm-up (not counted): the JIT on every path, the workers' too.
    await raw(Math.min(2000, o.tasks))
    await viaPool(Math.min(2000, o.tasks))
    if (peer) await viaWorkerpool(Math.min(2000, o.tasks))

    const runs = { pool: [] as number[], raw: [] as number[], workerpool: [] as number[] }
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? (['raw', 'pool', 'workerpool'] as const) : (['workerpool', 'pool', 'raw'] as const)
      for (const mode of order) {
        if (mode === 'raw') runs.raw.push(await raw(o.tasks))
        else if (mode === 'pool') runs.pool.push(await viaPool(o.tasks))
        else if (peer) runs.workerpool.push(await viaWorkerpool(o.tasks))
      }
      log(
        `pool round ${r + 1}/${o.rounds}: ${Math.round(runs.pool.at(-1)!)} tasks/s via the pool, ${Math.round(runs.raw.at(-1)!)} raw` +
          (peer ? `, ${Math.round(runs.workerpool.at(-1)!)} workerpool` : ''),
      )
    }
    const poolTput = median(runs.pool)
    const rawTput = median(runs.raw)
    const metrics = pools.handlers.getPoolMetrics({ poolId: 'bench' }, caller) as { waitMs: { p50: number; p99: number }; runMs: { p50: number; p99: number } }
    return {
      case: 'pool',
      workers: WORKERS,
      tasks_per_round: o.tasks,
      rounds: o.rounds,
      throughput_tasks_s: Math.round(poolTput),
      raw_throughput_tasks_s: Math.round(rawTput),
      throughput_vs_raw: round2(poolTput / rawTput),
      // Wall time the pool adds per task on a worker: what a worker waits for its next task beyond a bare round trip.
      dispatch_overhead_us: round2(Math.max(0, (WORKERS * 1e6) / poolTput - (WORKERS * 1e6) / rawTput)),
      engine_cpu_us_per_task: round2(median(cpu.pool)),
      raw_engine_cpu_us_per_task: round2(median(cpu.raw)),
      ...(peer
        ? { workerpool_throughput_tasks_s: Math.round(median(runs.workerpool)), throughput_vs_workerpool: round2(poolTput / median(runs.workerpool)) }
        : { workerpool: 'not installed' }),
      run_p50_ms: round2(metrics.runMs.p50),
      run_p99_ms: round2(metrics.runMs.p99),
      load_1m: loadAverage(),
    }
  } finally {
    await peer?.terminate(true)
    await owner.close()
  }
}

async function waitReady(pools: PoolService): Promise<string[]> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const s = pools.handlers.getPoolStatus({ poolId: 'bench' }, caller) as { workers: Array<{ name: string; state: string }> }
    if (s.workers.filter((w) => w.state === 'idle').length === WORKERS) return s.workers.map((w) => w.name)
    if (Date.now() > deadline) throw new Error('the bench pool did not get 4 idle workers within 30 s')
    await new Promise((r) => setTimeout(r, 50))
  }
}

export const POOL_TARGETS = { minThroughputVsRaw: 0.7, minThroughputVsWorkerpool: 1 }

export function judgePool(line: Record<string, unknown>, log: (m: string) => void): void {
  const num = (k: string) => (typeof line[k] === 'number' ? (line[k] as number) : NaN)
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  log(
    `pool: ${verdict(num('throughput_vs_raw') >= POOL_TARGETS.minThroughputVsRaw)} throughput ${num('throughput_tasks_s')} tasks/s = ` +
      `${num('throughput_vs_raw')} x raw (${num('raw_throughput_tasks_s')} tasks/s) >= ${POOL_TARGETS.minThroughputVsRaw}; dispatch overhead ${num('dispatch_overhead_us')} us a task`,
  )
  if (typeof line.throughput_vs_workerpool === 'number') {
    log(
      `pool: ${verdict(num('throughput_vs_workerpool') >= POOL_TARGETS.minThroughputVsWorkerpool)} throughput ${num('throughput_vs_workerpool')} x workerpool ` +
        `(${num('workerpool_throughput_tasks_s')} tasks/s) >= ${POOL_TARGETS.minThroughputVsWorkerpool}`,
    )
  }
}
