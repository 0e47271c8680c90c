/**
 * Turns an AST into a predicate. Work that does not depend on the process
 * (regex compilation, lower-casing the needle) happens once, up front.
 *
 * A comparison on a value the platform did not report (exe, openFiles) is
 * false whatever the operator, like SQL's NULL: `files != 3` does not match a
 * process whose open files are unknown; `not files = 3` does.
 */
import type { ProcessInfo } from '../types/process'
import type { NumericOp, QueryNode } from './ast'
import { lookupState, numericFieldDef, textFieldDef } from './fields'
import { compileRegex } from './regex'

export type ProcessPredicate = (p: ProcessInfo) => boolean

const ALL: ProcessPredicate = () => true

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
export function compileQuery(node: QueryNode): ProcessPredicate {
  switch (node.kind) {
    case 'all':
      return ALL
    case 'and': {
      const parts = node.children.map(compileQuery)
      return (p) => parts.every((f) => f(p))
    }
    case 'or': {
      const parts = node.children.map(compileQuery)
      return (p) => parts.some((f) => f(p))
    }
    case 'not': {
      const inner = compileQuery(node.child)
      return (p) => !inner(p)
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
      const wanted = (node.field === 'state' ? (lookupState(node.value) ?? node.value) : node.value).toLowerCase()
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
