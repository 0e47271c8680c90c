import { describe, expect, it } from 'vitest'
import { MiB, programSchema } from '../../../src/shared/supervisor/program'
import { restartSchedule, scheduleDelays } from '../../../src/shared/supervisor/schedule'
import { defaultSettings } from '../../../src/shared/settings'
import {
  editChanges,
  emptyForm,
  formFromProgram,
  formSchedule,
  issuesAt,
  issuesFromError,
  parseEnv,
  programFromForm,
  unclaimedIssues,
  type ProgramForm,
} from '../../../src/renderer/src/supervisor/programForm'

const form = (over: Partial<ProgramForm>): ProgramForm => ({ ...emptyForm(), name: 'web', command: 'node', ...over })

describe('programFromForm', () => {
  it('turns the empty form with a name and command into a program the schema takes, defaults left to it', () => {
    const { program, issues } = programFromForm(form({}))
    expect(issues.size).toBe(0)
    const parsed = programSchema.parse(program)
    expect(parsed).toMatchObject({ name: 'web', command: 'node', args: [], restart: 'on-failure', stopTimeoutMs: 5000, startSeconds: 1 })
    // Left empty: the settings' healthConfig decides.
    expect(parsed.restartDelayMs).toBeUndefined()
    expect(parsed.maxRestartAttempts).toBeUndefined()
  })

  it('reads args one per line, env KEY=VALUE lines, seconds as ms, MiB as bytes, tags by comma', () => {
    const { program } = programFromForm(
      form({ args: 'server.js\n--port\n8080\n', env: 'PORT=8080\n# comment\n\nURL=a=b', envMode: 'replace', stopTimeout: '2.5', logMaxMiB: '1', tags: 'web, , api' }),
    )
    const p = programSchema.parse(program)
    expect(p.args).toEqual(['server.js', '--port', '8080'])
    expect(p.env).toEqual({ mode: 'replace', vars: { PORT: '8080', URL: 'a=b' } })
    expect(p.stopTimeoutMs).toBe(2500)
    expect(p.logs.maxBytes).toBe(MiB)
    expect(p.tags).toEqual(['web', 'api'])
  })

  it('names each wrong field by its path in the program, as the supervisor does', () => {
    const { program, issues } = programFromForm(
      form({
        name: '.x',
        cwd: 'rel',
        stopTimeout: 'soon',
        env: 'NOEQUALS',
        checks: [{ id: 1, kind: 'http', values: { url: 'ftp://x' }, shell: false }],
      }),
    )
    expect(program).toBeUndefined()
    expect(issuesAt(issues, 'name')[0]).toMatch(/not starting with/)
    expect(issuesAt(issues, 'cwd')[0]).toMatch(/absolute/)
    expect(issuesAt(issues, 'stopTimeoutMs')).toEqual(['must be a number'])
    expect(issuesAt(issues, 'env')[0]).toMatch(/line 1: expected KEY=VALUE/)
    expect(issuesAt(issues, 'health.checks.0.url')[0]).toMatch(/http/)
  })

  it('builds each kind of check and the readiness check', () => {
    const { program, issues } = programFromForm(
      form({
        checks: [
          { id: 1, kind: 'alive', values: {}, shell: false },
          { id: 2, kind: 'tcp', values: { port: '9000', timeoutMs: '2' }, shell: false },
          { id: 3, kind: 'memory', values: { maxBytes: '512' }, shell: false },
          { id: 4, kind: 'cpu', values: { percent: '90', samples: '5' }, shell: false },
          { id: 5, kind: 'command', values: { command: 'curl', args: '-f  http://x' }, shell: true },
          { id: 6, kind: 'http', values: { url: 'http://127.0.0.1/h', statusMin: '200', statusMax: '299' }, shell: false },
        ],
        readyKind: 'log',
        ready: { pattern: 'listening' },
        readyStream: 'stdout',
        readyTimeout: '10',
      }),
    )
    expect([...issues]).toEqual([])
    const p = programSchema.parse(program)
    expect(p.health.checks).toEqual([
      { kind: 'alive' },
      { kind: 'tcp', host: '127.0.0.1', port: 9000, timeoutMs: 2000 },
      { kind: 'memory', maxBytes: 512 * MiB },
      { kind: 'cpu', percent: 90, samples: 5 },
      { kind: 'command', command: 'curl', args: ['-f', 'http://x'], shell: true },
      { kind: 'http', url: 'http://127.0.0.1/h', status: { min: 200, max: 299 } },
    ])
    expect(p.ready).toEqual({ kind: 'log', pattern: 'listening', stream: 'stdout' })
    expect(p.readyTimeoutMs).toBe(10_000)
  })

  it('round-trips a program through the form', () => {
    const p = programSchema.parse({
      name: 'api',
      command: 'api',
      args: ['a b', '-v'],
      cwd: '/srv',
      env: { vars: { A: '1' } },
      restartDelayMs: 1500,
      health: { checks: [{ kind: 'memory', maxBytes: 256 * MiB }], intervalMs: 5000 },
      dependsOn: [{ name: 'db', condition: 'healthy' }],
      ready: { kind: 'tcp', port: 80 },
      tags: ['x'],
    })
    expect(programSchema.parse(programFromForm(formFromProgram(p)).program)).toEqual(p)
  })
})

describe('errors from the supervisor', () => {
  it('are keyed by field path without the call wrapper, and what no field shows is listed apart', () => {
    const issues = issuesFromError({
      issues: [
        { path: ['program', 'name'], message: 'exists' },
        { path: ['changes', 'args', '2'], message: 'must not hold NUL' },
        { path: ['start'], message: 'odd' },
        { path: [], message: 'a dependency cycle: a -> b -> a' },
      ],
    })
    expect(issuesAt(issues, 'name')).toEqual(['exists'])
    expect(issuesAt(issues, 'args')).toEqual(['2: must not hold NUL'])
    expect(unclaimedIssues(issues, ['name', 'args'])).toEqual(['start: odd', 'a dependency cycle: a -> b -> a'])
    expect(issuesFromError(undefined).size).toBe(0)
  })

  it('an edit sends every field but the name', () => {
    const original = programSchema.parse({ name: 'a', command: 'b' })
    const edited = programFromForm(formFromProgram(original, { command: 'c' })).program!
    const changes = editChanges(original, edited)
    expect(changes).not.toHaveProperty('name')
    expect(changes.command).toBe('c')
    expect(Object.values(changes)).not.toContain(null)
  })
})

describe('formSchedule', () => {
  const health = defaultSettings().healthConfig
  it('previews the settings’ schedule when the form leaves it empty, the form’s own numbers otherwise', () => {
    expect(scheduleDelays(restartSchedule(formSchedule(emptyForm()), health))).toEqual([5000, 10_000, 20_000])
    const f = { ...emptyForm(), restartDelay: '1', multiplier: '3', maxAttempts: '4', maxRestartDelay: '10' }
    expect(scheduleDelays(restartSchedule(formSchedule(f), health))).toEqual([1000, 3000, 9000, 10_000])
  })

  it('ignores what is not a number yet, and clamps to the schema’s bounds', () => {
    const f = { ...emptyForm(), restartDelay: 'abc', multiplier: '50' }
    const s = restartSchedule(formSchedule(f), health)
    expect(s.delayMs).toBe(health.restartDelay)
    expect(s.multiplier).toBe(10)
  })
})

describe('parseEnv', () => {
  it('keeps the value as written after the first =', () => {
    expect(parseEnv(' KEY = v = w ')).toEqual({ KEY: ' v = w ' })
  })
})

describe('editChanges', () => {
  it('sends null for the fields the form emptied, nested ones field by field, so the supervisor takes them away', () => {
    const original = programSchema.parse({ name: 'a', command: 'b', cwd: '/srv', restartDelayMs: 100, ready: { kind: 'tcp', port: 80 }, health: { intervalMs: 1000 } })
    const edited = programFromForm({ ...formFromProgram(original), cwd: '', restartDelay: '', readyKind: 'none', checkInterval: '' }).program!
    const changes = editChanges(original, edited)
    expect(changes).toMatchObject({ cwd: null, restartDelayMs: null, ready: null, health: { intervalMs: null } })
    // Fields the form kept are not touched.
    expect(changes.command).toBe('b')
    expect((changes.health as Record<string, unknown>).checks).toEqual([])
  })
})
