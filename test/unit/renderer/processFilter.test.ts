import { describe, expect, it } from 'vitest'
import { MAX_REGEX_LENGTH } from '../../../src/shared/query'
import { compileSearch } from '../../../src/renderer/src/processes/processFilter'
import { proc } from './fixtures'
import { bestOfThree as timed } from '../../helpers/bestOfThree'

describe('the search box', () => {
  it('matches regexes on RE2, as the query language does everywhere', () => {
    const search = compileSearch('cmd =~ "^(a+)+$"')
    if (search.matches === undefined) throw new Error(search.error.message)
    const { value, ms } = timed(() => search.matches(proc({ command: `${'a'.repeat(30)} -e x` })))
    expect(value).toBe(false)
    expect(ms).toBeLessThan(50)
    expect(compileSearch('cmd =~ "(a)\\1"').error).toMatchObject({
      message: expect.stringContaining('backreference `\\1` is not supported (regexes are RE2: no backreferences or lookaround)') as unknown,
      position: 7,
    })
    expect(compileSearch(`cmd =~ ${'x'.repeat(MAX_REGEX_LENGTH + 1)}`).error?.message).toBe(
      `regular expression at position 7 is too long: ${MAX_REGEX_LENGTH + 1} characters, at most ${MAX_REGEX_LENGTH}`,
    )
  })
})
