import type { Registry } from 'prom-client'
import type { BucketReading } from '../../../shared/pools/buckets'
import type { PoolMetrics, PoolsOverview, WorkerState } from '../../../shared/pools/pool'
import { counter, gauge, histogram, type Series } from './family'
import { perScrape, type Readings } from './readings'

const WORKER_STATES: readonly WorkerState[] = ['starting', 'idle', 'busy', 'restarting', 'stopping', 'failed']
const OUTCOMES = [
  ['done', 'completed'],
  ['failed', 'failed'],
  ['timed_out', 'timedOut'],
  ['cancelled', 'cancelled'],
] as const satisfies ReadonlyArray<readonly [string, keyof PoolMetrics]>

/** What the families read of the pools. */
export interface PoolsSource {
  overview(): PoolsOverview
  histograms(): Array<{ poolId: string; wait: BucketReading; run: BucketReading }>
}

/** Worker pools, labelled by pool id (bounded: pools are what the user created). */
export function registerPoolFamilies(registry: Registry, pools: PoolsSource, now: () => Readings): void {
  const overview = perScrape(now, () => pools.overview().pools)
  const each = (pick: (m: PoolMetrics) => number) => (): Series[] => overview().map((p) => ({ labels: { pool: p.id }, value: pick(p.metrics) }))

  gauge(registry, 'proctor_pool_queue_depth', 'Tasks waiting in each pool’s queue.', ['pool'], each((m) => m.queueDepth))
  gauge(registry, 'proctor_pool_tasks_running', 'Tasks running on each pool’s workers.', ['pool'], each((m) => m.running))
  counter(registry, 'proctor_pool_tasks_submitted_total', 'Tasks submitted to each pool.', ['pool'], each((m) => m.submitted))
  counter(registry, 'proctor_pool_tasks_total', 'Tasks ended in each pool, by outcome.', ['pool', 'outcome'], function* () {
    for (const p of overview()) for (const [outcome, field] of OUTCOMES) yield { labels: { pool: p.id, outcome }, value: p.metrics[field] }
  })
  counter(registry, 'proctor_pool_task_retries_total', 'Tasks of each pool tried again after their worker died.', ['pool'], each((m) => m.retries))
  counter(registry, 'proctor_pool_worker_restarts_total', 'Worker restarts and replacements in each pool.', ['pool'], each((m) => m.restarts))
  gauge(registry, 'proctor_pool_workers', 'Workers of each pool, by state.', ['pool', 'state'], function* () {
    for (const p of overview()) {
      for (const state of WORKER_STATES) yield { labels: { pool: p.id, state }, value: p.workers.filter((w) => w.state === state).length }
    }
  })
  histogram(registry, 'proctor_pool_task_wait_seconds', 'Seconds each pool’s tasks waited in the queue before their first run.', () =>
    pools.histograms().map((h) => ({ labels: { pool: h.poolId }, buckets: h.wait })),
  )
  histogram(registry, 'proctor_pool_task_run_seconds', 'Seconds each pool’s tasks ran on a worker.', () =>
    pools.histograms().map((h) => ({ labels: { pool: h.poolId }, buckets: h.run })),
  )
}
