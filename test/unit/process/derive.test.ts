import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { cpuPercent, deriveSnapshot, ratePerSecond } from '../../../src/shared/process/derive'
import type { RawProcess, RawProcessSample } from '../../../src/shared/types/process'

function raw(over: Partial<RawProcess>): RawProcess {
  return {
    pid: 100,
    ppid: 1,
    startTime: 1_000_000,
    name: 'p',
    command: 'p',
    user: 'root',
    uid: 0,
    state: 'running',
    nice: 0,
    priority: 20,
    threads: 1,
    cpuTimeMs: 0,
    memoryBytes: 1024,
    virtualBytes: 4096,
    kernelThread: false,
    ...over,
  }
}

function sample(monotonicMs: number, processes: RawProcess[], timestamp = 2_000_000 + monotonicMs): RawProcessSample {
  return { monotonicMs, timestamp, cpuCount: 2, memoryTotal: 1024 * 1024, processes }
}

describe('cpuPercent', () => {
  it('is top-style: one busy core over the interval is 100', () => {
    expect(cpuPercent(0, 1000, 1000, 4)).toBe(100)
    expect(cpuPercent(0, 500, 1000, 4)).toBe(50)
  })
  it('saturates: backwards counters give 0, a zero interval gives 0, never above cores x 100', () => {
    expect(cpuPercent(500, 100, 1000, 2)).toBe(0)
    expect(cpuPercent(0, 100, 0, 2)).toBe(0)
    expect(cpuPercent(0, 100_000, 1000, 2)).toBe(200)
  })
  it('is never NaN or out of range', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), fc.integer({ min: 1, max: 256 }), (a, b, e, n) => {
        const v = cpuPercent(a, b, e, n)
        return Number.isFinite(v) && v >= 0 && v <= n * 100
      }),
    )
  })
})

describe('ratePerSecond', () => {
  it('gives undefined without two readings or a period, 0 when counters go backwards', () => {
    expect(ratePerSecond(undefined, 10, 1000)).toBeUndefined()
    expect(ratePerSecond(10, 20, 0)).toBeUndefined()
    expect(ratePerSecond(20, 10, 1000)).toBe(0)
    expect(ratePerSecond(0, 2048, 2000)).toBe(1024)
  })
})

describe('deriveSnapshot', () => {
  it('keeps the last info of a process whose reading did not change and that used no CPU, and only then', () => {
    const sleeper = raw({ pid: 10, cpuTimeMs: 500 })
    const busy0 = raw({ pid: 11, cpuTimeMs: 100 })
    const a = sample(0, [sleeper, busy0])
    const b = sample(1000, [sleeper, raw({ pid: 11, cpuTimeMs: 600 })])
    const first = deriveSnapshot(undefined, a)
    const second = deriveSnapshot(a, b, first)
    // The sleeper's reading is the same object: nothing derived from it moved (0 % before, 0 % now).
    expect(second.processes[0]).toBe(first.processes[0])
    expect(second.processes[1]).not.toBe(first.processes[1])
    expect(second.processes[1]?.cpuPercent).toBe(50)
    const c = sample(2000, [sleeper, b.processes[1]!])
    const third = deriveSnapshot(b, c, second)
    // The busy one stopped: its reading is the same object, but its CPU went from 50 % to 0: a new info.
    expect(third.processes[1]).not.toBe(second.processes[1])
    expect(third.processes[1]?.cpuPercent).toBe(0)
    // Kept or built, the snapshot is the one derived without the previous one's infos.
    expect(third).toEqual(deriveSnapshot(b, c))
    // A new memory total changes every process's share: nothing is kept.
    const d = { ...sample(3000, [sleeper, b.processes[1]!]), memoryTotal: 2 * 1024 * 1024 }
    expect(deriveSnapshot(c, d, third).processes[0]).not.toBe(third.processes[0])
  })

  it('measures CPU between readings of the same identity', () => {
    const a = sample(0, [raw({ cpuTimeMs: 1000 })])
    const b = sample(1000, [raw({ cpuTimeMs: 1500 })])
    expect(deriveSnapshot(a, b).processes[0]?.cpuPercent).toBe(50)
  })

  it('does not carry CPU time across a reused pid', () => {
    const a = sample(0, [raw({ cpuTimeMs: 0, startTime: 1 })])
    const b = sample(1000, [raw({ cpuTimeMs: 90_000, startTime: 5 })])
    expect(deriveSnapshot(a, b).processes[0]?.cpuPercent).toBe(0)
  })

  it('measures a process born between readings over its own life', () => {
    const a = sample(0, [], 10_000)
    const b = sample(1000, [raw({ startTime: 10_500, cpuTimeMs: 250 })], 11_000)
    expect(deriveSnapshot(a, b).processes[0]?.cpuPercent).toBe(50)
  })

  it('gives 0, not a guess, on the very first reading', () => {
    expect(deriveSnapshot(undefined, sample(0, [raw({ cpuTimeMs: 99_999 })])).processes[0]?.cpuPercent).toBe(0)
  })

  it('takes disk rates over the time between counter reads when the adapter reads them less often', () => {
    const a = sample(0, [raw({ readBytes: 0, writeBytes: 0, ioMonotonicMs: 0 })])
    const b = sample(1000, [raw({ readBytes: 0, writeBytes: 0, ioMonotonicMs: 0 })])
    const c = sample(2000, [raw({ readBytes: 0, writeBytes: 30_000, ioMonotonicMs: 2000 })])
    expect(deriveSnapshot(a, b).processes[0]?.diskWriteBytesPerSec).toBe(0)
    // 30 kB since the read at t=0: 15 kB/s over 2 s, not 30 kB/s over the last second.
    expect(deriveSnapshot(b, c).processes[0]?.diskWriteBytesPerSec).toBe(15_000)
  })

  it('derives memory % and disk rates, and drops raw counters', () => {
    const a = sample(0, [raw({ readBytes: 0, writeBytes: 100 })])
    const b = sample(2000, [raw({ readBytes: 4096, writeBytes: 100, memoryBytes: 512 * 1024 })])
    const p = deriveSnapshot(a, b).processes[0]
    expect(p?.memoryPercent).toBe(50)
    expect(p?.diskReadBytesPerSec).toBe(2048)
    expect(p?.diskWriteBytesPerSec).toBe(0)
    expect(p).not.toHaveProperty('cpuTimeMs')
    expect(p).not.toHaveProperty('readBytes')
  })
})
