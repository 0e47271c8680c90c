import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { applyProcessDelta, diffSnapshots, processChanged, sharedDiff, snapshotsFromDeltas, type ProcessDelta } from '../../../src/shared/process/delta'
import type { ProcessInfo, ProcessSnapshot } from '../../../src/shared/types/process'

function proc(pid: number, startTime = 1000, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid, ppid: 1, startTime, name: `p${pid}`, command: `p${pid} --flag`, user: 'u', uid: 1000, state: 'sleeping', nice: 0,
    priority: 20, threads: 1, memoryBytes: 4096, virtualBytes: 8192, kernelThread: false, cpuPercent: 0, memoryPercent: 0.1, ...over,
  }
}

function snap(processes: ProcessInfo[], timestamp = 1): ProcessSnapshot {
  return { timestamp, cpuCount: 2, memoryTotal: 1 << 30, cpuScale: 'core', processes }
}

const byIdentity = (list: readonly ProcessInfo[]) => [...list].sort((a, b) => a.pid - b.pid || a.startTime - b.startTime)

describe('process deltas', () => {
  it('carry only what changed, appeared and went', () => {
    const a = snap([proc(1), proc(2), proc(3), proc(4)])
    const b = snap([proc(1), proc(2, 1000, { cpuPercent: 12.5 }), proc(4), proc(5)], 2)
    const delta = diffSnapshots(a, b)
    expect(delta).toMatchObject({ type: 'delta', timestamp: 2, removed: [{ pid: 3, startTime: 1000 }] })
    expect(delta.type === 'delta' && delta.changed.map((p) => p.pid)).toEqual([2, 5])
  })

  it('treat a reused pid as one process gone and another come', () => {
    const delta = diffSnapshots(snap([proc(7, 1000)]), snap([proc(7, 5000)]))
    expect(delta).toMatchObject({ removed: [{ pid: 7, startTime: 1000 }], changed: [{ pid: 7, startTime: 5000 }] })
  })

  it('see a field that appears or disappears as a change', () => {
    const withIo = proc(1, 1000, { diskReadBytesPerSec: 0 })
    expect(processChanged(proc(1), withIo)).toBe(true)
    expect(processChanged(withIo, proc(1))).toBe(true)
    expect(processChanged(proc(1), proc(1))).toBe(false)
  })

  it('begin with the whole snapshot when there is none before', () => {
    const b = snap([proc(1)])
    expect(diffSnapshots(undefined, b)).toEqual({ type: 'snapshot', snapshot: b })
  })

  it('rebuild any snapshot from any other, keeping the objects of unchanged processes', () => {
    const arbProcess = fc.record({
      pid: fc.integer({ min: 1, max: 40 }),
      startTime: fc.constantFrom(1000, 2000),
      cpuPercent: fc.constantFrom(0, 0, 0, 3.5, 100),
      memoryBytes: fc.constantFrom(4096, 8192),
      state: fc.constantFrom('sleeping' as const, 'running' as const, 'stopped' as const),
      io: fc.boolean(),
    })
    const arbSnapshot = fc
      .uniqueArray(arbProcess, { selector: (p) => p.pid, maxLength: 30 }) // one process per pid in a snapshot, as the kernel has it
      .map((list) => list.map(({ pid, startTime, io, ...rest }) => proc(pid, startTime, { ...rest, ...(io ? { diskReadBytesPerSec: 1 } : {}) })))
    fc.assert(
      fc.property(arbSnapshot, arbSnapshot, (before, after) => {
        const a = snap(before)
        const b = snap(after.map((p) => ({ ...p })), 2)
        const rebuilt = applyProcessDelta(a, diffSnapshots(a, b))
        expect(byIdentity(rebuilt.processes)).toEqual(byIdentity(b.processes))
        expect(rebuilt.timestamp).toBe(2)
        for (const p of rebuilt.processes) {
          const old = a.processes.find((x) => x.pid === p.pid && x.startTime === p.startTime)
          if (old && !processChanged(old, p)) expect(p).toBe(old)
        }
      }),
    )
  })

  it('survive the JSON a transport makes of them', () => {
    const a = snap([proc(1), proc(2)])
    const b = snap([proc(1, 1000, { state: 'running', cpuPercent: 50 }), proc(3)], 2)
    const wire = JSON.parse(JSON.stringify(diffSnapshots(a, b))) as ProcessDelta
    expect(byIdentity(applyProcessDelta(a, wire).processes)).toEqual(byIdentity(b.processes))
  })

  it('hand back the same list when nothing changed, so what the window derived from it holds', () => {
    const a = snap([proc(1), proc(2)])
    const rebuilt = applyProcessDelta(a, diffSnapshots(a, snap([proc(1), proc(2)], 2)))
    expect(rebuilt.processes).toBe(a.processes)
    expect(rebuilt.timestamp).toBe(2)
  })

  it('refuse a delta with nothing to apply it to', () => {
    const delta = diffSnapshots(snap([proc(1)]), snap([proc(1)], 2))
    expect(() => applyProcessDelta(undefined, delta)).toThrow(/before the snapshot/)
    const errors: Error[] = []
    const got: ProcessSnapshot[] = []
    const listen = snapshotsFromDeltas((s) => got.push(s), (e) => errors.push(e))
    listen(delta)
    expect(errors.map((e) => e.message)).toEqual(['a process delta arrived before the snapshot it changes'])
    listen({ type: 'snapshot', snapshot: snap([proc(1)]) })
    listen(delta)
    expect(got.map((s) => s.timestamp)).toEqual([1, 2])
  })

  it('are computed once per pair for every subscriber on a tick', () => {
    const diff = sharedDiff()
    const a = snap([proc(1)])
    const b = snap([proc(1, 1000, { cpuPercent: 1 })], 2)
    expect(diff(a, b)).toBe(diff(a, b))
    expect(diff(undefined, b)).not.toBe(diff(a, b))
  })
})
