import { describe, expect, it } from 'vitest'
import { checkIdentity } from '../../../src/main/core/processes/identity'
import { ProctorError } from '../../../src/shared/errors'

const seen = { pid: 42, startTime: 1_700_000_000_000, name: 'worker' }

function failure(fn: () => unknown): ProctorError {
  try {
    fn()
  } catch (err) {
    return err as ProctorError
  }
  throw new Error('expected a refusal')
}

describe('checkIdentity: one check and one wording for every action, watch and lookup', () => {
  it('hands back the process when the pid still runs the one named (or no start time was given)', () => {
    expect(checkIdentity({ pid: 42, startTime: seen.startTime }, seen)).toBe(seen)
    expect(checkIdentity({ pid: 42 }, seen)).toBe(seen)
  })

  it('a pid that runs nothing is NOT_FOUND', () => {
    const err = failure(() => checkIdentity({ pid: 42, startTime: 1 }, undefined))
    expect(err.toInfo()).toEqual({ code: 'NOT_FOUND', message: 'no process with pid 42 is running', details: { pid: 42 } })
  })

  it('a pid reused by another process is STALE_PROCESS, naming what runs there now', () => {
    const err = failure(() => checkIdentity({ pid: 42, startTime: 5 }, seen))
    expect(err.code).toBe('STALE_PROCESS')
    expect(err.message).toBe('pid 42 is now another process (worker, started 2023-11-14T22:13:20.000Z), not the one named: nothing was done')
    expect(err.details).toEqual({ pid: 42, startTime: 5, actualStartTime: seen.startTime })
  })
})
