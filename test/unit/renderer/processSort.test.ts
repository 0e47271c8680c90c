import { describe, expect, it } from 'vitest'
import { DEFAULT_SORT, initialDirection, nextSort, sortProcesses, tableSort } from '../../../src/renderer/src/processes/processSort'
import { proc } from './fixtures'

describe('sorting the new columns', () => {
  const list = [
    proc({ pid: 3, threads: 4, startTime: 300, openFiles: undefined }),
    proc({ pid: 1, threads: 12, startTime: 100, openFiles: 9 }),
    proc({ pid: 2, threads: undefined, startTime: 200, openFiles: 3 }),
  ]

  it('sorts amounts largest first, unknown values last', () => {
    expect(initialDirection('threads')).toBe('desc')
    expect(sortProcesses(list, { key: 'threads', direction: 'desc' }).map((p) => p.pid)).toEqual([1, 3, 2])
    expect(sortProcesses(list, { key: 'files', direction: 'desc' }).map((p) => p.pid)).toEqual([1, 2, 3])
  })

  it('sorts start times oldest first', () => {
    expect(initialDirection('started')).toBe('asc')
    expect(sortProcesses(list, nextSort({ key: 'cpu', direction: 'desc' }, 'started')).map((p) => p.pid)).toEqual([1, 2, 3])
  })

  it('a subtree sort falls back to the process’s own value in the table', () => {
    expect(tableSort({ key: 'treeCpu', direction: 'desc' })).toEqual({ key: 'cpu', direction: 'desc' })
    expect(tableSort({ key: 'treeMemory', direction: 'asc' })).toEqual({ key: 'memory', direction: 'asc' })
    expect(tableSort({ key: 'pid', direction: 'asc' })).toEqual({ key: 'pid', direction: 'asc' })
  })
})

describe('sorting by CPU', () => {
  it('sorts by the figure shown: rows that read the same keep pid order from one refresh to the next', () => {
    // 0.04 % and 0.02 % both read 0.0 %; 0.26 % and 0.34 % both read 0.3 %.
    const first = [proc({ pid: 5, cpuPercent: 0.04 }), proc({ pid: 9, cpuPercent: 0.34 }), proc({ pid: 7, cpuPercent: 0.26 }), proc({ pid: 3, cpuPercent: 0.02 })]
    const next = [proc({ pid: 5, cpuPercent: 0.01 }), proc({ pid: 9, cpuPercent: 0.27 }), proc({ pid: 7, cpuPercent: 0.33 }), proc({ pid: 3, cpuPercent: 0.03 })]
    const order = (list: typeof first) => sortProcesses(list, DEFAULT_SORT).map((p) => p.pid)
    expect(order(first)).toEqual([7, 9, 3, 5])
    expect(order(next)).toEqual([7, 9, 3, 5])
    // A difference that shows still orders.
    expect(order([proc({ pid: 1, cpuPercent: 0.04 }), proc({ pid: 2, cpuPercent: 0.06 })])).toEqual([2, 1])
  })
})

