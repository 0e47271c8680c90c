import { describe, expect, it } from 'vitest'
import { ProcessHistoryStore } from '../../../src/main/core/processes/history'
import type { ProcessInfo, ProcessSnapshot } from '../../../src/shared/types/process'

const p = (pid: number, startTime: number, cpuPercent: number, memoryBytes: number) =>
  ({ pid, startTime, cpuPercent, memoryBytes }) as ProcessInfo
const snap = (timestamp: number, processes: ProcessInfo[]) => ({ timestamp, processes }) as ProcessSnapshot

describe('ProcessHistoryStore', () => {
  it('keeps the last N points per identity, oldest first', () => {
    const store = new ProcessHistoryStore(3)
    for (let i = 1; i <= 5; i++) store.record(snap(i * 1000, [p(7, 1, i, i * 10)]))
    expect(store.get(7, 1)).toEqual({ timestamps: [3000, 4000, 5000], cpuPercent: [3, 4, 5], memoryBytes: [30, 40, 50] })
  })

  it('starts over when a pid is reused, and forgets processes that are gone', () => {
    const store = new ProcessHistoryStore(10)
    store.record(snap(1, [p(7, 1, 50, 1), p(8, 1, 1, 1)]))
    store.record(snap(2, [p(7, 2, 5, 1)]))
    expect(store.get(7, 1).timestamps).toEqual([])
    expect(store.get(7, 2).cpuPercent).toEqual([5])
    expect(store.trackedCount).toBe(1)
  })

  it('stays bounded after 10,000 snapshots', () => {
    const store = new ProcessHistoryStore(100)
    for (let i = 0; i < 10_000; i++) store.record(snap(i, [p(1, 0, i % 100, i)]))
    const h = store.get(1, 0)
    expect(h.timestamps).toHaveLength(100)
    expect(h.timestamps[0]).toBe(9900)
    expect(h.timestamps[99]).toBe(9999)
  })
})
