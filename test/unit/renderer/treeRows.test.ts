import { describe, expect, it } from 'vitest'
import { buildProcessTree } from '../../../src/shared/process/tree'
import { exitedProcesses, nextChanges } from '../../../src/renderer/src/processes/changes'
import { processKey } from '../../../src/renderer/src/processes/identity'
import { ancestorKeys, parentKeys, treeRows } from '../../../src/renderer/src/processes/treeRows'
import { DEFAULT_SORT, type SortState } from '../../../src/renderer/src/processes/processSort'
import { proc } from './fixtures'

// 1 ─┬─ 10 ─┬─ 100
//    │      └─ 101 ── 1000
//    └─ 20
// 2 (kthreadd) ── 30
const list = [
  proc({ pid: 1, ppid: 0, name: 'init', cpuPercent: 1 }),
  proc({ pid: 10, ppid: 1, name: 'shell', cpuPercent: 2 }),
  proc({ pid: 100, ppid: 10, name: 'editor', cpuPercent: 30 }),
  proc({ pid: 101, ppid: 10, name: 'build', cpuPercent: 5 }),
  proc({ pid: 1000, ppid: 101, name: 'compiler', cpuPercent: 90 }),
  proc({ pid: 20, ppid: 1, name: 'daemon', cpuPercent: 0 }),
  proc({ pid: 2, ppid: 0, name: 'kthreadd', kernelThread: true }),
  proc({ pid: 30, ppid: 2, name: 'kworker', kernelThread: true }),
]
const roots = buildProcessTree(list)
const key = (pid: number) => processKey(list.find((p) => p.pid === pid)!)
const byPid: SortState = { key: 'pid', direction: 'asc' }
const pids = (rows: { node: { process: { pid: number } } }[]) => rows.map((r) => r.node.process.pid)

describe('treeRows', () => {
  it('lists every process depth-first, with depth, position among siblings and child count', () => {
    const rows = treeRows(roots, { sort: byPid, collapsed: new Set() })
    expect(pids(rows)).toEqual([1, 10, 100, 101, 1000, 20, 2, 30])
    expect(rows.map((r) => r.depth)).toEqual([0, 1, 2, 2, 3, 1, 0, 1])
    const shell = rows[1]!
    expect(shell).toMatchObject({ childCount: 2, expanded: true, posInSet: 1, setSize: 2, parentKey: key(1) })
    expect(rows[4]).toMatchObject({ childCount: 0, expanded: false })
  })

  it('orders siblings by the sort; the subtree-CPU sort by whole subtrees', () => {
    const byCpu = treeRows(roots, { sort: DEFAULT_SORT, collapsed: new Set() })
    expect(pids(byCpu).slice(0, 5)).toEqual([1, 10, 100, 101, 1000]) // 100 (30 %) before 101 (5 %)
    const bySubtree = treeRows(roots, { sort: { key: 'treeCpu', direction: 'desc' }, collapsed: new Set() })
    expect(pids(bySubtree).slice(0, 5)).toEqual([1, 10, 101, 1000, 100]) // 101 + 1000 = 95 % beats 100's 30 %
  })

  it('leaves out what is under a collapsed node', () => {
    const rows = treeRows(roots, { sort: byPid, collapsed: new Set([key(10)]) })
    expect(pids(rows)).toEqual([1, 10, 20, 2, 30])
    expect(rows[1]).toMatchObject({ expanded: false, childCount: 2 })
  })

  it('keeps a revealed process visible: its ancestors count as expanded', () => {
    const rows = treeRows(roots, { sort: byPid, collapsed: new Set([key(1), key(10)]), reveal: key(1000) })
    expect(pids(rows)).toContain(1000)
  })

  it('under a filter shows the matches and their ancestors, marked as context', () => {
    const rows = treeRows(roots, { sort: byPid, collapsed: new Set(), matches: (p) => p.name === 'compiler' })
    expect(pids(rows)).toEqual([1, 10, 101, 1000])
    expect(rows.map((r) => r.context)).toEqual([true, true, true, false])
    expect(rows[2]).toMatchObject({ childCount: 1, setSize: 1, posInSet: 1 })
  })

  it('an empty filter result is an empty tree', () => {
    expect(treeRows(roots, { sort: byPid, collapsed: new Set(), matches: () => false })).toEqual([])
  })

  it('does not overflow on a deep chain', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => proc({ pid: i + 1, ppid: i }))
    const rows = treeRows(buildProcessTree(chain), { sort: byPid, collapsed: new Set() })
    expect(rows).toHaveLength(20_000)
    expect(rows.at(-1)?.depth).toBe(19_999)
  })
})

describe('ancestorKeys and parentKeys', () => {
  it('finds the ancestors, nearest first', () => {
    expect(ancestorKeys(roots, key(1000))).toEqual([key(101), key(10), key(1)])
    expect(ancestorKeys(roots, key(1))).toEqual([])
    expect(ancestorKeys(roots, 'nope')).toEqual([])
  })

  it('lists every node with children', () => {
    expect([...parentKeys(roots)].sort()).toEqual([key(1), key(10), key(101), key(2)].sort())
  })
})

describe('exited rows in the tree', () => {
  // Another second: the compiler (90 %) has exited; the window keeps its row while it fades.
  const after = list.filter((p) => p.pid !== 1000)
  const changes = nextChanges(nextChanges(undefined, list, 0), after, 1000)
  const shown = buildProcessTree(after, exitedProcesses(changes))

  it('stay under their parent while they fade', () => {
    const rows = treeRows(shown, { sort: byPid, collapsed: new Set() })
    expect(pids(rows)).toEqual([1, 10, 100, 101, 1000, 20, 2, 30])
    expect(rows[4]).toMatchObject({ depth: 3, parentKey: key(101) })
  })

  it('count in no subtree total: Σ CPU is what runs now', () => {
    const rows = treeRows(shown, { sort: byPid, collapsed: new Set() })
    const sigma = (pid: number) => rows.find((r) => r.node.process.pid === pid)!.node.subtreeCpuPercent
    expect(sigma(1)).toBe(1 + 2 + 30 + 5)
    expect(sigma(101)).toBe(5)
    expect(rows[3]?.node.descendantCount).toBe(0)
  })
})

