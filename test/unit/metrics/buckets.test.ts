import { describe, expect, it } from 'vitest'
import { BucketCounts } from '../../../src/shared/pools/buckets'

describe('BucketCounts', () => {
  it('counts each observation under every bound at or above it, as Prometheus buckets are cumulative', () => {
    const b = new BucketCounts([0.1, 1, 10])
    for (const s of [0.05, 0.1, 0.5, 3, 60]) b.observe(s)
    expect(b.read()).toEqual({ bounds: [0.1, 1, 10], cumulative: [2, 3, 4], sum: 63.65, count: 5 })
  })

  it('leaves out what a clock step can give: negative or non-finite durations', () => {
    const b = new BucketCounts([1])
    b.observe(-0.5)
    b.observe(Number.NaN)
    b.observe(Number.POSITIVE_INFINITY)
    expect(b.read()).toEqual({ bounds: [1], cumulative: [0], sum: 0, count: 0 })
  })
})
