/**
 * Tokenizer. Words are as permissive as possible so that typing a bare name
 * or command-line fragment into a search box just works: only whitespace,
 * parentheses, `&&`, `||` and (after a field-like word) a comparison
 * operator end a word. A quote opens a string only at the start of a token.
 */
import { QueryError, type CompareOp } from './ast'

export type TokenKind = 'word' | 'string' | 'op' | 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'eof'

export interface Token {
  kind: TokenKind
  /** Word text, unescaped string content, or the operator as written. */
  value: string
  /** Offset of the first character in the query text. */
  pos: number
}

export interface OpToken extends Token {
  kind: 'op'
  op: CompareOp
}

// Longest first so `>=` wins over `>`.
const OPERATORS: readonly (readonly [string, CompareOp])[] = [
  ['==', '='],
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  ['=~', '=~'],
  ['!~', '!~'],
  ['=', '='],
  ['>', '>'],
  ['<', '<'],
]

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
])

const isSpace = (c: string): boolean => /\s/.test(c)

function operatorAt(text: string, i: number): readonly [string, CompareOp] | undefined {
  return OPERATORS.find(([s]) => text.startsWith(s, i))
}

/** Only a word that could be a field name is cut short by an operator. */
const FIELD_LIKE = /^[A-Za-z_][A-Za-z0-9_%]*$/

/**
 * Ends a word. An operator ends it only after something field-like, so
 * `cpu>5` splits while `--port=80` or `a/b=c` stays one search word. After an
 * operator (`inValue`) the value may itself contain `=`, `<`, `>` or `!`
 * (`cmd =~ --port=80`), so only separators end it.
 */
function endsWord(text: string, start: number, i: number, inValue: boolean): boolean {
  const c = text.charAt(i)
  if (isSpace(c) || c === '(' || c === ')') return true
  if (text.startsWith('&&', i) || text.startsWith('||', i)) return true
  return !inValue && operatorAt(text, i) !== undefined && FIELD_LIKE.test(text.slice(start, i))
}

/** Reads a quoted string at `start`; `\` escapes a quote or a backslash and is kept before anything else (regex-friendly). */
function readString(text: string, start: number): { value: string; end: number } {
  const quote = text.charAt(start)
  let value = ''
  let i = start + 1
  while (i < text.length) {
    const c = text.charAt(i)
    if (c === quote) return { value, end: i + 1 }
    if (c === '\\' && i + 1 < text.length) {
      const next = text.charAt(i + 1)
      value += next === '"' || next === "'" || next === '\\' ? next : c + next
      i += 2
    } else {
      value += c
      i += 1
    }
  }
  throw new QueryError(`unclosed quote (${quote}) opened at position ${start}`, start)
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (true) {
    while (i < text.length && isSpace(text.charAt(i))) i++
    if (i >= text.length) break
    const inValue = tokens[tokens.length - 1]?.kind === 'op'
    const c = text.charAt(i)
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', value: c, pos: i })
      i += 1
      continue
    }
    if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ kind: c === '&' ? 'and' : 'or', value: text.slice(i, i + 2), pos: i })
      i += 2
      continue
    }
    if (c === '"' || c === "'") {
      const { value, end } = readString(text, i)
      tokens.push({ kind: 'string', value, pos: i })
      i = end
      continue
    }
    const op = inValue ? undefined : operatorAt(text, i)
    if (op !== undefined) {
      const token: OpToken = { kind: 'op', value: op[0], op: op[1], pos: i }
      tokens.push(token)
      i += op[0].length
      continue
    }
    if (c === '!' && !inValue) {
      tokens.push({ kind: 'not', value: c, pos: i })
      i += 1
      continue
    }
    const start = i
    i += 1
    while (i < text.length && !endsWord(text, start, i, inValue)) i++
    const word = text.slice(start, i)
    tokens.push({ kind: KEYWORDS.get(word.toLowerCase()) ?? 'word', value: word, pos: start })
  }
  tokens.push({ kind: 'eof', value: '', pos: text.length })
  return tokens
}

export function isOpToken(t: Token): t is OpToken {
  return t.kind === 'op'
}
