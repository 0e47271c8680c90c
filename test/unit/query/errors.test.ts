import { describe, expect, it } from 'vitest'
import { compileTextQuery, parseQuery, QueryError } from '../../../src/shared/query'

/** Parses, expecting a QueryError; returns it for inspection. */
function fail(query: string): QueryError {
  try {
    parseQuery(query)
  } catch (err) {
    if (err instanceof QueryError) return err
    throw err
  }
  throw new Error(`expected ${JSON.stringify(query)} to fail`)
}

const FIELDS = 'name, pid, ppid, user, uid, state, cpu, mem, memp, virt, threads, nice, priority, command, exe, files, port, listen'

describe('QueryError', () => {
  it('is an Error with a name and a position', () => {
    const err = fail('cpu >')
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('QueryError')
    expect(err.position).toBe(5)
    expect(() => compileTextQuery('cpu >')).toThrow(QueryError)
  })

  const cases: [query: string, position: number, message: string][] = [
    // missing or bad values
    ['pid > ', 6, "expected a value after '>' at position 6"],
    ['cpu >', 5, "expected a value after '>' at position 5"],
    ['cpu >= and', 7, "expected a value after '>=' at position 7"],
    ['name =~ (x)', 8, "expected a value after '=~' at position 8"],
    ['cpu > abc', 6, "'cpu' needs a number, got 'abc' at position 6"],
    ['pid = "12 3"', 6, "'pid' needs a number, got '12 3' at position 6"],
    ['mem > 1.5.5GB', 6, "'mem' needs a number, got '1.5.5GB' at position 6"],
    ['cpu > 5MB', 6, "'cpu' takes a plain number, got '5MB' at position 6"],
    ['threads > 5%', 10, "'threads' takes a plain number, got '5%' at position 10"],
    ['mem > 5xb', 6, "unknown unit 'xb' in '5xb' at position 6 (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, K, M, G, T)"],
    ['mem > 5%', 6, "unknown unit '%' in '5%' at position 6 (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, K, M, G, T)"],
    [
      'state = q',
      8,
      "unknown state 'q' at position 8 (states: running, sleeping, disk-wait, zombie, stopped, tracing, idle, dead, unknown, or R S D Z T I X)",
    ],
    // fields and operators
    ['cpux > 5', 0, `unknown field 'cpux' at position 0 (fields: ${FIELDS})`],
    ['node and foo=bar', 9, `unknown field 'foo' at position 9 (fields: ${FIELDS})`],
    ['"cpu" > 5', 0, "expected a field name before '>' at position 0 (field names are not quoted)"],
    ['> 5', 0, "expected a field name before '>' at position 0"],
    ['a and != 5', 6, "expected a term after 'and' at position 6, found '!='"],
    ['name > 5', 5, "'>' does not apply to text field 'name' at position 5 (use =, !=, =~, !~)"],
    ['user <= x', 5, "'<=' does not apply to text field 'user' at position 5 (use =, !=, =~, !~)"],
    ['pid =~ 5', 4, "'=~' does not apply to number field 'pid' at position 4 (use =, !=, >, >=, <, <=)"],
    ['files !~ 5', 6, "'!~' does not apply to number field 'files' at position 6 (use =, !=, >, >=, <, <=)"],
    // regexes
    ['name =~ "[a-"', 8, "invalid regular expression '[a-' at position 8: missing closing ]: `[a-`"],
    ['cmd !~ *', 7, "invalid regular expression '*' at position 7: missing argument to repetition operator: `*`"],
    ['cmd =~ "x("', 7, "invalid regular expression 'x(' at position 7: missing closing ): `x(`"],
    // regexes are RE2: what a backtracking engine has and RE2 has not is named
    ['cmd =~ "(a)\\1"', 7, "invalid regular expression '(a)\\1' at position 7: backreference `\\1` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['cmd =~ "(?<x>a)\\k<x>"', 7, "invalid regular expression '(?<x>a)\\k<x>' at position 7: named backreference `\\k` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['cmd =~ "a(?=b)"', 7, "invalid regular expression 'a(?=b)' at position 7: lookahead `(?=` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['x and name !~ "^(?!kworker)"', 14, "invalid regular expression '^(?!kworker)' at position 14: lookahead `(?!` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['cmd =~ "(?<=--)port"', 7, "invalid regular expression '(?<=--)port' at position 7: lookbehind `(?<=` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['cmd =~ "(?<!-)x"', 7, "invalid regular expression '(?<!-)x' at position 7: lookbehind `(?<!` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['cmd =~ "(?>a+)b"', 7, "invalid regular expression '(?>a+)b' at position 7: atomic group `(?>` is not supported (regexes are RE2: no backreferences or lookaround)"],
    ['cmd =~ "\\u263A"', 7, "invalid regular expression '\\u263A' at position 7: invalid escape sequence `\\u`: write a code point as \\x{263A}"],
    ['cmd =~ "a{1001}"', 7, "invalid regular expression 'a{1001}' at position 7: invalid repeat count: `{1001}`"],
    [
      `cmd =~ ${'x'.repeat(1001)}`,
      7,
      'regular expression at position 7 is too long: 1001 characters, at most 1000',
    ],
    [
      `pid > 1 and cmd =~ "${'a{1000}'.repeat(3)}"`,
      19,
      'regular expression at position 19 is too large: its counted repetitions ({n}, {n,m}) expand to about 3000 steps, at most 2000',
    ],
    // structure
    ['a (b', 2, "unclosed '(' opened at position 2"],
    ['(a or (b)', 0, "unclosed '(' opened at position 0"],
    ['a ) b', 2, "unmatched ')' at position 2"],
    [')', 0, "unmatched ')' at position 0"],
    ['()', 1, "expected a term after '(' at position 1, found ')'"],
    ['(((', 3, "expected a term after '(' at position 3, found end of query"],
    ['and a', 0, "expected a term before 'and' at position 0"],
    ['|| a', 0, "expected a term before '||' at position 0"],
    ['a or', 4, "expected a term after 'or' at position 4, found end of query"],
    ['a and', 5, "expected a term after 'and' at position 5, found end of query"],
    ['a && || b', 5, "expected a term after '&&' at position 5, found '||'"],
    ['(a or) b', 5, "expected a term after 'or' at position 5, found ')'"],
    ['not', 3, "expected a term after 'not' at position 3, found end of query"],
    ['a !', 3, "expected a term after '!' at position 3, found end of query"],
    // quotes
    ['name = "x', 7, 'unclosed quote (") opened at position 7'],
    ["it's 'x", 5, "unclosed quote (') opened at position 5"],
    ['"ends in a backslash\\"', 0, 'unclosed quote (") opened at position 0'],
  ]
  for (const [query, position, message] of cases) {
    it(`reports ${JSON.stringify(query)}`, () => {
      const err = fail(query)
      expect(err.message).toBe(message)
      expect(err.position).toBe(position)
    })
  }

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const parens = fail(`${'('.repeat(10_000)}a${')'.repeat(10_000)}`)
    expect(parens.message).toBe('query nested too deeply at position 200')
    const nots = fail(`${'!'.repeat(10_000)}a`)
    expect(nots.position).toBe(200)
    // Well within the limit is fine.
    expect(parseQuery(`${'('.repeat(50)}a${')'.repeat(50)}`)).toEqual({ kind: 'text', text: 'a' })
  })

  it('reports the position of the first problem only', () => {
    expect(fail('cpux > 5 and (').position).toBe(0)
    expect(fail('cpu > 5 and (').position).toBe(13)
  })
})
