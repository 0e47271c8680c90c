import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { buildProcessTree, walkTree } from '../../../src/shared/process/tree'
import type { ProcessInfo } from '../../../src/shared/types/process'

function proc(pid: number, ppid: number, cpuPercent = 1, memoryBytes = 100): ProcessInfo {
  return {
    pid, ppid, startTime: 0, name: `p${pid}`, command: `p${pid}`, user: 'u', uid: 0, state: 'sleeping', nice: 0,
    priority: 20, threads: 1, memoryBytes, virtualBytes: 0, kernelThread: false, cpuPercent, memoryPercent: 0,
  }
}

describe('buildProcessTree', () => {
  it('nests by ppid with descendant counts and subtree totals', () => {
    const roots = buildProcessTree([proc(1, 0), proc(10, 1, 5), proc(11, 10, 2, 50), proc(12, 10), proc(20, 1)])
    expect(roots.map((r) => r.process.pid)).toEqual([1])
    const init = roots[0]
    expect(init?.descendantCount).toBe(4)
    expect(init?.subtreeCpuPercent).toBe(10)
    expect(init?.subtreeMemoryBytes).toBe(450)
    expect(init?.children.map((c) => c.process.pid)).toEqual([10, 20])
    const ten = init?.children[0]
    expect(ten?.descendantCount).toBe(2)
    expect(ten?.subtreeCpuPercent).toBe(8)
  })

  it('makes a process whose parent is gone, or is itself, a root', () => {
    const roots = buildProcessTree([proc(5, 999), proc(0, 0), proc(6, 5)])
    expect(roots.map((r) => r.process.pid)).toEqual([0, 5])
  })

  it('survives a ppid cycle from a torn reading', () => {
    const roots = buildProcessTree([proc(1, 2), proc(2, 1), proc(3, 1)])
    const all = [...walkTree(roots)].map((x) => x.node.process.pid).sort()
    expect(all).toEqual([1, 2, 3])
  })

  it('walks depth-first in display order with depths', () => {
    const roots = buildProcessTree([proc(1, 0), proc(3, 1), proc(2, 1), proc(4, 2)])
    expect([...walkTree(roots)].map((x) => `${x.depth}:${x.node.process.pid}`)).toEqual(['0:1', '1:2', '2:4', '1:3'])
  })

  it('handles a chain 100,000 deep without overflowing the stack', () => {
    const list = Array.from({ length: 100_000 }, (_, i) => proc(i + 1, i))
    const roots = buildProcessTree(list)
    expect(roots).toHaveLength(1)
    expect(roots[0]?.descendantCount).toBe(99_999)
  })

  it('places every process exactly once and counts consistently', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 })), { maxLength: 60 }), (pairs) => {
        const byPid = new Map(pairs.map(([pid, ppid]) => [pid, proc(pid, ppid)]))
        const roots = buildProcessTree([...byPid.values()])
        const seen = [...walkTree(roots)].map((x) => x.node.process.pid)
        expect(seen.sort((a, b) => a - b)).toEqual([...byPid.keys()].sort((a, b) => a - b))
        const total = roots.reduce((n, r) => n + r.descendantCount + 1, 0)
        expect(total).toBe(byPid.size)
      }),
    )
  })
})
