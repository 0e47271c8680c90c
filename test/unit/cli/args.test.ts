import { parseArgs } from 'node:util'
import { describe, expect, it } from 'vitest'
import { numbersAsValues } from '../../../src/main/cli/args'

const options = { json: { type: 'boolean' }, grace: { type: 'string' }, signal: { type: 'string' } } as const
const parse = (args: string[]) => {
  const { values, positionals } = parseArgs({ args: numbersAsValues(args, options), options, strict: true, allowPositionals: true })
  return { values: { ...values }, positionals }
}

describe('numbersAsValues', () => {
  it('makes a negative number a positional, in its place among the others', () => {
    expect(parse(['4242', '-5'])).toEqual({ values: {}, positionals: ['4242', '-5'] })
    expect(parse(['4242', '-5', '--json'])).toEqual({ values: { json: true }, positionals: ['4242', '-5'] })
    expect(parse(['--json', '-5', '4242'])).toEqual({ values: { json: true }, positionals: ['-5', '4242'] })
    expect(parse(['4242', '-0.5'])).toEqual({ values: {}, positionals: ['4242', '-0.5'] })
    expect(parse(['4242', '-5x'])).toEqual({ values: {}, positionals: ['4242', '-5x'] })
  })

  it("gives a string option the negative number after it as its value", () => {
    expect(parse(['1', '--grace', '-5'])).toEqual({ values: { grace: '-5' }, positionals: ['1'] })
    expect(parse(['1', '--grace=-5'])).toEqual({ values: { grace: '-5' }, positionals: ['1'] })
    expect(parse(['--signal', 'HUP', '-3'])).toEqual({ values: { signal: 'HUP' }, positionals: ['-3'] })
  })

  it('keeps what follows -- as it is', () => {
    expect(parse(['4242', '--', '-5'])).toEqual({ values: {}, positionals: ['4242', '-5'] })
    expect(parse(['--', '--json'])).toEqual({ values: {}, positionals: ['--json'] })
  })

  it('leaves other input unchanged, for parseArgs to judge', () => {
    expect(numbersAsValues(['4242', '--json'], options)).toEqual(['4242', '--json'])
    expect(() => parse(['4242', '-abc'])).toThrow(/Unknown option '-a'/)
    expect(() => parse(['4242', '--grace'])).toThrow(/argument missing/)
    expect(() => parse(['4242', '--nope', '-5'])).toThrow(/Unknown option '--nope'/)
  })
})
