import { describe, expect, it } from 'vitest'
import { after, slackFor } from '../../../src/main/core/health/roundClock'

describe('roundClock', () => {
  it('runs calls due a few ms apart in one wake-up, none before its delay nor cancelled ones', async () => {
    // Calls that run in one wake-up have no microtask between them; separate timers have one each.
    let wakeUps = 0
    let inWakeUp = false
    const began = performance.now()
    const late: number[] = []
    const ran: number[] = []
    const cancels = Array.from({ length: 10 }, (_, i) =>
      after(100 + i, 32, () => {
        if (!inWakeUp) {
          inWakeUp = true
          wakeUps += 1
          queueMicrotask(() => (inWakeUp = false))
        }
        ran.push(i)
        late.push(performance.now() - began - (100 + i))
      }),
    )
    cancels[3]?.()
    await new Promise((r) => setTimeout(r, 400))
    expect(ran.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9])
    // Ten calls 1 ms apart on a 32 ms grid: one mark, two if a mark falls between them.
    expect(wakeUps).toBeLessThanOrEqual(2)
    for (const ms of late) expect(ms).toBeGreaterThanOrEqual(-1)
  })

  it('is at most 1/32 of the delay late, and never a second', () => {
    expect(slackFor(30_000)).toBe(937)
    expect(slackFor(3_600_000)).toBe(1000)
    expect(slackFor(1000)).toBe(31)
    expect(slackFor(10)).toBe(1)
  })
})
