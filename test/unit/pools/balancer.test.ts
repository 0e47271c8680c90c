import { describe, expect, it } from 'vitest'
import { pickWorker, type Candidate } from '../../../src/main/core/pools/balancer'

const w = (n: number, free: boolean, tasksDone = 0, freeSince = 0): Candidate => ({ n, free, tasksDone, freeSince })

describe('choosing a worker', () => {
  it('least_busy: a free worker, the least used, then the longest free; none when all are busy', () => {
    expect(pickWorker('least_busy', [w(1, false), w(2, true, 5), w(3, true, 2)], 0)?.n).toBe(3)
    expect(pickWorker('least_busy', [w(1, true, 2, 100), w(2, true, 2, 50)], 0)?.n).toBe(2)
    expect(pickWorker('least_busy', [w(1, false), w(2, false)], 0)).toBeUndefined()
    expect(pickWorker('least_busy', [], 0)).toBeUndefined()
  })

  it('round_robin: the next ready worker after the last one, wrapping round; waits when it is busy', () => {
    const ready = [w(1, true), w(2, true), w(4, true)]
    expect(pickWorker('round_robin', ready, 0)?.n).toBe(1)
    expect(pickWorker('round_robin', ready, 1)?.n).toBe(2)
    expect(pickWorker('round_robin', ready, 2)?.n).toBe(4)
    expect(pickWorker('round_robin', ready, 4)?.n).toBe(1)
    // Worker 3 went away: its turn passes to the next.
    expect(pickWorker('round_robin', ready, 3)?.n).toBe(4)
    expect(pickWorker('round_robin', [w(1, true), w(2, false)], 1)).toBeUndefined()
  })

  it('random: only free workers, spread by the random source', () => {
    const ready = [w(1, true), w(2, false), w(3, true)]
    expect(pickWorker('random', ready, 0, () => 0)?.n).toBe(1)
    expect(pickWorker('random', ready, 0, () => 0.99)?.n).toBe(3)
    expect(pickWorker('random', [w(1, false)], 0, () => 0)).toBeUndefined()
  })
})
