import { describe, expect, it } from 'vitest'
import { countProcessStates, countStatesOf } from '../../../src/shared/system/processCounts'
import { PROCESS_STATES } from '../../../src/shared/types/process'

describe('process counts by state', () => {
  it('count as top does, from states or from processes alike', () => {
    const states = [...PROCESS_STATES, 'running', 'sleeping'] as const
    const expected = { total: 11, running: 2, sleeping: 4, stopped: 2, zombie: 1 }
    expect(countProcessStates(states)).toEqual(expected)
    expect(countStatesOf(states.map((state) => ({ state })))).toEqual(expected)
  })
})
