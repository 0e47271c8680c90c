import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTerminal, type TaskView } from '../../src/shared/pools/pool'
import { tempDir } from '../helpers/tempDir'
import { poolOwner, workerConfig, type PoolOwner } from '../integration/pools/harness'
import { figure, scaled } from './figures'

/*
 * 10,000 tasks (100,000 under test:reliability) through a dynamic pool while workers are killed at random
 * every few hundred ms: every task ends in exactly one terminal state, the
 * counts add up, and no task ran more often than its attempts say (each
 * run is logged by the worker itself).
 */

let o: PoolOwner
beforeAll(async () => {
  o = await poolOwner()
})
afterAll(() => o?.close())

const TASKS = scaled(10_000, 100_000)

describe('under fire', () => {
  it(`${TASKS} tasks, workers killed at random: every task in exactly one terminal state, none lost, none run twice unless retried`, async () => {
    const runLog = join(tempDir('pl-'), 'runs.log')
    await o.api.createPool({
      poolId: 'stress',
      config: workerConfig({ minWorkers: 2, maxWorkers: 6, maxQueueSize: TASKS, retries: 5, env: { POOL_RUN_LOG: runLog } }),
    })
    let kills = 0
    let killing = true
    const killer = (async () => {
      while (killing) {
        await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 300)))
        if (!killing) break
        const s = await o.api.getPoolStatus({ poolId: 'stress' })
        const victims = s.workers.filter((w) => w.pid !== undefined && (w.state === 'busy' || w.state === 'idle'))
        // One ready worker is always spared: on a loaded machine restarts are slow, and a pool killed faster than it
        // restarts would only test the machine's patience.
        if (victims.length < 2) continue
        const v = victims[Math.floor(Math.random() * victims.length)]!
        try {
          process.kill(v.pid!, 'SIGKILL')
          kills++
        } catch {
          // gone already
        }
      }
    })()
    const ids: string[] = []
    for (let i = 0; i < TASKS; i++) ids.push((await o.api.submitTaskToPool({ poolId: 'stress', payload: { op: i % 50 === 0 ? 'sleep' : 'echo', ms: 20, value: i } })).taskId)
    const views: TaskView[] = await Promise.all(ids.map((taskId) => o.api.awaitTask({ taskId, timeoutMs: 900_000 })))
    killing = false
    await killer
    expect(kills).toBeGreaterThan(3)

    expect(new Set(ids).size).toBe(TASKS)
    const byState: Record<string, number> = {}
    for (const v of views) {
      expect(isTerminal(v.state)).toBe(true)
      byState[v.state] = (byState[v.state] ?? 0) + 1
    }
    const m = await o.api.getPoolMetrics({ poolId: 'stress' })
    expect(m.submitted).toBe(TASKS)
    expect(m.completed + m.failed + m.timedOut + m.cancelled).toBe(TASKS)
    expect(m.completed).toBe(byState.done ?? 0)
    expect(m.failed).toBe(byState.failed ?? 0)
    expect(m.queueDepth + m.running).toBe(0)
    // Nothing may be failed for any reason but its workers dying under it, each time.
    for (const v of views.filter((x) => x.state === 'failed')) expect(v.error?.code).toBe('WORKER_DIED')
    expect(byState.done).toBeGreaterThan(TASKS * 0.95)
    // Each result is its own task's.
    views.forEach((v, i) => v.state === 'done' && expect((v.result as { value: number }).value).toBe(i))

    // The workers' own record of what they ran: a task runs at most once per attempt, never more than its attempts.
    const runs = new Map<string, number[]>()
    for (const line of readFileSync(runLog, 'utf8').split('\n')) {
      if (!line) continue
      const [id, attempt] = line.split(' ')
      const list = runs.get(id!) ?? []
      list.push(Number(attempt))
      runs.set(id!, list)
    }
    let retried = 0
    figure('pools under chaos', { tasks: TASKS, worker_kills: kills, done: byState.done ?? 0, failed_worker_died: byState.failed ?? 0, retries: m.retries, restarts: m.restarts, lost: TASKS - views.length })
    for (const v of views) {
      const seen = runs.get(v.id) ?? []
      expect(new Set(seen).size, `${v.id} ran twice in one attempt`).toBe(seen.length)
      expect(Math.max(0, ...seen)).toBeLessThanOrEqual(v.attempts)
      if (v.state === 'done') expect(seen).toContain(v.attempts)
      if (v.attempts > 1) retried++
    }
    expect(m.retries).toBe(views.reduce((n, v) => n + Math.max(0, v.attempts - 1), 0))
    expect(retried).toBeGreaterThan(0)
    expect(m.restarts).toBeGreaterThan(0)
  }, 1_000_000)
})
