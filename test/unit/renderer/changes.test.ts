import { describe, expect, it } from 'vitest'
import { EXITED_MS, findProcess, highlightOf, isPresent, NEW_MS, nextChanges, withExited } from '../../../src/renderer/src/processes/changes'
import { processKey } from '../../../src/renderer/src/processes/identity'
import { proc } from './fixtures'

const a = proc({ pid: 10, startTime: 1000 })
const b = proc({ pid: 11, startTime: 1000 })
const c = proc({ pid: 12, startTime: 5000 })

describe('nextChanges', () => {
  it('marks nothing on the first snapshot', () => {
    const first = nextChanges(undefined, [a, b], 0)
    expect(first.added.size).toBe(0)
    expect(first.exited.size).toBe(0)
    expect(highlightOf(first, a)).toBeUndefined()
  })

  it('marks a new process for a while, then not', () => {
    const s0 = nextChanges(undefined, [a], 0)
    const s1 = nextChanges(s0, [a, c], 1000)
    expect(highlightOf(s1, c)).toBe('new')
    expect(highlightOf(s1, a)).toBeUndefined()
    const s2 = nextChanges(s1, [a, c], 1000 + NEW_MS - 1)
    expect(highlightOf(s2, c)).toBe('new')
    const s3 = nextChanges(s2, [a, c], 1000 + NEW_MS)
    expect(highlightOf(s3, c)).toBeUndefined()
  })

  it('keeps an exited process, as last seen, for a while, then drops it', () => {
    const s0 = nextChanges(undefined, [a, b], 0)
    const s1 = nextChanges(s0, [a], 1000)
    expect(highlightOf(s1, b)).toBe('exited')
    expect(withExited([a], s1)).toEqual([a, b])
    const s2 = nextChanges(s1, [a], 1000 + EXITED_MS - 1)
    expect(withExited([a], s2)).toEqual([a, b])
    const s3 = nextChanges(s2, [a], 1000 + EXITED_MS)
    expect(withExited([a], s3)).toEqual([a])
    expect(highlightOf(s3, b)).toBeUndefined()
  })

  it('follows identity: a reused pid is an exit and a new process', () => {
    const reused = proc({ pid: 11, startTime: 9000, name: 'other' })
    const s0 = nextChanges(undefined, [a, b], 0)
    const s1 = nextChanges(s0, [a, reused], 1000)
    expect(highlightOf(s1, b)).toBe('exited')
    expect(highlightOf(s1, reused)).toBe('new')
  })

  it('finds a process of the list by identity, exited ones included, and not a reused pid', () => {
    const s0 = nextChanges(undefined, [a, b], 0)
    const s1 = nextChanges(s0, [a], 1000)
    expect(findProcess(s1, processKey(a))).toBe(a)
    expect(findProcess(s1, processKey(b))).toBe(b)
    expect(isPresent(s1, processKey(a))).toBe(true)
    expect(isPresent(s1, processKey(b))).toBe(false)
    expect(findProcess(s1, processKey(proc({ pid: 10, startTime: 7 })))).toBeUndefined()
    expect(findProcess(s1, 'nonsense')).toBeUndefined()
  })

  it('returns the same array when nothing has exited', () => {
    const list = [a, b]
    const s = nextChanges(nextChanges(undefined, list, 0), list, 1000)
    expect(withExited(list, s)).toBe(list)
  })
})
