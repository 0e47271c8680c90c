import { describe, expect, it } from 'vitest'
import { ancestorsOf, protectionReason } from '../../../src/main/core/control/protection'
import { descendantsDeepestFirst } from '../../../src/main/core/processes/inspector'
import { normalizeSignal, signalNames } from '../../../src/main/core/control/signals'
import type { ProcessInfo } from '../../../src/shared/types/process'

const p = (pid: number, ppid: number, name = `p${pid}`, kernelThread = false) => ({ pid, ppid, name, kernelThread }) as ProcessInfo
const own = { pids: new Set([50]), ancestors: new Set([40, 30]) }

describe('protectionReason', () => {
  it('protects init, kernel threads, Proctor, its ancestors and listed names', () => {
    expect(protectionReason(p(1, 0), own, [])).toMatch(/init/)
    expect(protectionReason(p(77, 2, 'kworker/0:1', true), own, [])).toMatch(/kernel thread/)
    expect(protectionReason(p(50, 40), own, [])).toMatch(/Proctor itself/)
    expect(protectionReason(p(30, 1, 'bash'), own, [])).toMatch(/ancestor of Proctor/)
    expect(protectionReason(p(99, 1, 'Postgres'), own, ['postgres'])).toMatch(/protected list/)
    expect(protectionReason(p(99, 1, 'postgres'), own, [])).toBeUndefined()
  })
})

describe('trees', () => {
  const list = [p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(13, 10), p(20, 1)]
  it('orders descendants deepest first, never including the root', () => {
    const order = descendantsDeepestFirst(10, list).map((x) => x.pid)
    expect([...order].sort()).toEqual([11, 12, 13])
    expect(order.indexOf(12)).toBeLessThan(order.indexOf(11))
    expect(descendantsDeepestFirst(20, list)).toEqual([])
  })
  it('walks ancestors up to the top, surviving a cycle', () => {
    const byPid = new Map(list.map((x) => [x.pid, x]))
    expect(ancestorsOf(12, (pid) => byPid.get(pid)?.ppid)).toEqual([11, 10, 1])
    const cyclic = new Map([
      [5, 6],
      [6, 5],
    ])
    expect(ancestorsOf(5, (pid) => cyclic.get(pid))).toEqual([6])
  })
})

describe('signals', () => {
  it('accepts names with or without SIG, in any case', () => {
    expect(normalizeSignal('term')).toBe('TERM')
    expect(normalizeSignal('SIGKILL')).toBe('KILL')
    expect(signalNames()).toEqual(expect.arrayContaining(['TERM', 'KILL', 'INT', 'HUP', 'QUIT', 'USR1', 'USR2', 'STOP', 'CONT']))
  })
  it('refuses anything else naming the choices', () => {
    expect(() => normalizeSignal('BOGUS')).toThrow(/unknown signal "BOGUS"; known: .*TERM/)
  })
})
