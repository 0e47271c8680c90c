import { describe, expect, it } from 'vitest'
import { PoolStats } from '../../../src/main/core/pools/poolStats'

describe("a pool's counters", () => {
  it('counts tasks by how they ended, retries and restarts', () => {
    const s = new PoolStats(0)
    for (let i = 0; i < 5; i++) s.submitted()
    s.ended('done', 10, 100)
    s.ended('failed', 20, 100)
    s.ended('timed_out', 30, 100)
    s.ended('cancelled', undefined, 100)
    s.retried()
    s.restarted()
    expect(s.snapshot('p', { queueDepth: 1, running: 0, workers: 2 }, 1000)).toMatchObject({
      poolId: 'p',
      since: 0,
      submitted: 5,
      completed: 1,
      failed: 1,
      timedOut: 1,
      cancelled: 1,
      retries: 1,
      restarts: 1,
      queueDepth: 1,
      workers: 2,
      runMs: { p50: 20, p95: 30, p99: 30 },
    })
  })

  it('throughput: tasks ended over the last minute (or since the start, at least a second)', () => {
    const s = new PoolStats(0)
    for (let i = 0; i < 10; i++) s.ended('done', 1, 500)
    expect(s.snapshot('p', { queueDepth: 0, running: 0, workers: 1 }, 2000).throughput).toBe(5)
    // A minute later they are out of the window.
    expect(s.snapshot('p', { queueDepth: 0, running: 0, workers: 1 }, 61_000).throughput).toBe(0)
  })

  it('utilisation: busy worker time over live worker time', () => {
    const s = new PoolStats(0)
    s.tick(0, 0, 0)
    // 2 live, 1 busy for 1 s; then 2 live, 2 busy for 1 s.
    s.tick(2, 1, 1000)
    s.tick(2, 2, 2000)
    expect(s.snapshot('p', { queueDepth: 0, running: 0, workers: 2 }, 2000).utilisation).toBeCloseTo(0.75)
    expect(new PoolStats(0).snapshot('p', { queueDepth: 0, running: 0, workers: 0 }, 10).utilisation).toBe(0)
  })
})
