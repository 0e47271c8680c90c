import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasBearer, METRICS_TOKEN_FILE, metricsToken } from '../../../src/main/core/metrics/token'
import { tempDir } from '../../helpers/tempDir'

const TOKEN = 'a'.repeat(32)

describe('the /metrics token', () => {
  it('is PROCTOR_TOKEN when set, so the headless host and /metrics share one', () => {
    expect(metricsToken(tempDir(), { PROCTOR_TOKEN: TOKEN })).toEqual({ ok: true, token: TOKEN, source: 'PROCTOR_TOKEN' })
    expect(metricsToken(tempDir(), { PROCTOR_TOKEN: 'short' })).toMatchObject({ ok: false, problem: expect.stringContaining('PROCTOR_TOKEN must be 32 to 256') })
  })

  it('is otherwise made once in the data folder, mode 0600, and read again after', () => {
    const dir = tempDir()
    const first = metricsToken(dir, {})
    if (!first.ok) throw new Error(first.problem)
    const file = join(dir, METRICS_TOKEN_FILE)
    expect(first.source).toBe(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toBe(`${first.token}\n`)
    expect(metricsToken(dir, {})).toEqual(first)
  })

  it('refuses a token file that holds no token, naming it', () => {
    const dir = tempDir()
    writeFileSync(join(dir, METRICS_TOKEN_FILE), 'not a token\n')
    expect(metricsToken(dir, {})).toMatchObject({ ok: false, problem: expect.stringContaining(`${METRICS_TOKEN_FILE} must hold one token`) })
  })

  it('is taken only as "Bearer <token>"', () => {
    expect(hasBearer(`Bearer ${TOKEN}`, TOKEN)).toBe(true)
    expect(hasBearer(`bearer ${TOKEN}`, TOKEN)).toBe(true)
    expect(hasBearer(`Bearer ${TOKEN}x`, TOKEN)).toBe(false)
    expect(hasBearer(TOKEN, TOKEN)).toBe(false)
    expect(hasBearer(`Basic ${TOKEN}`, TOKEN)).toBe(false)
    expect(hasBearer(undefined, TOKEN)).toBe(false)
    expect(hasBearer('Bearer ', TOKEN)).toBe(false)
  })
})
