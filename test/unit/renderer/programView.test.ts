import { describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import { countdownText, healthText, isUnavailable, lastExitText, managedPids, ownerText, stateTone, uptimeText } from '../../../src/renderer/src/supervisor/programView'
import { appendLines, filterLines, lastStartIndex, matchingLines, nextMatch, splitMatches } from '../../../src/renderer/src/supervisor/logView'
import type { ProgramLogLine } from '../../../src/shared/supervisor/status'

describe('program view', () => {
  it('counts down to the next restart, rounding up, only in backoff', () => {
    expect(countdownText({ state: 'backoff', nextRestartAt: 10_000 }, 5_500)).toBe('in 5s')
    expect(countdownText({ state: 'backoff', nextRestartAt: 10_000 }, 9_999)).toBe('in 1s')
    expect(countdownText({ state: 'backoff', nextRestartAt: 10_000 }, 10_000)).toBe('now')
    expect(countdownText({ state: 'running', nextRestartAt: 10_000 }, 0)).toBeUndefined()
  })

  it('shows uptime from the transition into running, and only then', () => {
    expect(uptimeText({ state: 'running', since: 0 }, 3_725_000)).toBe('1h 2m')
    expect(uptimeText({ state: 'stopped', since: 0 }, 5000)).toBeUndefined()
  })

  it('is loud for fatal, calm for stopped', () => {
    expect(stateTone('fatal')).toBe('bad')
    expect(stateTone('backoff')).toBe('warn')
    expect(stateTone('running')).toBe('ok')
    expect(stateTone('stopped')).toBe('idle')
  })

  it('says why health is not known', () => {
    expect(healthText({ status: 'off', results: [] }).title).toMatch(/not running/)
    expect(healthText({ status: 'unhealthy', results: [{ kind: 'http', ok: false, at: 0, durationMs: 3, detail: 'HTTP 503' }] })).toEqual({
      label: 'Unhealthy',
      title: 'Last check (http): failed, HTTP 503',
    })
  })

  it('maps every managed pid to its program', () => {
    const map = managedPids([{ name: 'a', pids: [1, 2] }, { name: 'b', pids: [3] }])
    expect([...map]).toEqual([[1, 'a'], [2, 'a'], [3, 'b']])
    expect(managedPids(undefined).size).toBe(0)
  })

  it('names the owner and the last exit', () => {
    expect(ownerText({ kind: 'daemon', pid: 42, since: 0, socket: '/s', local: false })).toBe('the Proctor daemon, PID 42')
    expect(lastExitText({ lastExit: { code: null, signal: 'KILL', uptimeMs: 2000, at: 0 } })).toBe('killed by SIGKILL after 2s')
    expect(lastExitText({ lastExit: { code: 1, signal: null, uptimeMs: 0, at: 0, spawnError: 'ENOENT' } })).toBe('could not start: ENOENT')
  })

  it('knows UNAVAILABLE from other failures', () => {
    expect(isUnavailable(new ProctorError('UNAVAILABLE', 'no supervisor'))).toBe(true)
    expect(isUnavailable(new ProctorError('INTERNAL', 'x'))).toBe(false)
    expect(isUnavailable(new Error('x'))).toBe(false)
  })
})

const line = (at: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): ProgramLogLine => ({ at, text, stream })

describe('log view', () => {
  const lines = [line(1, 'Starting up'), line(2, 'error: boom', 'stderr'), line(5, 'started again'), line(6, 'ERROR again', 'stderr')]

  it('filters by stream, finds matching lines case-insensitively, and the first line of the last start', () => {
    expect(filterLines(lines, 'stderr').map((l) => l.at)).toEqual([2, 6])
    expect(filterLines(lines, 'both')).toBe(lines)
    expect(matchingLines(lines, 'error')).toEqual([1, 3])
    expect(lastStartIndex(lines, 5)).toBe(2)
    expect(lastStartIndex(lines, undefined)).toBe(-1)
    expect(lastStartIndex(lines, 99)).toBe(-1)
  })

  it('cuts a line at each match', () => {
    expect(splitMatches('a Error b error', 'error')).toEqual([
      { text: 'a ', match: false },
      { text: 'Error', match: true },
      { text: ' b ', match: false },
      { text: 'error', match: true },
    ])
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', match: false }])
  })

  it('steps through matches, wrapping both ways', () => {
    expect(nextMatch([2, 5, 9], -1)).toBe(2)
    expect(nextMatch([2, 5, 9], 5)).toBe(9)
    expect(nextMatch([2, 5, 9], 9)).toBe(2)
    expect(nextMatch([2, 5, 9], 2, true)).toBe(9)
    expect(nextMatch([], 0)).toBeUndefined()
  })

  it('keeps at most the cap, dropping the oldest', () => {
    expect(appendLines([line(1, 'a'), line(2, 'b')], [line(3, 'c')], 2).map((l) => l.text)).toEqual(['b', 'c'])
  })
})
