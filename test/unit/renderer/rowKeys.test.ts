import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NO_ROW_KEYS, longestIncreasing, rowKeys, type RowKeys } from '../../../src/renderer/src/processes/rowKeys'

/**
 * The DOM nodes React moves when a keyed list goes from `before` to `after`
 * (its reconcileChildrenArray rule: a kept node whose old place is left of
 * the last one placed is moved), and the nodes it creates.
 */
function reactWork(before: readonly string[], after: readonly string[]): { moved: number; created: number } {
  const old = new Map(before.map((k, i) => [k, i]))
  let last = -1
  let moved = 0
  let created = 0
  for (const k of after) {
    const at = old.get(k)
    if (at === undefined) created++
    else if (at < last) moved++
    else last = at
  }
  return { moved, created }
}

const keysFor = (ids: string[], prev: RowKeys = NO_ROW_KEYS) => rowKeys(prev, ids)

describe('row keys for a list that reorders at every refresh', () => {
  it('keeps the keys, and the same object, when nothing moved', () => {
    const first = keysFor(['a', 'b', 'c'])
    expect(first.keys).toEqual(['a', 'b', 'c'])
    expect(rowKeys(first, ['a', 'b', 'c'])).toBe(first)
  })

  it('a row that jumps to the top is put back alone, instead of moving every row it passed', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    const first = keysFor(ids)
    const jumped = ['f', 'a', 'b', 'c', 'd', 'e']
    // React with the identities as keys moves the five rows f passed.
    expect(reactWork(first.keys, jumped)).toEqual({ moved: 5, created: 0 })
    const next = rowKeys(first, jumped)
    expect(next.keys).toEqual(['f~1', 'a', 'b', 'c', 'd', 'e'])
    expect(reactWork(first.keys, next.keys)).toEqual({ moved: 0, created: 1 })
    // Moved again: a new count, never a key in use.
    expect(rowKeys(next, ['b', 'c', 'd', 'e', 'f', 'a']).keys).toEqual(['b', 'c', 'd', 'e', 'f~2', 'a~1'])
    const again = rowKeys(next, ['a', 'b', 'c', 'd', 'e', 'f'])
    expect(again.keys).toEqual(['a', 'b', 'c', 'd', 'e', 'f~2'])
  })

  it('rows new to the window take their identity as key; rows gone take theirs away', () => {
    const first = keysFor(['a', 'b', 'c'])
    expect(rowKeys(first, ['x', 'a', 'c']).keys).toEqual(['x', 'a', 'c'])
  })

  it('whatever the change, React moves no row, and puts back only the fewest rows that must move', () => {
    const id = fc.integer({ min: 0, max: 30 }).map((n) => `p${n}`)
    const list = fc.uniqueArray(id, { maxLength: 25 })
    fc.assert(
      fc.property(fc.array(list, { minLength: 2, maxLength: 5 }), (lists) => {
        let prev = NO_ROW_KEYS
        for (const ids of lists) {
          const next = rowKeys(prev, ids)
          expect(new Set(next.keys).size).toBe(ids.length)
          const work = reactWork(prev.keys, next.keys)
          expect(work.moved).toBe(0)
          // Created: the rows new to the window, and the kept ones off the longest run of old places.
          const old = new Map(prev.ids.map((x, i) => [x, i]))
          const places = ids.filter((x) => old.has(x)).map((x) => old.get(x) as number)
          const fresh = ids.length - places.length
          expect(work.created).toBe(fresh + places.length - longestIncreasing(places).size)
          prev = next
        }
      }),
    )
  })

  it('finds a longest increasing run', () => {
    expect([...longestIncreasing([3, 1, 2, 5, 4, 6])].sort()).toHaveLength(4)
    expect(longestIncreasing([]).size).toBe(0)
    expect(longestIncreasing([5, 4, 3]).size).toBe(1)
    const run = [...longestIncreasing([0, 8, 4, 12, 2, 10, 6, 14, 1, 9])].sort((a, b) => a - b)
    const values = run.map((i) => [0, 8, 4, 12, 2, 10, 6, 14, 1, 9][i] as number)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect(run).toHaveLength(4)
  })
})
