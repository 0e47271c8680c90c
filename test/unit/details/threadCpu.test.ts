import { describe, expect, it } from 'vitest'
import { ThreadCpu } from '../../../src/main/core/details/threadCpu'

describe('thread CPU % between readings', () => {
  it('measures the first reading over each thread’s life, the next ones since the previous reading', () => {
    let now = 10_000
    const cpu = new ThreadCpu(() => now)
    const first = cpu.measure('42:1', [
      { tid: 42, cpuMs: 1000, startTime: 0 }, // 1 s of CPU over 10 s
      { tid: 43, cpuMs: 5000, startTime: 5000 }, // 5 s over 5 s: a busy thread
    ])
    expect(first.basis).toBe('lifetime')
    expect(first.percent.get(42)).toBeCloseTo(10)
    expect(first.percent.get(43)).toBeCloseTo(100)

    now = 12_000
    const second = cpu.measure('42:1', [
      { tid: 42, cpuMs: 1000, startTime: 0 },
      { tid: 43, cpuMs: 6000, startTime: 5000 },
      { tid: 44, cpuMs: 500, startTime: 11_000 }, // new since: over its own life
    ])
    expect(second.basis).toBe('interval')
    expect(second.percent.get(42)).toBe(0)
    expect(second.percent.get(43)).toBeCloseTo(50)
    expect(second.percent.get(44)).toBeCloseTo(50)
  })

  it('keeps processes apart, and starts over after a long pause', () => {
    let now = 1000
    const cpu = new ThreadCpu(() => now)
    cpu.measure('1:1', [{ tid: 1, cpuMs: 0, startTime: 0 }])
    expect(cpu.measure('2:1', [{ tid: 2, cpuMs: 0, startTime: 0 }]).basis).toBe('lifetime')
    now += 60_000
    expect(cpu.measure('1:1', [{ tid: 1, cpuMs: 100, startTime: 0 }]).basis).toBe('lifetime')
  })

  it('never gives more than one core, nor a negative figure for a counter that went back', () => {
    let now = 0
    const cpu = new ThreadCpu(() => now)
    cpu.measure('k', [{ tid: 1, cpuMs: 1000, startTime: -1000 }])
    now = 100
    expect(cpu.measure('k', [{ tid: 1, cpuMs: 5000, startTime: -1000 }]).percent.get(1)).toBe(100)
    now = 200
    expect(cpu.measure('k', [{ tid: 1, cpuMs: 10, startTime: -1000 }]).percent.get(1)).toBe(0)
  })
})
