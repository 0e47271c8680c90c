import { describe, expect, it } from 'vitest'
import { cpuFraction, memoryAxis, memoryFraction } from '../../../src/renderer/src/processes/bars'
import { historyRows, niceCeiling } from '../../../src/renderer/src/processes/history'
import { proc } from './fixtures'

describe('row bars', () => {
  it('CPU: a share of one core, clamped, NaN-free', () => {
    expect(cpuFraction(50)).toBe(0.5)
    expect(cpuFraction(250)).toBe(1)
    expect(cpuFraction(-3)).toBe(0)
    expect(cpuFraction(Number.NaN)).toBe(0)
  })

  it('memory: an axis at the next power of two above the largest process, stable under small changes', () => {
    const mib = 1024 * 1024
    const axis = memoryAxis([proc({ memoryBytes: 300 * mib }), proc({ memoryBytes: 20 * mib })])
    expect(axis).toBe(512 * mib)
    expect(memoryAxis([proc({ memoryBytes: 310 * mib })])).toBe(axis)
    expect(memoryFraction(256 * mib, axis)).toBe(0.5)
    expect(memoryAxis([])).toBe(1)
  })
})

describe('details charts', () => {
  it('turns a history into rows, NaN as 0', () => {
    const rows = historyRows({ timestamps: [1, 2, 3], cpuPercent: [1, Number.NaN, 3], memoryBytes: [10, 20, 30] }, 'cpuPercent')
    expect(rows).toEqual([
      { t: 1, v: 1 },
      { t: 2, v: 0 },
      { t: 3, v: 3 },
    ])
    expect(historyRows(undefined, 'memoryBytes')).toEqual([])
  })

  it('rounds an axis top up to 1-2-5 steps, or a power of two for bytes', () => {
    expect(niceCeiling(100, false)).toBe(100)
    expect(niceCeiling(130, false)).toBe(200)
    expect(niceCeiling(340, false)).toBe(500)
    expect(niceCeiling(3_000_000, true)).toBe(4_194_304)
    expect(niceCeiling(0)).toBe(1)
  })
})
