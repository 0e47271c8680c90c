import { describe, expect, it } from 'vitest'
import { aggregateSeries, nearestRank } from '../../../src/shared/system/aggregate'

describe('nearestRank', () => {
  it('is the value at rank ceil(p/100 x n) of the sorted values', () => {
    const oneToHundred = Float64Array.from({ length: 100 }, (_, i) => i + 1)
    expect(nearestRank(oneToHundred, 95)).toBe(95)
    expect(nearestRank(oneToHundred, 100)).toBe(100)
    expect(nearestRank(oneToHundred, 0)).toBe(1)
    // 20 values: rank 19. 10 values: rank ceil(9.5) = 10, the maximum.
    expect(nearestRank(Float64Array.from({ length: 20 }, (_, i) => i * 10), 95)).toBe(180)
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10)
    expect(nearestRank([7], 95)).toBe(7)
    expect(nearestRank([], 95)).toBeUndefined()
  })
})

describe('aggregateSeries', () => {
  it('gives min, max, mean and p95 of a known series', () => {
    const values = [5, 1, 4, 2, 3]
    expect(aggregateSeries(values)).toEqual({ min: 1, max: 5, avg: 3, p95: 5, count: 5 })
    const ramp = Array.from({ length: 200 }, (_, i) => 199 - i)
    expect(aggregateSeries(ramp)).toEqual({ min: 0, max: 199, avg: 99.5, p95: 189, count: 200 })
  })

  it('skips nulls and NaN (no value) without counting them', () => {
    expect(aggregateSeries([null, 10, NaN, 20, null])).toEqual({ min: 10, max: 20, avg: 15, p95: 20, count: 2 })
    expect(aggregateSeries(new Float64Array([NaN, 0.5, NaN]))).toEqual({ min: 0.5, max: 0.5, avg: 0.5, p95: 0.5, count: 1 })
  })

  it('gives nulls for a series with no value at all', () => {
    expect(aggregateSeries([])).toEqual({ min: null, max: null, avg: null, p95: null, count: 0 })
    expect(aggregateSeries([null, NaN])).toEqual({ min: null, max: null, avg: null, p95: null, count: 0 })
  })

  it('handles negative numbers and a spike', () => {
    const series = [...Array(99).fill(-1), 1000]
    const a = aggregateSeries(series)
    expect(a.min).toBe(-1)
    expect(a.max).toBe(1000)
    expect(a.p95).toBe(-1)
    expect(a.avg).toBeCloseTo((-99 + 1000) / 100, 12)
  })
})
