/**
 * Prints an AST back as query text that parses to an equivalent query
 * (same matches), e.g. to show a structured filter in the search box.
 */
import type { QueryNode } from './ast'

/** Bare words that survive a round trip; anything else is quoted. */
const SAFE_WORD = /^[A-Za-z0-9_.\-/:@+,%]+$/
// `listen` alone is a term of its own, so a search for the word must be quoted.
const KEYWORDS = new Set(['and', 'or', 'not', 'listen', 'listening'])

function word(s: string): string {
  if (SAFE_WORD.test(s) && !KEYWORDS.has(s.toLowerCase())) return s
  return `"${s.replace(/[\\"]/g, '\\$&')}"`
}

function number(n: number): string {
  // Beyond double range parses back to Infinity; NaN has no spelling and never round-trips.
  if (n === Infinity) return '1e999'
  if (n === -Infinity) return '-1e999'
  return String(n)
}

// Binding strength: or < and < not < atom. `min` is what the context needs.
const OR = 1
const AND = 2
const NOT = 3

function format(node: QueryNode, min: number): string {
  switch (node.kind) {
    case 'all':
      return '""' // matches everything, as the empty query does
    case 'or':
    case 'and': {
      const level = node.kind === 'or' ? OR : AND
      const [only] = node.children
      if (node.children.length === 0) return node.kind === 'and' ? '""' : 'not ""'
      if (node.children.length === 1 && only !== undefined) return format(only, min)
      const text = node.children.map((c) => format(c, level + 1)).join(` ${node.kind} `)
      return min > level ? `(${text})` : text
    }
    case 'not':
      return `not ${format(node.child, NOT)}`
    case 'text':
      return word(node.text)
    case 'numeric':
      return `${node.field} ${node.op} ${number(node.value)}`
    case 'equals':
      return `${node.field} ${node.negate ? '!=' : '='} ${word(node.value)}`
    case 'match':
      return `${node.field} ${node.negate ? '!~' : '=~'} ${word(node.pattern)}`
    case 'port':
      return `${node.field} ${node.op} ${node.value}`
    case 'listening':
      return 'listen'
  }
}

export function formatQuery(node: QueryNode): string {
  return node.kind === 'all' ? '' : format(node, 0)
}
