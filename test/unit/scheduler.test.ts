import { describe, expect, it } from 'vitest'
import { nextDelay } from '../../src/main/core/scheduler'

describe('the next run of a scheduled task', () => {
  it('comes an interval after the last one started, less the time it ran', () => {
    expect(nextDelay(1000, 1030, 1000)).toBe(970)
    expect(nextDelay(1000, 2500, 1000)).toBe(0)
  })

  it('on a shared grid, lands on the grid: late starts do not shift the cadence', () => {
    const grid = { originMs: 5000 }
    // On the grid, started 40 ms late (a busy event loop), ran 10 ms: next at the following grid point.
    expect(nextDelay(6040, 6050, 1000, grid)).toBe(950)
    // Two streams started at different moments end up waking together.
    const a = 5010 + nextDelay(5003, 5010, 1000, grid)
    const b = 5300 + nextDelay(5300, 5300, 1000, grid)
    expect([a, b]).toEqual([6000, 6000])
  })

  it('joins the grid from any phase within half an interval of its own cadence', () => {
    const grid = { originMs: 0 }
    for (let phase = 0; phase < 1000; phase += 50) {
      const gap = nextDelay(10_000 + phase, 10_000 + phase, 1000, grid)
      expect(gap).toBeGreaterThanOrEqual(500)
      expect(gap).toBeLessThanOrEqual(1500)
      expect((10_000 + phase + gap) % 1000).toBe(0)
    }
  })
})
