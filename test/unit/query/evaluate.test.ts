import { describe, expect, it } from 'vitest'
import { compileQuery, compileTextQuery, QueryError } from '../../../src/shared/query'
import type { ProcessInfo } from '../../../src/shared/types/process'
import { hidden, proc } from './factory'

const matches = (query: string, p: ProcessInfo = proc()): boolean => compileTextQuery(query)(p)

/** The names of the processes the query keeps, in order. */
const keep = (query: string, ps: ProcessInfo[]): string[] => ps.filter(compileTextQuery(query)).map((p) => p.name)

describe('plain-text search', () => {
  const ps = [
    proc({ pid: 1, name: 'systemd', command: '/sbin/init splash' }),
    proc({ pid: 812, name: 'node', command: '/usr/bin/node /srv/app/server.js my-unique-arg-123' }),
    proc({ pid: 9001, name: 'Code Helper', command: '/opt/code/code --type=renderer' }),
    proc({ pid: 12, name: 'kworker/0:1', command: '[kworker/0:1]' }),
  ]

  it('matches a substring of the name, case-insensitively', () => {
    expect(keep('node', ps)).toEqual(['node'])
    expect(keep('SYSTEM', ps)).toEqual(['systemd'])
    expect(keep('helper', ps)).toEqual(['Code Helper'])
  })

  it('matches a substring of the command line', () => {
    expect(keep('my-unique-arg-123', ps)).toEqual(['node'])
    expect(keep('splash', ps)).toEqual(['systemd'])
    expect(keep('--type=renderer', ps)).toEqual(['Code Helper'])
    expect(keep('"--type=renderer"', ps)).toEqual(['Code Helper'])
    expect(keep('/srv/app/server.js', ps)).toEqual(['node'])
  })

  it('matches an all-digit word against the exact pid as well', () => {
    expect(keep('812', ps)).toEqual(['node'])
    expect(keep('12', ps)).toEqual(['node', 'kworker/0:1']) // 'arg-123' in node's command, pid 12
    expect(keep('9', ps)).toEqual([])
    expect(keep('900', ps)).toEqual([]) // the pid must match exactly, not as a prefix
    expect(keep('81', ps)).toEqual([])
    expect(keep('"9001"', ps)).toEqual(['Code Helper'])
  })

  it('matches spaces inside quotes', () => {
    expect(keep('"code helper"', ps)).toEqual(['Code Helper'])
    expect(keep('code helper', ps)).toEqual(['Code Helper'])
    expect(keep("'server.js my'", ps)).toEqual(['node'])
  })

  it('keeps everything for the empty query and the empty string', () => {
    expect(keep('', ps)).toHaveLength(4)
    expect(keep('""', ps)).toHaveLength(4)
    expect(compileQuery({ kind: 'all' })(proc())).toBe(true)
  })
})

describe('numeric fields', () => {
  const cases: [string, Partial<ProcessInfo>, string, string][] = [
    // [field, process, query that matches, query that does not]
    ['pid', { pid: 50 }, 'pid = 50', 'pid = 51'],
    ['ppid', { ppid: 7 }, 'ppid = 7', 'ppid != 7'],
    ['uid', { uid: 0 }, 'uid = 0', 'uid > 0'],
    ['cpu', { cpuPercent: 150 }, 'cpu > 100', 'cpu < 100'],
    ['mem', { memoryBytes: 2e9 }, 'mem > 1.5GB', 'mem > 2GB'],
    ['memp', { memoryPercent: 3.5 }, 'mem% >= 3.5', 'memp > 3.5'],
    ['virt', { virtualBytes: 8 * 1024 ** 3 }, 'virt >= 8GiB', 'virt > 8G'],
    ['threads', { threads: 64 }, 'threads >= 64', 'threads < 64'],
    ['nice', { nice: -10 }, 'nice < 0', 'nice >= 0'],
    ['priority', { priority: 39 }, 'pri = 39', 'priority <= 38'],
    ['files', { openFiles: 1000 }, 'files > 999', 'fds < 1000'],
  ]
  for (const [field, over, yes, no] of cases) {
    it(`compares ${field}`, () => {
      expect(matches(yes, proc(over)), yes).toBe(true)
      expect(matches(no, proc(over)), no).toBe(false)
    })
  }

  it('implements every numeric operator', () => {
    const p = proc({ threads: 10 })
    const table: [string, boolean, boolean, boolean][] = [
      // [op, 9 op, 10 op, 11 op] evaluated as `threads op N`
      ['=', false, true, false],
      ['==', false, true, false],
      ['!=', true, false, true],
      ['>', true, false, false],
      ['>=', true, true, false],
      ['<', false, false, true],
      ['<=', false, true, true],
    ]
    for (const [op, at9, at10, at11] of table) {
      expect(matches(`threads ${op} 9`, p), `${op} 9`).toBe(at9)
      expect(matches(`threads ${op} 10`, p), `${op} 10`).toBe(at10)
      expect(matches(`threads ${op} 11`, p), `${op} 11`).toBe(at11)
    }
  })

  it('compares cpu top-style, 100 = one core', () => {
    expect(matches('cpu > 100', proc({ cpuPercent: 250 }))).toBe(true)
    expect(matches('cpu > 5%', proc({ cpuPercent: 5.5 }))).toBe(true)
  })

  it('distinguishes decimal and binary memory units', () => {
    const p = proc({ memoryBytes: 1_000_000 })
    expect(matches('mem >= 1MB', p)).toBe(true)
    expect(matches('mem >= 1MiB', p)).toBe(false)
    expect(matches('mem >= 1M', p)).toBe(false)
    expect(matches('mem > 976KiB', p)).toBe(true)
  })

  it('is false for a field the platform did not report, whatever the operator', () => {
    const p = hidden(proc({ openFiles: 3 }))
    for (const op of ['=', '!=', '>', '>=', '<', '<=']) expect(matches(`files ${op} 3`, p), op).toBe(false)
    expect(matches('not files = 3', p)).toBe(true)
    expect(matches('files != 3', proc({ openFiles: 4 }))).toBe(true)
  })
})

describe('text fields', () => {
  it('compares user and state case-insensitively', () => {
    expect(matches('user = ROOT', proc({ user: 'root' }))).toBe(true)
    expect(matches('user = roo', proc({ user: 'root' }))).toBe(false)
    expect(matches('user != root', proc({ user: 'alice' }))).toBe(true)
    expect(matches('state = R', proc({ state: 'running' }))).toBe(true)
    expect(matches('state = sleep', proc({ state: 'sleeping' }))).toBe(true)
    expect(matches('state != zombie', proc({ state: 'zombie' }))).toBe(false)
    expect(matches('status = D', proc({ state: 'disk-wait' }))).toBe(true)
  })

  it('treats = on name and command as whole-value, case-insensitive equality', () => {
    const p = proc({ name: 'Node', command: 'node server.js' })
    expect(matches('name = node', p)).toBe(true)
    expect(matches('name = nod', p)).toBe(false)
    expect(matches('name != node', p)).toBe(false)
    expect(matches('cmd = "NODE server.js"', p)).toBe(true)
    expect(matches('cmd = node', p)).toBe(false)
  })

  it('tests =~ and !~ as case-insensitive regexes', () => {
    const p = proc({ name: 'kworker/0:1', command: '[kworker/0:1]', user: 'root', state: 'idle' })
    expect(matches('name =~ ^KWORKER', p)).toBe(true)
    expect(matches('name =~ ^worker', p)).toBe(false)
    expect(matches('name !~ ^kworker', p)).toBe(false)
    expect(matches('name !~ ^worker', p)).toBe(true)
    expect(matches('cmd =~ "^\\[.*\\]$"', p)).toBe(true)
    expect(matches('user =~ ^r..t$', p)).toBe(true)
    expect(matches('state =~ ^id', p)).toBe(true)
    expect(matches('cmd =~ a|kw', p)).toBe(true)
  })

  it('tests exe, and is false when exe is hidden', () => {
    const p = proc({ exe: '/usr/bin/python3' })
    expect(matches('exe =~ python', p)).toBe(true)
    expect(matches('path = /usr/bin/python3', p)).toBe(true)
    expect(matches('exe =~ python', hidden(p))).toBe(false)
    expect(matches('exe !~ python', hidden(p))).toBe(false)
    expect(matches('exe != x', hidden(p))).toBe(false)
  })
})

describe('boolean logic', () => {
  const ps = [
    proc({ name: 'a', user: 'root', cpuPercent: 50 }),
    proc({ name: 'b', user: 'root', cpuPercent: 1 }),
    proc({ name: 'c', user: 'alice', cpuPercent: 50 }),
    proc({ name: 'd', user: 'alice', cpuPercent: 1 }),
  ]

  it('combines with and, or, not', () => {
    expect(keep('cpu > 5 and user = root', ps)).toEqual(['a'])
    expect(keep('cpu > 5 && user = root', ps)).toEqual(['a'])
    expect(keep('cpu > 5 user = root', ps)).toEqual(['a'])
    expect(keep('cpu > 5 or user = root', ps)).toEqual(['a', 'b', 'c'])
    expect(keep('cpu > 5 || user = root', ps)).toEqual(['a', 'b', 'c'])
    expect(keep('not user = root', ps)).toEqual(['c', 'd'])
    expect(keep('!(user = root)', ps)).toEqual(['c', 'd'])
  })

  it('applies precedence not > and > or', () => {
    expect(keep('name = d or user = root and cpu > 5', ps)).toEqual(['a', 'd'])
    expect(keep('(name = d or user = root) and cpu > 5', ps)).toEqual(['a'])
    expect(keep('not user = root and cpu > 5', ps)).toEqual(['c'])
    expect(keep('not (user = root and cpu > 5)', ps)).toEqual(['b', 'c', 'd'])
  })

  it('treats degenerate and/or nodes as true/false', () => {
    expect(compileQuery({ kind: 'and', children: [] })(proc())).toBe(true)
    expect(compileQuery({ kind: 'or', children: [] })(proc())).toBe(false)
  })
})

describe('compileQuery on hand-built nodes', () => {
  it('accepts a state spelled as a letter or alias', () => {
    expect(compileQuery({ kind: 'equals', field: 'state', negate: false, value: 'Z' })(proc({ state: 'zombie' }))).toBe(true)
  })

  it('reports an invalid regex as a QueryError naming the field', () => {
    const build = (): unknown => compileQuery({ kind: 'match', field: 'command', negate: false, pattern: '(' })
    expect(build).toThrow(QueryError)
    expect(build).toThrow(/invalid regular expression '\(' for 'command'/)
  })
})
