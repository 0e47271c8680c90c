/**
 * Recursive-descent parser.
 *
 *   query   := or? EOF
 *   or      := and (('or' | '||') and)*
 *   and     := unary (('and' | '&&')? unary)*      adjacent terms: implicit and
 *   unary   := ('not' | '!') unary | primary
 *   primary := '(' or ')' | WORD OP value | WORD | STRING
 *   value   := WORD | STRING
 */
import { QueryError, type CompareOp, type QueryNode } from './ast'
import { isByteUnit, lookupField, lookupPortField, parseNumericValue, parsePortValue, parseStateValue, PORT_FIELDS, QUERY_FIELDS, type PortFieldDef } from './fields'
import { compileRegex } from './regex'
import { isOpToken, tokenize, type OpToken, type Token } from './lexer'

/** Guards the recursion; a real query never comes close. */
const MAX_DEPTH = 200

const BARE_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/
const FIELD_LIST = [...QUERY_FIELDS, ...PORT_FIELDS].map((f) => f.name).join(', ')
const NUMERIC_OPS = '=, !=, >, >=, <, <='
const TEXT_OPS = '=, !=, =~, !~'

class Parser {
  private i = 0
  private depth = 0

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): QueryNode {
    if (this.peek().kind === 'eof') return { kind: 'all' }
    const node = this.parseOr()
    const t = this.peek()
    if (t.kind === 'rparen') throw new QueryError(`unmatched ')' at position ${t.pos}`, t.pos)
    if (t.kind !== 'eof') throw unexpected(t) // unreachable: parseAnd stops only at ')', 'or' or EOF
    return node
  }

  private peek(offset = 0): Token {
    // The token list always ends with EOF, so clamp there.
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] ?? { kind: 'eof', value: '', pos: 0 }
  }

  private next(): Token {
    const t = this.peek()
    if (this.i < this.tokens.length - 1) this.i += 1
    return t
  }

  private parseOr(): QueryNode {
    const children = [this.parseAnd()]
    while (this.peek().kind === 'or') {
      this.requireTermAfter(this.next())
      children.push(this.parseAnd())
    }
    return children.length === 1 && children[0] !== undefined ? children[0] : { kind: 'or', children }
  }

  private parseAnd(): QueryNode {
    const children = [this.parseUnary()]
    for (;;) {
      const t = this.peek()
      if (t.kind === 'and') {
        this.requireTermAfter(this.next())
      } else if (!startsTerm(t)) {
        break
      }
      children.push(this.parseUnary())
    }
    return children.length === 1 && children[0] !== undefined ? children[0] : { kind: 'and', children }
  }

  private parseUnary(): QueryNode {
    const t = this.peek()
    if (t.kind !== 'not') return this.parsePrimary()
    this.next()
    this.requireTermAfter(t)
    this.enter(t)
    const child = this.parseUnary()
    this.depth -= 1
    return { kind: 'not', child }
  }

  private parsePrimary(): QueryNode {
    const t = this.next()
    switch (t.kind) {
      case 'lparen': {
        this.requireTermAfter(t)
        this.enter(t)
        const inner = this.parseOr()
        this.depth -= 1
        if (this.peek().kind !== 'rparen') throw new QueryError(`unclosed '(' opened at position ${t.pos}`, t.pos)
        this.next()
        return inner
      }
      case 'word': {
        const op = this.peek()
        if (isOpToken(op)) {
          this.next()
          return this.parseComparison(t, op)
        }
        // Unquoted only: `"listen"` still searches for the word.
        if (lookupPortField(t.value)?.name === 'listen') return { kind: 'listening' }
        return { kind: 'text', text: t.value }
      }
      case 'string': {
        const op = this.peek()
        if (isOpToken(op)) throw new QueryError(`expected a field name before '${op.value}' at position ${t.pos} (field names are not quoted)`, t.pos)
        return { kind: 'text', text: t.value }
      }
      case 'op':
        throw new QueryError(`expected a field name before '${t.value}' at position ${t.pos}`, t.pos)
      case 'and':
      case 'or':
        throw new QueryError(`expected a term before '${t.value}' at position ${t.pos}`, t.pos)
      case 'rparen':
        throw new QueryError(`unmatched ')' at position ${t.pos}`, t.pos)
      default:
        throw unexpected(t)
    }
  }

  private parseComparison(fieldToken: Token, opToken: OpToken): QueryNode {
    const portDef = lookupPortField(fieldToken.value)
    if (portDef !== undefined) return this.parsePortComparison(portDef, opToken)
    const def = lookupField(fieldToken.value)
    if (def === undefined) {
      throw new QueryError(`unknown field '${fieldToken.value}' at position ${fieldToken.pos} (fields: ${FIELD_LIST})`, fieldToken.pos)
    }
    const v = this.peek()
    if (v.kind !== 'word' && v.kind !== 'string') {
      throw new QueryError(`expected a value after '${opToken.value}' at position ${v.pos}`, v.pos)
    }
    this.next()
    const op: CompareOp = opToken.op
    if (def.kind === 'numeric') {
      if (op === '=~' || op === '!~') {
        throw new QueryError(`'${opToken.value}' does not apply to number field '${def.name}' at position ${opToken.pos} (use ${NUMERIC_OPS})`, opToken.pos)
      }
      let raw = v.value
      const unit = this.peek()
      if (def.unit === 'bytes' && BARE_NUMBER.test(raw) && unit.kind === 'word' && isByteUnit(unit.value)) {
        this.next() // `1.5 GB`: without this it would silently become `mem > 1.5 and GB`
        raw += unit.value
      }
      return { kind: 'numeric', field: def.name, op, value: parseNumericValue(def, raw, v.pos) }
    }
    if (op === '=~' || op === '!~') {
      compileRegex(v.value, v.pos, `at position ${v.pos}`)
      return { kind: 'match', field: def.name, negate: op === '!~', pattern: v.value }
    }
    if (op !== '=' && op !== '!=') {
      throw new QueryError(`'${opToken.value}' does not apply to text field '${def.name}' at position ${opToken.pos} (use ${TEXT_OPS})`, opToken.pos)
    }
    const value = def.name === 'state' ? parseStateValue(v.value, v.pos) : v.value
    return { kind: 'equals', field: def.name, negate: op === '!=', value }
  }

  private parsePortComparison(def: PortFieldDef, opToken: OpToken): QueryNode {
    const v = this.peek()
    if (v.kind !== 'word' && v.kind !== 'string') {
      throw new QueryError(`expected a port number after '${opToken.value}' at position ${v.pos}`, v.pos)
    }
    this.next()
    const op = opToken.op
    if (op === '=~' || op === '!~') {
      throw new QueryError(`'${opToken.value}' does not apply to port field '${def.name}' at position ${opToken.pos} (use ${NUMERIC_OPS})`, opToken.pos)
    }
    return { kind: 'port', field: def.name, op, value: parsePortValue(def, v.value, v.pos) }
  }

  private requireTermAfter(t: Token): void {
    const n = this.peek()
    if (!startsTerm(n)) {
      const what = n.kind === 'eof' ? 'end of query' : `'${n.value}'`
      throw new QueryError(`expected a term after '${t.value}' at position ${n.pos}, found ${what}`, n.pos)
    }
  }

  private enter(t: Token): void {
    this.depth += 1
    if (this.depth > MAX_DEPTH) throw new QueryError(`query nested too deeply at position ${t.pos}`, t.pos)
  }
}

function startsTerm(t: Token): boolean {
  return t.kind === 'word' || t.kind === 'string' || t.kind === 'lparen' || t.kind === 'not'
}

function unexpected(t: Token): QueryError {
  const what = t.kind === 'eof' ? 'end of query' : `'${t.value}'`
  return new QueryError(`unexpected ${what} at position ${t.pos}`, t.pos)
}

/** Parses query text. Empty or blank text matches everything. Throws QueryError. */
export function parseQuery(text: string): QueryNode {
  return new Parser(tokenize(text)).parse()
}
