/**
 * Turns an AST into a predicate. Work that does not depend on the process
 * (regex compilation, lower-casing the needle) happens once, up front.
 *
 * A comparison on a value the platform did not report (exe, openFiles) is
 * false whatever the operator, like SQL's NULL: `files != 3` does not match a
 * process whose open files are unknown; `not files = 3` does.
 */
import type { PortsOf } from '../ports/byProcess'
import type { ProcessInfo } from '../types/process'
import type { NumericOp, QueryNode } from './ast'
import { lookupState, numericFieldDef, textFieldDef } from './fields'
import { compileRegex } from './regex'

export type ProcessPredicate = (p: ProcessInfo) => boolean

/** What a query may need beyond the process itself. */
export interface QueryEnv {
  /**
   * Each process's ports, for `port` and `listen`; without it they match
   * nothing. Supplied only when usesPorts says the query needs them.
   */
  portsOf?: PortsOf
  /** The user `user = me` names; without it `me` is taken literally. */
  me?: string
}

const ALL: ProcessPredicate = () => true
const NONE: ProcessPredicate = () => false

const NUMERIC_TESTS: Readonly<Record<NumericOp, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
}

const ALL_DIGITS = /^\d+$/

/** Compiles an AST to a predicate. Throws QueryError only for an invalid regex. */
export function compileQuery(node: QueryNode, env: QueryEnv = {}): ProcessPredicate {
  switch (node.kind) {
    case 'all':
      return ALL
    case 'and': {
      const parts = node.children.map((c) => compileQuery(c, env))
      return (p) => parts.every((f) => f(p))
    }
    case 'or': {
      const parts = node.children.map((c) => compileQuery(c, env))
      return (p) => parts.some((f) => f(p))
    }
    case 'not': {
      const inner = compileQuery(node.child, env)
      return (p) => !inner(p)
    }
    case 'port': {
      const portsOf = env.portsOf
      if (portsOf === undefined) return NONE
      const test = NUMERIC_TESTS[node.op]
      const { value, field, op } = node
      return (p) => {
        const ports = portsOf(p)
        if (ports === undefined) return false
        const list = field === 'listen' ? ports.listening : ports.local
        // `!=` on a set of ports: none of them is the value (not: some other one is).
        return op === '!=' ? list.length > 0 && !list.includes(value) : list.some((port) => test(port, value))
      }
    }
    case 'listening': {
      const portsOf = env.portsOf
      if (portsOf === undefined) return NONE
      return (p) => (portsOf(p)?.listening.length ?? 0) > 0
    }
    case 'text':
      return compileText(node.text)
    case 'numeric': {
      const get = numericFieldDef(node.field).get
      const test = NUMERIC_TESTS[node.op]
      const value = node.value
      return (p) => {
        const actual = get(p)
        return actual !== undefined && test(actual, value)
      }
    }
    case 'equals': {
      const get = textFieldDef(node.field).get
      // A hand-built node may spell a state as 'R' or 'sleep'.
      const value = node.field === 'user' && env.me !== undefined && node.value.toLowerCase() === 'me' ? env.me : node.value
      const wanted = (node.field === 'state' ? (lookupState(value) ?? value) : value).toLowerCase()
      const negate = node.negate
      return (p) => {
        const actual = get(p)
        return actual !== undefined && (actual.toLowerCase() === wanted) !== negate
      }
    }
    case 'match': {
      const get = textFieldDef(node.field).get
      const re = compileRegex(node.pattern, 0, `for '${node.field}'`)
      const negate = node.negate
      return (p) => {
        const actual = get(p)
        return actual !== undefined && re.test(actual) !== negate
      }
    }
  }
}

/** Substring of name or command, case-insensitive; an all-digit needle also matches that exact pid. */
function compileText(text: string): ProcessPredicate {
  const needle = text.toLowerCase()
  const pid = ALL_DIGITS.test(text) ? Number(text) : undefined
  return (p) => p.pid === pid || p.name.toLowerCase().includes(needle) || p.command.toLowerCase().includes(needle)
}

/** Whether the query names `port` or `listen`: only then does the engine read sockets for it. */
export function usesPorts(node: QueryNode): boolean {
  switch (node.kind) {
    case 'port':
    case 'listening':
      return true
    case 'and':
    case 'or':
      return node.children.some(usesPorts)
    case 'not':
      return usesPorts(node.child)
    default:
      return false
  }
}
