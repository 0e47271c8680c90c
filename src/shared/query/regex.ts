/**
 * User regexes (`=~`, `!~`, commandRegex) run on RE2 (re2js, pure
 * JavaScript): matching takes time linear in the text, whatever the
 * pattern, so `^(a+)+$` cannot stall the engine or the window the way a
 * backtracking engine (JavaScript's own RegExp) does. The price is RE2's
 * syntax: no backreferences and no lookaround, and those are refused with a
 * message saying so.
 *
 * Two bounds keep the compile step itself cheap: the pattern's length, and
 * its size once counted repetitions are expanded (`a{1000}` is a thousand
 * steps; RE2 compiles it to a program that large, and compiling costs about
 * 10 µs a step here: `a{1000}` written 70 times took 0.6 s before a single
 * match).
 */
import { RE2JS, RE2JSSyntaxException } from 're2js'
import { QueryError } from './ast'

/** The longest pattern accepted, in characters. */
export const MAX_REGEX_LENGTH = 1000
/** The largest pattern accepted once counted repetitions are expanded, in RE2 program steps (about). */
export const MAX_REGEX_SIZE = 2000

/** What the query language needs from a compiled regex. */
export interface UserRegex {
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean
}

const RE2_NOTE = 'regexes are RE2: no backreferences or lookaround'

/**
 * Compiles a user regex, case-insensitively (`(?-i)` in the pattern turns
 * that off). `location` ends up in the message ("at position 8", "in
 * commandRegex") so the user knows which one is wrong; `position` and
 * `field` locate it for the caller.
 */
export function compileRegex(pattern: string, position: number, location: string, field?: string): UserRegex {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new QueryError(
      `regular expression ${location} is too long: ${pattern.length} characters, at most ${MAX_REGEX_LENGTH}`,
      position,
      field,
    )
  }
  const size = expandedSize(pattern)
  if (size > MAX_REGEX_SIZE) {
    throw new QueryError(
      `regular expression ${location} is too large: its counted repetitions ({n}, {n,m}) expand to about ${size} steps, at most ${MAX_REGEX_SIZE}`,
      position,
      field,
    )
  }
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE)
  } catch (err) {
    throw new QueryError(`invalid regular expression '${pattern}' ${location}: ${describeError(err, pattern)}`, position, field)
  }
}

/** RE2's reason, with what is unsupported named as such. */
function describeError(err: unknown, pattern: string): string {
  if (!(err instanceof RE2JSSyntaxException)) return err instanceof Error ? err.message : String(err)
  const what = err.getDescription()
  // The case-insensitive flag is passed as a `(?i)` prefix, which RE2 quotes back when it blames the whole pattern.
  let fragment = err.getPattern() ?? ''
  if (fragment.startsWith('(?i)') && !pattern.includes(fragment)) fragment = fragment.slice(4)
  const unsupported = unsupportedConstruct(fragment)
  // RE2 quotes the rest of the pattern after a lookbehind; its opening is enough.
  if (unsupported === 'lookbehind') fragment = fragment.slice(0, 4)
  if (unsupported !== undefined) return `${unsupported} \`${fragment}\` is not supported (${RE2_NOTE})`
  if (fragment === '\\u') return 'invalid escape sequence `\\u`: write a code point as \\x{263A}'
  return fragment === '' ? what : `${what}: \`${fragment}\``
}

function unsupportedConstruct(fragment: string): string | undefined {
  if (/^\\[1-9]/.test(fragment)) return 'backreference'
  if (fragment === '\\k') return 'named backreference'
  if (fragment.startsWith('(?=') || fragment.startsWith('(?!')) return 'lookahead'
  if (fragment.startsWith('(?<=') || fragment.startsWith('(?<!')) return 'lookbehind'
  if (fragment.startsWith('(?>')) return 'atomic group'
  return undefined
}

/**
 * About how many steps RE2 compiles `pattern` to: one per character, with
 * a counted repetition multiplying what it repeats (nested ones multiply
 * together). It only needs to be right about size, not syntax: RE2 checks
 * the syntax afterwards, and anything odd here counts as plain characters.
 */
export function expandedSize(pattern: string): number {
  // One frame per open group: its size so far and the size of its last atom.
  const frames: { size: number; last: number; capture: boolean }[] = [{ size: 0, last: 0, capture: false }]
  const top = (): { size: number; last: number } => frames[frames.length - 1] ?? { size: 0, last: 0 }
  const atom = (size: number): void => {
    top().size += size
    top().last = size
  }
  let i = 0
  while (i < pattern.length) {
    const c = pattern.charAt(i)
    if (c === '\\' && pattern.charAt(i + 1) === 'Q') {
      // \Q...\E: every character inside is a literal; a repetition after it repeats the last one.
      const end = pattern.indexOf('\\E', i + 2)
      const stop = end === -1 ? pattern.length : end
      top().size += Math.max(stop - (i + 2) - 1, 0)
      atom(1)
      i = end === -1 ? pattern.length : end + 2
    } else if (c === '\\') {
      i = skipEscape(pattern, i)
      atom(1)
    } else if (c === '[') {
      i = skipClass(pattern, i)
      atom(1)
    } else if (c === '(') {
      // `(?i)` only sets flags; `(?:`, `(?i:`, `(?P<name>` and `(?<name>` open a group like `(`.
      const prefix = /^\(\?(?:P?<[^>]*>|[a-zA-Z-]*[:)])/.exec(pattern.slice(i, i + 64))?.[0] ?? '('
      if (!prefix.endsWith(')')) frames.push({ size: 0, last: 0, capture: prefix === '(' || prefix.endsWith('>') })
      i += prefix.length
    } else if (c === ')' && frames.length > 1) {
      // A capturing group costs two more steps (where it starts and ends), in every copy.
      const group = frames.pop()
      atom((group?.size ?? 0) + (group?.capture === true ? 2 : 0))
      i += 1
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 24))
      if (m === null) {
        atom(1)
        i += 1
      } else {
        // `{n}` and `{n,}` make n copies, `{n,m}` m, the m - n optional ones costing two steps each.
        const least = Number(m[1])
        const most = m[2] === undefined || m[2] === '' ? least : Math.max(Number(m[2]), least)
        const frame = top()
        const copies = Math.max(least + 2 * (most - least), 1)
        frame.size += frame.last * (copies - 1)
        frame.last *= copies
        i += m[0].length
      }
    } else {
      atom(1)
      i += 1
    }
  }
  // Unclosed groups are RE2's error to report; count what they hold.
  return frames.reduce((sum, f) => sum + f.size, 0)
}

/** The index after the escape at `i`: `\x{..}`, `\p{..}`, or one character. */
function skipEscape(pattern: string, i: number): number {
  const next = pattern.charAt(i + 1)
  if ((next === 'x' || next === 'p' || next === 'P') && pattern.charAt(i + 2) === '{') {
    const close = pattern.indexOf('}', i + 3)
    return close === -1 ? pattern.length : close + 1
  }
  return Math.min(i + 2, pattern.length)
}

/** The index after the character class opened at `i` (a leading `]` or `^]` is a member, `[:alpha:]` nests). */
function skipClass(pattern: string, i: number): number {
  let j = i + 1
  if (pattern.charAt(j) === '^') j += 1
  if (pattern.charAt(j) === ']') j += 1
  while (j < pattern.length) {
    const c = pattern.charAt(j)
    if (c === '\\') j = skipEscape(pattern, j)
    else if (c === '[' && pattern.charAt(j + 1) === ':') {
      const close = pattern.indexOf(':]', j + 2)
      j = close === -1 ? j + 1 : close + 2
    } else if (c === ']') return j + 1
    else j += 1
  }
  return pattern.length
}
