import { describe, expect, it } from 'vitest'
import { formatQuery, parseQuery, type QueryNode } from '../../../src/shared/query'

const text = (t: string): QueryNode => ({ kind: 'text', text: t })

describe('parseQuery structure', () => {
  it('treats empty and blank text as match-all', () => {
    expect(parseQuery('')).toEqual({ kind: 'all' })
    expect(parseQuery('  \t\n ')).toEqual({ kind: 'all' })
  })

  it('parses a comparison with and without spaces', () => {
    const expected: QueryNode = { kind: 'numeric', field: 'cpu', op: '>', value: 5 }
    expect(parseQuery('cpu > 5')).toEqual(expected)
    expect(parseQuery('cpu>5')).toEqual(expected)
    expect(parseQuery('  cpu   >\t5 ')).toEqual(expected)
  })

  it('normalizes every operator', () => {
    const ops = [
      ['=', '='],
      ['==', '='],
      ['!=', '!='],
      ['>', '>'],
      ['>=', '>='],
      ['<', '<'],
      ['<=', '<='],
    ] as const
    for (const [written, op] of ops) {
      expect(parseQuery(`pid ${written} 7`)).toEqual({ kind: 'numeric', field: 'pid', op, value: 7 })
      expect(parseQuery(`pid${written}7`)).toEqual({ kind: 'numeric', field: 'pid', op, value: 7 })
    }
    expect(parseQuery('name =~ ^no')).toEqual({ kind: 'match', field: 'name', negate: false, pattern: '^no' })
    expect(parseQuery('name !~ ^no')).toEqual({ kind: 'match', field: 'name', negate: true, pattern: '^no' })
    expect(parseQuery('user = root')).toEqual({ kind: 'equals', field: 'user', negate: false, value: 'root' })
    expect(parseQuery('user == root')).toEqual({ kind: 'equals', field: 'user', negate: false, value: 'root' })
    expect(parseQuery('user != root')).toEqual({ kind: 'equals', field: 'user', negate: true, value: 'root' })
  })

  it('resolves field aliases case-insensitively', () => {
    const cases: [string, string][] = [
      ['name', 'name'],
      ['NAME', 'name'],
      ['pid', 'pid'],
      ['ppid', 'ppid'],
      ['parent', 'ppid'],
      ['user', 'user'],
      ['owner', 'user'],
      ['uid', 'uid'],
      ['state', 'state'],
      ['status', 'state'],
      ['cpu', 'cpu'],
      ['CPU%', 'cpu'],
      ['mem', 'mem'],
      ['memory', 'mem'],
      ['rss', 'mem'],
      ['mem%', 'memp'],
      ['memp', 'memp'],
      ['memory%', 'memp'],
      ['virt', 'virt'],
      ['vsz', 'virt'],
      ['virtual', 'virt'],
      ['threads', 'threads'],
      ['nice', 'nice'],
      ['ni', 'nice'],
      ['priority', 'priority'],
      ['pri', 'priority'],
      ['prio', 'priority'],
      ['command', 'command'],
      ['cmd', 'command'],
      ['args', 'command'],
      ['exe', 'exe'],
      ['path', 'exe'],
      ['files', 'files'],
      ['fds', 'files'],
      ['openfiles', 'files'],
    ]
    for (const [alias, field] of cases) {
      const node = parseQuery(`${alias} = ${field === 'state' ? 'R' : '1'}`)
      expect(node.kind === 'numeric' || node.kind === 'equals' ? node.field : undefined, alias).toBe(field)
    }
  })

  it('gives not > and > or precedence', () => {
    expect(parseQuery('a or b and not c')).toEqual({
      kind: 'or',
      children: [text('a'), { kind: 'and', children: [text('b'), { kind: 'not', child: text('c') }] }],
    })
    expect(parseQuery('a and b or c')).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [text('a'), text('b')] }, text('c')],
    })
    expect(parseQuery('not a and b')).toEqual({ kind: 'and', children: [{ kind: 'not', child: text('a') }, text('b')] })
  })

  it('lets parentheses override precedence', () => {
    expect(parseQuery('(a or b) and c')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [text('a'), text('b')] }, text('c')],
    })
    expect(parseQuery('not (a or b)')).toEqual({ kind: 'not', child: { kind: 'or', children: [text('a'), text('b')] } })
    expect(parseQuery('((a))')).toEqual(text('a'))
  })

  it('accepts symbolic and case-insensitive keywords', () => {
    const expected = parseQuery('a and b or not c')
    expect(parseQuery('a && b || !c')).toEqual(expected)
    expect(parseQuery('a AND b Or NOT c')).toEqual(expected)
    expect(parseQuery('a&&b||!c')).toEqual(expected)
    expect(parseQuery('!!a')).toEqual({ kind: 'not', child: { kind: 'not', child: text('a') } })
  })

  it('reads adjacent terms as an implicit and, binding tighter than or', () => {
    expect(parseQuery('cpu > 5 user = root')).toEqual(parseQuery('cpu > 5 and user = root'))
    expect(parseQuery('a b or c')).toEqual(parseQuery('a and b or c'))
    expect(parseQuery('a (b or c) "d"')).toEqual(parseQuery('a and (b or c) and "d"'))
    expect(parseQuery('a !b')).toEqual(parseQuery('a and not b'))
  })

  it('flattens chains of the same operator', () => {
    expect(parseQuery('a and b and c')).toEqual({ kind: 'and', children: [text('a'), text('b'), text('c')] })
    expect(parseQuery('a or b || c')).toEqual({ kind: 'or', children: [text('a'), text('b'), text('c')] })
  })

  it('reads bare words and strings as plain text', () => {
    expect(parseQuery('node')).toEqual(text('node'))
    expect(parseQuery('my-unique-arg-123')).toEqual(text('my-unique-arg-123'))
    expect(parseQuery('/usr/bin/python3.12')).toEqual(text('/usr/bin/python3.12'))
    expect(parseQuery("don't")).toEqual(text("don't"))
    expect(parseQuery('hello!')).toEqual(text('hello!'))
    expect(parseQuery('a|b')).toEqual(text('a|b'))
    expect(parseQuery('~/bin')).toEqual(text('~/bin'))
    expect(parseQuery('--port=8080')).toEqual(text('--port=8080'))
    expect(parseQuery('a.b<c')).toEqual(text('a.b<c'))
    expect(parseQuery('/x/y!=z')).toEqual(text('/x/y!=z'))
    expect(parseQuery('"cpu > 5"')).toEqual(text('cpu > 5'))
    expect(parseQuery("'and'")).toEqual(text('and'))
    expect(parseQuery('""')).toEqual(text(''))
    expect(parseQuery('cpu')).toEqual(text('cpu'))
    expect(parseQuery('1234')).toEqual(text('1234'))
  })

  it('unescapes quotes and backslashes but keeps other escapes for regexes', () => {
    expect(parseQuery('"say \\"hi\\""')).toEqual(text('say "hi"'))
    expect(parseQuery("'it\\'s'")).toEqual(text("it's"))
    expect(parseQuery('"a\\\\b"')).toEqual(text('a\\b'))
    expect(parseQuery('"a\'b"')).toEqual(text("a'b"))
    expect(parseQuery('cmd =~ "\\d+ \\(x\\)"')).toEqual({ kind: 'match', field: 'command', negate: false, pattern: '\\d+ \\(x\\)' })
  })

  it('takes quoted values with spaces and operators', () => {
    expect(parseQuery('cmd = "node server.js"')).toEqual({ kind: 'equals', field: 'command', negate: false, value: 'node server.js' })
    expect(parseQuery("name = 'a and b'")).toEqual({ kind: 'equals', field: 'name', negate: false, value: 'a and b' })
    expect(parseQuery('user = "or"')).toEqual({ kind: 'equals', field: 'user', negate: false, value: 'or' })
    expect(parseQuery('cmd =~ "(a|b) > c"')).toEqual({ kind: 'match', field: 'command', negate: false, pattern: '(a|b) > c' })
    expect(parseQuery('mem > "1.5 GB"')).toEqual({ kind: 'numeric', field: 'mem', op: '>', value: 1.5e9 })
  })

  it('lets an unquoted value contain operator characters', () => {
    expect(parseQuery('cmd =~ --port=80')).toEqual({ kind: 'match', field: 'command', negate: false, pattern: '--port=80' })
    expect(parseQuery('name = !x')).toEqual({ kind: 'equals', field: 'name', negate: false, value: '!x' })
    expect(parseQuery('cmd=~a<b>c')).toEqual({ kind: 'match', field: 'command', negate: false, pattern: 'a<b>c' })
  })

  it('ends an unquoted value at whitespace, parentheses, && and ||', () => {
    expect(parseQuery('(name=x)')).toEqual({ kind: 'equals', field: 'name', negate: false, value: 'x' })
    expect(parseQuery('name=x&&pid=1')).toEqual({
      kind: 'and',
      children: [
        { kind: 'equals', field: 'name', negate: false, value: 'x' },
        { kind: 'numeric', field: 'pid', op: '=', value: 1 },
      ],
    })
    expect(parseQuery('name=x||pid=1').kind).toBe('or')
  })

  it('parses numbers: decimals, signs, exponents, percent', () => {
    const value = (q: string): number | undefined => {
      const n = parseQuery(q)
      return n.kind === 'numeric' ? n.value : undefined
    }
    expect(value('cpu > 1.5')).toBe(1.5)
    expect(value('cpu > .5')).toBe(0.5)
    expect(value('cpu > 5.')).toBe(5)
    expect(value('nice < -5')).toBe(-5)
    expect(value('nice < +5')).toBe(5)
    expect(value('cpu > 1e2')).toBe(100)
    expect(value('cpu > 50%')).toBe(50)
    expect(value('mem% >= 2.5%')).toBe(2.5)
    expect(value('pid = 007')).toBe(7)
  })

  it('parses memory units', () => {
    const bytes = (v: string): number | undefined => {
      const n = parseQuery(`mem > ${v}`)
      return n.kind === 'numeric' ? n.value : undefined
    }
    expect(bytes('512')).toBe(512)
    expect(bytes('512B')).toBe(512)
    expect(bytes('1KB')).toBe(1e3)
    expect(bytes('1MB')).toBe(1e6)
    expect(bytes('1.5GB')).toBe(1.5e9)
    expect(bytes('2TB')).toBe(2e12)
    expect(bytes('1KiB')).toBe(1024)
    expect(bytes('1MiB')).toBe(1024 ** 2)
    expect(bytes('1.5GiB')).toBe(1.5 * 1024 ** 3)
    expect(bytes('1TiB')).toBe(1024 ** 4)
    expect(bytes('1K')).toBe(1024)
    expect(bytes('3M')).toBe(3 * 1024 ** 2)
    expect(bytes('1G')).toBe(1024 ** 3)
    expect(bytes('1T')).toBe(1024 ** 4)
    expect(bytes('1gb')).toBe(1e9)
    expect(bytes('1gib')).toBe(1024 ** 3)
    expect(bytes('1k')).toBe(1024)
    expect(bytes('1 GB')).toBe(1e9)
    expect(bytes('1.5 mib')).toBe(1.5 * 1024 ** 2)
    const virt = parseQuery('virt > 4GiB')
    expect(virt).toEqual({ kind: 'numeric', field: 'virt', op: '>', value: 4 * 1024 ** 3 })
  })

  it('keeps a word after a number as text when it is no unit', () => {
    expect(parseQuery('mem > 1 node')).toEqual({
      kind: 'and',
      children: [{ kind: 'numeric', field: 'mem', op: '>', value: 1 }, text('node')],
    })
    expect(parseQuery('cpu > 1 GB')).toEqual({
      kind: 'and',
      children: [{ kind: 'numeric', field: 'cpu', op: '>', value: 1 }, text('GB')],
    })
  })

  it('resolves state names, letters and aliases', () => {
    const state = (v: string): string | undefined => {
      const n = parseQuery(`state = ${v}`)
      return n.kind === 'equals' ? n.value : undefined
    }
    const cases: [string, string][] = [
      ['running', 'running'],
      ['R', 'running'],
      ['run', 'running'],
      ['sleeping', 'sleeping'],
      ['S', 'sleeping'],
      ['sleep', 'sleeping'],
      ['disk-wait', 'disk-wait'],
      ['D', 'disk-wait'],
      ['disk', 'disk-wait'],
      ['zombie', 'zombie'],
      ['Z', 'zombie'],
      ['defunct', 'zombie'],
      ['stopped', 'stopped'],
      ['T', 'stopped'],
      ['stop', 'stopped'],
      ['tracing', 'tracing'],
      ['traced', 'tracing'],
      ['idle', 'idle'],
      ['I', 'idle'],
      ['dead', 'dead'],
      ['X', 'dead'],
      ['unknown', 'unknown'],
      ['SLEEPING', 'sleeping'],
      ['"r"', 'running'],
    ]
    for (const [written, canonical] of cases) expect(state(written), written).toBe(canonical)
  })
})

describe('formatQuery', () => {
  it('prints the empty query as empty text', () => {
    expect(formatQuery({ kind: 'all' })).toBe('')
  })

  it('prints minimal parentheses and canonical names', () => {
    expect(formatQuery(parseQuery('(a or b) c'))).toBe('(a or b) and c')
    expect(formatQuery(parseQuery('a || b && !c'))).toBe('a or b and not c')
    expect(formatQuery(parseQuery('not (a b)'))).toBe('not (a and b)')
    expect(formatQuery(parseQuery('cmd == x'))).toBe('command = x')
    expect(formatQuery(parseQuery('mem > 1K'))).toBe('mem > 1024')
    expect(formatQuery(parseQuery('state = Z'))).toBe('state = zombie')
  })

  it('quotes text that would not survive as a bare word', () => {
    expect(formatQuery({ kind: 'text', text: 'and' })).toBe('"and"')
    expect(formatQuery({ kind: 'text', text: 'a b' })).toBe('"a b"')
    expect(formatQuery({ kind: 'text', text: 'say "hi" \\o/' })).toBe('"say \\"hi\\" \\\\o/"')
    expect(formatQuery({ kind: 'text', text: '' })).toBe('""')
    expect(formatQuery({ kind: 'match', field: 'command', negate: true, pattern: '^a(b|c)' })).toBe('command !~ "^a(b|c)"')
  })

  it('prints degenerate nodes as equivalent queries', () => {
    expect(formatQuery({ kind: 'and', children: [] })).toBe('""')
    expect(formatQuery({ kind: 'or', children: [] })).toBe('not ""')
    expect(formatQuery({ kind: 'or', children: [{ kind: 'text', text: 'x' }] })).toBe('x')
    expect(formatQuery({ kind: 'not', child: { kind: 'all' } })).toBe('not ""')
    expect(formatQuery({ kind: 'numeric', field: 'cpu', op: '<', value: Infinity })).toBe('cpu < 1e999')
  })
})
