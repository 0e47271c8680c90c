import { describe, expect, it } from 'vitest'
import { parseQuery } from '../../../src/shared/query'
import { compileTextQuery } from '../../../src/shared/query'
import { anyQuickFilter, NO_QUICK_FILTERS, ownUid, quickFilterMatcher, userQuery } from '../../../src/renderer/src/processes/quickFilters'
import { proc } from './fixtures'

const list = [
  proc({ pid: 1, uid: 0, user: 'root', name: 'systemd' }),
  proc({ pid: 2, uid: 0, user: 'root', name: 'kthreadd', kernelThread: true }),
  proc({ pid: 500, uid: 1000, user: 'alice', name: 'proctor' }),
  proc({ pid: 501, uid: 1000, user: 'alice', name: 'bash' }),
  proc({ pid: 600, uid: 1001, user: 'bob', name: 'vim' }),
]

describe('ownUid', () => {
  it('is the uid of the Proctor process, found by pid', () => {
    expect(ownUid(list, 500)).toBe(1000)
    expect(ownUid(list, 999)).toBeUndefined()
    expect(ownUid(list, undefined)).toBeUndefined()
  })
})

describe('quickFilterMatcher', () => {
  it('keeps only the managed pids with Only managed, none while no program runs', () => {
    const only = quickFilterMatcher({ mine: false, hideKernelThreads: false, managed: true }, 1000, new Map([[501, 'shell']]))!
    expect(list.filter(only).map((p) => p.pid)).toEqual([501])
    expect(list.filter(quickFilterMatcher({ ...NO_QUICK_FILTERS, managed: true }, 1000)!)).toEqual([])
    expect(anyQuickFilter({ ...NO_QUICK_FILTERS, managed: true })).toBe(true)
  })

  it('is undefined when no filter is on', () => {
    expect(quickFilterMatcher(NO_QUICK_FILTERS, 1000)).toBeUndefined()
    expect(anyQuickFilter(NO_QUICK_FILTERS)).toBe(false)
  })

  it('"My processes" keeps the processes of the user running Proctor', () => {
    const m = quickFilterMatcher({ mine: true, hideKernelThreads: false }, 1000)!
    expect(list.filter(m).map((p) => p.pid)).toEqual([500, 501])
  })

  it('"My processes" with the user not known yet hides nothing', () => {
    expect(quickFilterMatcher({ mine: true, hideKernelThreads: false }, undefined)).toBeUndefined()
  })

  it('hides kernel threads, and combines with "mine"', () => {
    const hide = quickFilterMatcher({ mine: false, hideKernelThreads: true }, 1000)!
    expect(list.filter(hide).map((p) => p.pid)).toEqual([1, 500, 501, 600])
    const both = quickFilterMatcher({ mine: true, hideKernelThreads: true }, 0)!
    expect(list.filter(both).map((p) => p.pid)).toEqual([1])
  })
})

describe('userQuery', () => {
  it('is a query of the search language that finds exactly that user', () => {
    for (const user of ['alice', 'www-data', 'first.last', 'and', 'weird "user"', 'with space', 'back\\slash']) {
      const text = userQuery(user)
      expect(() => parseQuery(text)).not.toThrow()
      const matches = compileTextQuery(text)
      expect(matches(proc({ user }))).toBe(true)
      expect(matches(proc({ user: `${user}x` }))).toBe(false)
    }
    expect(userQuery('alice')).toBe('user = alice')
    expect(userQuery('with space')).toBe('user = "with space"')
  })
})
