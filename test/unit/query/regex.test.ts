import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { compileQuery, compileTextQuery, MAX_REGEX_LENGTH, MAX_REGEX_SIZE, QueryError, StructuredQuery } from '../../../src/shared/query'
import { expandedSize } from '../../../src/shared/query/regex'
import { proc } from './factory'
import { bestOfThree as timed } from '../../helpers/bestOfThree'

const matches = (query: string, command: string): boolean => compileTextQuery(query)(proc({ command }))

describe('query regexes run on RE2 (linear time)', () => {
  // A backtracking engine takes 2^n steps for these: 30 `a`s took seconds.
  const evil = ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(a+a+)+b', '^(\\w+\\s?)*$']
  for (const pattern of evil) {
    it(`answers ${pattern} on 30 and on 5000 'a's at once`, () => {
      const match = compileTextQuery(`command =~ "${pattern}"`)
      const short = timed(() => match(proc({ command: `${'a'.repeat(30)}!` })))
      expect(short.value).toBe(false)
      expect(short.ms).toBeLessThan(50)
      const long = timed(() => match(proc({ command: `${'a'.repeat(5000)}!` })))
      expect(long.value).toBe(false)
      expect(long.ms).toBeLessThan(50)
    })
  }

  it('stays case-insensitive; (?-i) asks for case', () => {
    expect(matches('cmd =~ ^/USR/BIN', '/usr/bin/node')).toBe(true)
    expect(matches('cmd =~ "(?-i)^/USR/BIN"', '/usr/bin/node')).toBe(false)
    expect(matches('cmd =~ "(?-i)^/usr/bin"', '/usr/bin/node')).toBe(true)
    expect(matches('cmd =~ ÉTÉ', 'été')).toBe(true)
  })

  it('takes the usual syntax and RE2 classes', () => {
    expect(matches('cmd =~ "\\s\\d+\\.\\d+$"', 'python3.11')).toBe(false)
    expect(matches('cmd =~ "\\s\\d+\\.\\d+$"', 'python 3.11')).toBe(true)
    expect(matches('cmd =~ "--port=\\d{2,5}\\b"', 'node --port=8080 x')).toBe(true)
    expect(matches('cmd =~ "^[[:alpha:]]+$"', 'systemd')).toBe(true)
    expect(matches('cmd =~ "\\p{Greek}"', 'λ')).toBe(true)
    expect(matches('cmd =~ "\\x{263A}"', 'hi ☺')).toBe(true)
    expect(matches('cmd =~ "(?P<n>ab)+c"', 'ababc')).toBe(true)
    expect(matches('cmd =~ "a\\/b"', 'a/b')).toBe(true)
  })

  it('accepts a pattern at the length limit and refuses one past it, naming the field of a hand-built node', () => {
    expect(() => compileTextQuery(`cmd =~ ${'x'.repeat(MAX_REGEX_LENGTH)}`)).not.toThrow()
    const build = (): unknown => compileQuery({ kind: 'match', field: 'command', negate: false, pattern: 'x'.repeat(MAX_REGEX_LENGTH + 1) })
    expect(build).toThrow(QueryError)
    expect(build).toThrow(`regular expression for 'command' is too long: ${MAX_REGEX_LENGTH + 1} characters, at most ${MAX_REGEX_LENGTH}`)
  })

  it('refuses counted repetitions that would compile to a huge program, before compiling it', () => {
    // Written 70 times, a{1000} took RE2 0.6 s to compile.
    const pattern = 'a{1000}'.repeat(70)
    const { value, ms } = timed(() => {
      try {
        compileTextQuery(`cmd =~ "${pattern}"`)
        return undefined
      } catch (err) {
        return err
      }
    })
    expect(value).toBeInstanceOf(QueryError)
    expect((value as QueryError).message).toMatch(/is too large: its counted repetitions \(\{n\}, \{n,m\}\) expand to about 70000 steps, at most 2000$/)
    expect(ms).toBeLessThan(50)
    expect(() => compileTextQuery('cmd =~ "(a{30}){30}"')).not.toThrow()
    expect(() => compileTextQuery('cmd =~ "((a{2}){9}){55}"')).toThrow(/about 2090 steps/)
  })

  it('estimates the compiled size closely, so the bound means what it says', () => {
    const patterns = ['abc', 'a{1000}', '(a{30}){30}', '((a{2}){9}){40}', '[]a-z]{50}', '[[:alpha:]x]{10}', '\\p{L}{100}', '\\x{41}{100}']
    const more = ['\\Qa.c\\E{100}', 'a{0,400}', '(a|bb|ccc){100}', '(?P<x>ab){200}', '(?i)a{300}', '(?:ab){200}', '\\b[a-f0-9]{64}\\b', '^(a+)+$']
    for (const pattern of [...patterns, ...more]) {
      const actual = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE).programSize()
      const estimate = expandedSize(pattern)
      expect(estimate, pattern).toBeGreaterThanOrEqual(actual - 4)
      expect(estimate, pattern).toBeLessThanOrEqual(actual * 1.1 + 4)
    }
    expect(MAX_REGEX_SIZE).toBe(2000)
  })

  it('refuses lookaround in the structured filter too, and a name too long to match as a regex', () => {
    const bad = StructuredQuery.safeParse({ commandRegex: 'node(?!x)' })
    expect(bad.error?.issues[0]?.path).toEqual(['commandRegex'])
    expect(bad.error?.issues[0]?.message).toBe(
      "invalid regular expression 'node(?!x)' in commandRegex: lookahead `(?!` is not supported (regexes are RE2: no backreferences or lookaround)",
    )
    const long = StructuredQuery.safeParse({ name: 'x'.repeat(MAX_REGEX_LENGTH / 2 + 1) })
    expect(long.error?.issues[0]?.path).toEqual(['name'])
    expect(long.error?.issues[0]?.message).toBe(`at most ${MAX_REGEX_LENGTH / 2} characters`)
    expect(StructuredQuery.safeParse({ name: '.'.repeat(MAX_REGEX_LENGTH / 2) }).success).toBe(true)
  })
})
