import { describe, expect, it } from 'vitest'
import { settingsSchema } from '../../../src/shared/settings'
import { parseProgram } from '../../../src/shared/supervisor/program'
import { describeSchedule, policyRestarts, restartDelay, restartSchedule, scheduleDelays } from '../../../src/shared/supervisor/schedule'
import { dependentsOf, stopWaves } from '../../../src/main/core/supervisor/startOrder'

const defaults = settingsSchema.parse({}).healthConfig

describe('the restart schedule', () => {
  it("takes the settings' healthConfig for what a program leaves out: 5 s x 2^(n-1), capped at 60 s", () => {
    const s = restartSchedule(parseProgram({ name: 'p', command: 'x', maxRestartAttempts: 6 }), defaults)
    expect(scheduleDelays(s)).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000])
    expect(restartDelay(s, 1)).toBe(5000)
  })

  it("uses a program's own numbers first", () => {
    const s = restartSchedule(parseProgram({ name: 'p', command: 'x', restartDelayMs: 100, restartBackoffMultiplier: 3, maxRestartDelayMs: 500 }), defaults)
    expect(scheduleDelays(s)).toEqual([100, 300, 500])
  })

  it('says what a policy will do, in words the form shows', () => {
    expect(describeSchedule(restartSchedule(parseProgram({ name: 'p', command: 'x' }), defaults))).toBe(
      'restarted after a failure or when unhealthy, after 5 s, 10 s, 20 s; then fatal; the count resets after 30 s up',
    )
    expect(describeSchedule(restartSchedule(parseProgram({ name: 'p', command: 'x', restart: 'never' }), defaults))).toMatch(/never restarted/)
    expect(describeSchedule(restartSchedule(parseProgram({ name: 'p', command: 'x', maxRestartAttempts: 0 }), defaults))).toMatch(/fatal at the first failure/)
  })

  it('restarts by policy: on-failure not after success; always and unless-stopped after anything', () => {
    expect(policyRestarts('on-failure', 'success')).toBe(false)
    expect(policyRestarts('on-failure', 'unhealthy')).toBe(true)
    expect(policyRestarts('always', 'success')).toBe(true)
    expect(policyRestarts('unless-stopped', 'failure')).toBe(true)
    expect(policyRestarts('never', 'failure')).toBe(false)
  })
})

describe('dependency order', () => {
  const programs = [
    { name: 'db', dependsOn: [] },
    { name: 'api', dependsOn: [{ name: 'db', condition: 'ready' as const }] },
    { name: 'web', dependsOn: [{ name: 'api', condition: 'started' as const }] },
    { name: 'worker', dependsOn: [{ name: 'db', condition: 'started' as const }] },
    { name: 'alone', dependsOn: [] },
  ]

  it('finds dependents, direct and through others', () => {
    expect(dependentsOf('db', programs).sort()).toEqual(['api', 'web', 'worker'])
    expect(dependentsOf('db', programs, 1).sort()).toEqual(['api', 'worker'])
    expect(dependentsOf('web', programs)).toEqual([])
  })

  it('stops dependents before what they depend on, in waves, leaving out what is not running', () => {
    expect(stopWaves(programs, () => true).map((w) => w.sort())).toEqual([['alone', 'web', 'worker'], ['api'], ['db']])
    expect(stopWaves(programs, (n) => n !== 'api')).toEqual([['db', 'web', 'worker', 'alone'].filter((n) => n !== 'db'), ['db']])
  })
})
