import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compileQuery,
  compileTextQuery,
  formatQuery,
  parseQuery,
  QueryError,
  type NumericField,
  type QueryNode,
  type TextField,
} from '../../../src/shared/query'
import { PROCESS_STATES, type ProcessInfo } from '../../../src/shared/types/process'
import { proc } from './factory'

// Small pools so that generated queries and processes actually meet.
const WORDS = ['node', 'Node', 'systemd', 'kworker/0:1', 'a b', 'and', 'OR', 'é', '"q"', "it's", 'x\\y', '', '1', '12', '100', '-v', '--port=80']
const NUMBERS = [0, 1, 5, 12, 100, 1024, -5, 12.5, 1e9]
const NUMERIC_FIELDS: readonly NumericField[] = ['pid', 'ppid', 'uid', 'cpu', 'mem', 'memp', 'virt', 'threads', 'nice', 'priority', 'files']
const TEXT_FIELDS: readonly TextField[] = ['name', 'command', 'exe', 'user', 'state']
const PATTERNS = ['^no', 'd$', '.*', 'a|b', '[0-9]+', '\\d', 'N.DE', '^$', '"', '\\\\', "'", ' ', '\\(']

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const word = fc.oneof(fc.constantFrom(...WORDS), fc.string())
const number = fc.oneof(fc.constantFrom(...NUMBERS), fc.double({ noNaN: true }))

const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.constant<QueryNode>({ kind: 'all' }),
  word.map((text): QueryNode => ({ kind: 'text', text })),
  fc
    .tuple(fc.constantFrom(...NUMERIC_FIELDS), fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const), number)
    .map(([field, op, value]): QueryNode => ({ kind: 'numeric', field, op, value })),
  fc
    .tuple(fc.constantFrom<TextField>('name', 'command', 'exe', 'user'), fc.boolean(), word)
    .map(([field, negate, value]): QueryNode => ({ kind: 'equals', field, negate, value })),
  fc
    .tuple(fc.boolean(), fc.constantFrom(...PROCESS_STATES))
    .map(([negate, value]): QueryNode => ({ kind: 'equals', field: 'state', negate, value })),
  fc
    .tuple(fc.constantFrom(...TEXT_FIELDS), fc.boolean(), fc.oneof(fc.constantFrom(...PATTERNS), word.map(escapeRegex)))
    .map(([field, negate, pattern]): QueryNode => ({ kind: 'match', field, negate, pattern })),
)

const { node: queryNode } = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'query' },
    leaf,
    fc.array(tie('node'), { maxLength: 3, depthIdentifier: 'query' }).map((children): QueryNode => ({ kind: 'and', children })),
    fc.array(tie('node'), { maxLength: 3, depthIdentifier: 'query' }).map((children): QueryNode => ({ kind: 'or', children })),
    tie('node').map((child): QueryNode => ({ kind: 'not', child })),
  ),
}))

const process: fc.Arbitrary<ProcessInfo> = fc
  .record({
    pid: fc.constantFrom(0, 1, 12, 100, 4242),
    ppid: fc.constantFrom(0, 1, 5),
    name: fc.constantFrom(...WORDS),
    command: word,
    exe: fc.option(word, { nil: undefined }),
    user: fc.constantFrom('root', 'ROOT', 'alice', 'and', ''),
    uid: fc.constantFrom(0, 1, 1000),
    state: fc.constantFrom(...PROCESS_STATES),
    nice: fc.integer({ min: -20, max: 19 }),
    priority: fc.constantFrom(0, 5, 20, 39),
    threads: fc.constantFrom(1, 5, 12, 100),
    cpuPercent: number,
    memoryBytes: number,
    memoryPercent: number,
    virtualBytes: number,
    openFiles: fc.option(fc.constantFrom(0, 5, 12, 1024), { nil: undefined }),
  })
  .map(({ exe, openFiles, ...rest }) => {
    // Absent, not `undefined`, as an adapter that cannot read them leaves them out.
    const p: ProcessInfo = { ...proc(), ...rest }
    delete p.exe
    delete p.openFiles
    if (exe !== undefined) p.exe = exe
    if (openFiles !== undefined) p.openFiles = openFiles
    return p
  })

const NUMERIC_VALUE: Record<NumericField, (p: ProcessInfo) => number | undefined> = {
  pid: (p) => p.pid,
  ppid: (p) => p.ppid,
  uid: (p) => p.uid,
  cpu: (p) => p.cpuPercent,
  mem: (p) => p.memoryBytes,
  memp: (p) => p.memoryPercent,
  virt: (p) => p.virtualBytes,
  threads: (p) => p.threads,
  nice: (p) => p.nice,
  priority: (p) => p.priority,
  files: (p) => p.openFiles,
}
const TEXT_VALUE: Record<TextField, (p: ProcessInfo) => string | undefined> = {
  name: (p) => p.name,
  command: (p) => p.command,
  exe: (p) => p.exe,
  user: (p) => p.user,
  state: (p) => p.state,
}

/** The documented semantics, written independently of the module. */
function reference(node: QueryNode, p: ProcessInfo): boolean {
  switch (node.kind) {
    case 'all':
      return true
    case 'and':
      return node.children.every((c) => reference(c, p))
    case 'or':
      return node.children.some((c) => reference(c, p))
    case 'not':
      return !reference(node.child, p)
    case 'text': {
      const t = node.text.toLowerCase()
      const pidHit = /^\d+$/.test(node.text) && p.pid === Number(node.text)
      return pidHit || p.name.toLowerCase().includes(t) || p.command.toLowerCase().includes(t)
    }
    case 'numeric': {
      const v = NUMERIC_VALUE[node.field](p)
      if (v === undefined) return false
      const x = node.value
      return { '=': v === x, '!=': v !== x, '>': v > x, '>=': v >= x, '<': v < x, '<=': v <= x }[node.op]
    }
    case 'equals': {
      const v = TEXT_VALUE[node.field](p)
      return v !== undefined && (v.toLowerCase() === node.value.toLowerCase()) !== node.negate
    }
    case 'match': {
      const v = TEXT_VALUE[node.field](p)
      return v !== undefined && new RegExp(node.pattern, 'i').test(v) !== node.negate
    }
    case 'port':
    case 'listening':
      return false // no ports given: unknown, like a value the platform did not report
  }
}

describe('query properties', () => {
  it('compiles an AST to the documented semantics', () => {
    fc.assert(
      fc.property(queryNode, fc.array(process, { minLength: 1, maxLength: 5 }), (node, ps) => {
        const predicate = compileQuery(node)
        for (const p of ps) expect(predicate(p)).toBe(reference(node, p))
      }),
      { numRuns: 500 },
    )
  })

  it('parse(format(ast)) evaluates like the AST', () => {
    fc.assert(
      fc.property(queryNode, fc.array(process, { minLength: 1, maxLength: 5 }), (node, ps) => {
        const direct = compileQuery(node)
        const viaText = compileTextQuery(formatQuery(node))
        for (const p of ps) expect(viaText(p)).toBe(direct(p))
      }),
      { numRuns: 500 },
    )
  })

  it('formatting is stable: format(parse(format(ast))) = format(ast)', () => {
    fc.assert(
      fc.property(queryNode, (node) => {
        const text = formatQuery(node)
        expect(formatQuery(parseQuery(text))).toBe(text)
      }),
      { numRuns: 500 },
    )
  })

  // Strings built from the language's own pieces reach far more of the parser than random text.
  const PIECES = [' ', '(', ')', '"', "'", '\\', '!', '=', '~', '<', '>', '&&', '||', '&', '|', 'and', 'or', 'not', 'cpu', 'mem', 'name', 'state', 'pid', 'x', '5', '1.5GB', 'R', '%', '-', '[', '*', '.']
  const queryText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom(...PIECES), { maxLength: 20 }).map((parts) => parts.join('')),
  )

  it('parseQuery throws nothing but a QueryError, positioned inside the text', () => {
    fc.assert(
      fc.property(queryText, process, (text, p) => {
        let node: QueryNode
        try {
          node = parseQuery(text)
        } catch (err) {
          expect(err).toBeInstanceOf(QueryError)
          const position = (err as QueryError).position
          expect(Number.isInteger(position) && position >= 0 && position <= text.length).toBe(true)
          return
        }
        // Whatever parses compiles, runs, and survives a round trip through text.
        const direct = compileQuery(node)
        expect(compileTextQuery(formatQuery(node))(p)).toBe(direct(p))
      }),
      { numRuns: 2000 },
    )
  })
})
