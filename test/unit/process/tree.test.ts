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

  describe('processes that are gone but still shown (the window’s exited rows)', () => {
    // 1 ── 10 ─┬─ 11 (gone, 90 % when last seen) ── 12 (gone with it)
    //          └─ 13
    const running = [proc(1, 0, 1), proc(10, 1, 2, 100), proc(13, 10, 3, 100)]
    const gone = [proc(11, 10, 90, 5000), proc(12, 11, 40, 5000)]

    it('hang under their parent but count in no running total', () => {
      const roots = buildProcessTree(running, gone)
      const init = roots[0]!
      expect(roots.map((r) => r.process.pid)).toEqual([1])
      expect(init.subtreeCpuPercent).toBe(6)
      expect(init.subtreeMemoryBytes).toBe(300)
      expect(init.descendantCount).toBe(2)
      const ten = init.children[0]!
      expect(ten.children.map((c) => c.process.pid)).toEqual([11, 13])
      expect(ten.subtreeCpuPercent).toBe(5)
      expect(ten.descendantCount).toBe(1)
    })

    it('keep the shape of a subtree that exited together, with its last values', () => {
      const eleven = buildProcessTree(running, gone)[0]!.children[0]!.children[0]!
      expect(eleven.children.map((c) => c.process.pid)).toEqual([12])
      expect(eleven.subtreeCpuPercent).toBe(130)
      expect(eleven.descendantCount).toBe(1)
    })

    it('any forest with gone ones: each process placed once, running totals count only what runs', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.boolean()), { maxLength: 50 }), (triples) => {
          const runningByPid = new Map<number, ProcessInfo>()
          const goneList: ProcessInfo[] = []
          for (const [pid, ppid, isGone] of triples) {
            if (isGone) goneList.push(proc(pid, ppid))
            else runningByPid.set(pid, proc(pid, ppid))
          }
          const isGoneProc = new Set(goneList)
          const roots = buildProcessTree([...runningByPid.values()], goneList)
          const walked = [...walkTree(roots)]
          expect(walked).toHaveLength(runningByPid.size + goneList.length)
          for (const { node } of walked) {
            if (isGoneProc.has(node.process)) continue
            // What runs below it, found by walking: no gone node among them, and the count agrees.
            let below = 0
            const stack = [...node.children]
            while (stack.length > 0) {
              const c = stack.pop()!
              if (isGoneProc.has(c.process)) continue
              below++
              stack.push(...c.children)
            }
            expect(node.descendantCount).toBe(below)
            expect(node.subtreeCpuPercent).toBe(below + 1)
          }
        }),
      )
    })

    it('are never the parent of a running process, even on the same pid', () => {
      // pid 10 exited and was reused at once by a new process under 1; 20 is the new one's child.
      const roots = buildProcessTree([proc(1, 0, 1), proc(10, 1, 7), proc(20, 10, 1)], [proc(10, 1, 50), proc(30, 10, 20)])
      const init = roots[0]!
      expect(init.subtreeCpuPercent).toBe(9)
      const pids = [...walkTree(roots)].map((x) => `${x.depth}:${x.node.process.pid}:${x.node.process.cpuPercent}`)
      // The gone 30 hangs under the gone 10 (its own parent), the running 20 under the running 10.
      expect(pids).toEqual(['0:1:1', '1:10:7', '2:20:1', '1:10:50', '2:30:20'])
    })
  })
})
