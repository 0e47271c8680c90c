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

const FIELDS = 'name, pid, ppid, user, uid, state, cpu, mem, memp, virt, threads, nice, priority, command, exe, files'

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
    ['name =~ "[a-"', 8, "invalid regular expression '[a-' at position 8: Unterminated character class"],
    ['cmd !~ *', 7, "invalid regular expression '*' at position 7: Nothing to repeat"],
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
