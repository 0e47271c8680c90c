import { describe, expect, it } from 'vitest'
import { metricsWindowSchema, resolveMetricsWindow } from '../../../src/shared/system/ranges'
import { describeIssues } from '../../../src/shared/errors'
import { METRICS_RANGES } from '../../../src/shared/types/system'

const problem = (value: unknown) => {
  const r = metricsWindowSchema.safeParse(value)
  return r.success ? undefined : describeIssues(r.error)
}

describe('the metrics window', () => {
  it('accepts nothing, a named range, or from/to', () => {
    for (const ok of [undefined, {}, { range: '5m' }, { from: 1 }, { to: 2 }, { from: 1, to: 1 }]) expect(problem(ok)).toBeUndefined()
    expect(METRICS_RANGES).toEqual(['1m', '5m', '15m', '1h'])
  })

  it('names the field of a bad window', () => {
    expect(problem({ range: '2h' })).toMatch(/^range: /)
    expect(problem({ from: 10, to: 5 })).toBe('from: must not be after to')
    expect(problem({ range: '1m', from: 5 })).toBe('range: give either range or from/to, not both')
    expect(problem({ from: -1 })).toMatch(/^from: /)
    expect(problem({ to: 'now' })).toMatch(/^to: /)
    expect(problem({ since: 5 })).toMatch(/since/)
  })

  it('resolves to from..to against now', () => {
    expect(resolveMetricsWindow({ range: '1m' }, 100_000)).toEqual({ from: 40_000, to: 100_000 })
    expect(resolveMetricsWindow({ range: '1h' }, 4_000_000)).toEqual({ from: 400_000, to: 4_000_000 })
    expect(resolveMetricsWindow({ from: 5 }, 100)).toEqual({ from: 5, to: 100 })
    expect(resolveMetricsWindow(undefined, 100)).toEqual({ from: 0, to: 100 })
  })
})
