import { describe, expect, it } from 'vitest'
import {
  compileStructuredQuery,
  compileTextQuery,
  formatQuery,
  QueryError,
  StructuredQuery,
  structuredQueryToNode,
} from '../../../src/shared/query'
import type { ProcessInfo } from '../../../src/shared/types/process'
import { proc } from './factory'

const ps: ProcessInfo[] = [
  proc({ pid: 1, ppid: 0, name: 'systemd', command: '/sbin/init', user: 'root', state: 'sleeping', cpuPercent: 0.1, memoryBytes: 12e6 }),
  proc({ pid: 200, ppid: 1, name: 'postgres', command: 'postgres -D /var/lib/pg', user: 'postgres', state: 'running', cpuPercent: 40, memoryBytes: 900e6 }),
  proc({ pid: 300, ppid: 1, name: 'Node', command: 'node server.js --port=80', user: 'alice', state: 'running', cpuPercent: 120, memoryBytes: 2e9 }),
  proc({ pid: 301, ppid: 300, name: 'node-worker', command: 'node worker.js', user: 'alice', state: 'zombie', cpuPercent: 0, memoryBytes: 0 }),
]
const pids = (q: StructuredQuery): number[] => ps.filter(compileStructuredQuery(q)).map((p) => p.pid)

describe('StructuredQuery', () => {
  it('matches everything when empty', () => {
    expect(pids({})).toEqual([1, 200, 300, 301])
  })

  it('filters on each field', () => {
    expect(pids({ name: 'NODE' })).toEqual([300, 301])
    expect(pids({ name: 'e.s' })).toEqual([]) // a substring, not a regex
    expect(pids({ pid: 200 })).toEqual([200])
    expect(pids({ ppid: 1 })).toEqual([200, 300])
    expect(pids({ user: 'Alice' })).toEqual([300, 301])
    expect(pids({ state: 'running' })).toEqual([200, 300])
    expect(pids({ cpuAbove: 40 })).toEqual([300])
    expect(pids({ memoryAbove: 900e6 })).toEqual([300])
    expect(pids({ commandRegex: '^node .*\\.js' })).toEqual([300, 301])
    expect(pids({ commandRegex: 'PORT=\\d+' })).toEqual([300])
  })

  it('ANDs the fields', () => {
    expect(pids({ user: 'alice', state: 'running' })).toEqual([300])
    expect(pids({ name: 'node', cpuAbove: 200 })).toEqual([])
  })

  it('is the same query as its AST printed as text', () => {
    const qs: StructuredQuery[] = [
      {},
      { name: 'a.b(c' },
      { name: 'node', user: 'alice', state: 'zombie' },
      { pid: 300, ppid: 1, cpuAbove: 1.5, memoryAbove: 1e9, commandRegex: 'server\\.js' },
    ]
    for (const q of qs) {
      const viaText = compileTextQuery(formatQuery(structuredQueryToNode(q)))
      expect(ps.filter(viaText).map((p) => p.pid), JSON.stringify(q)).toEqual(pids(q))
    }
    expect(formatQuery(structuredQueryToNode({ user: 'root', cpuAbove: 5 }))).toBe('user = root and cpu > 5')
  })

  it('validates with zod, naming the field of an invalid regex', () => {
    expect(StructuredQuery.parse({ name: 'x', memoryAbove: 5 })).toEqual({ name: 'x', memoryAbove: 5 })
    const bad = StructuredQuery.safeParse({ commandRegex: '(' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.path).toEqual(['commandRegex'])
    expect(bad.error?.issues[0]?.message).toMatch(/^invalid regular expression '\(' in commandRegex: /)
  })

  it('rejects wrong types, unknown states and misspelt keys', () => {
    expect(StructuredQuery.safeParse({ pid: -1 }).success).toBe(false)
    expect(StructuredQuery.safeParse({ pid: 1.5 }).success).toBe(false)
    expect(StructuredQuery.safeParse({ state: 'R' }).success).toBe(false)
    expect(StructuredQuery.safeParse({ cpuAbove: '5' }).success).toBe(false)
    expect(StructuredQuery.safeParse({ memoryAbove: -1 }).success).toBe(false)
    expect(StructuredQuery.safeParse({ cpu_above: 5 }).success).toBe(false)
  })

  it('throws a QueryError naming the field for an invalid regex', () => {
    let caught: unknown
    try {
      compileStructuredQuery({ commandRegex: '[' })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(QueryError)
    const err = caught as QueryError
    expect(err.field).toBe('commandRegex')
    expect(err.message).toMatch(/commandRegex/)
  })
})
