import { describe, expect, it } from 'vitest'
import { initialDirection, nextSort, sortProcesses, tableSort } from '../../../src/renderer/src/processSort'
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
