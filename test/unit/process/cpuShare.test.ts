import { describe, expect, it } from 'vitest'
import { cpuSharePercent } from '../../../src/shared/system/cpu'

describe('cpuSharePercent', () => {
  it('is the busy share of the interval', () => {
    expect(cpuSharePercent({ busy: 100, total: 1000 }, { busy: 350, total: 2000 })).toBe(25)
  })
  it('gives null for an empty interval and 0 for counters that went backwards', () => {
    expect(cpuSharePercent({ busy: 1, total: 10 }, { busy: 2, total: 10 })).toBeNull()
    expect(cpuSharePercent({ busy: 500, total: 1000 }, { busy: 100, total: 2000 })).toBe(0)
  })
})
