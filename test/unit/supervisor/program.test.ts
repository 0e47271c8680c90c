import { describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import { findDependencyCycle, parseProgram, programArgv, type Program } from '../../../src/shared/supervisor/program'
import { canTransition, PROGRAM_STATES } from '../../../src/shared/supervisor/states'

function invalid(input: unknown): ProctorError {
  try {
    parseProgram(input)
  } catch (err) {
    if (err instanceof ProctorError) return err
    throw err
  }
  throw new Error('expected INVALID_ARGUMENT')
}

const deps = (name: string, ...on: string[]): Pick<Program, 'name' | 'dependsOn'> => ({
  name,
  dependsOn: on.map((n) => ({ name: n, condition: 'started' as const })),
})

describe('program definition', () => {
  it('fills the defaults the issue names', () => {
    const p = parseProgram({ name: 'web', command: 'node' })
    expect(p).toMatchObject({
      args: [],
      shell: false,
      env: { mode: 'add', vars: {} },
      autostart: false,
      restart: 'on-failure',
      stopSignal: 'TERM',
      stopTimeoutMs: 5000,
      startSeconds: 1,
      dependsOn: [],
      logs: { maxBytes: 10 * 1024 * 1024, files: 5 },
      tags: [],
    })
  })

  it.each([
    ['a name with a slash', { name: '../etc', command: 'x' }, /^program: name: must be 1 to 64/],
    ['a name starting with a dot', { name: '.hidden', command: 'x' }, /name: /],
    ['an empty command', { name: 'a', command: '' }, /command: must not be empty/],
    ['a relative cwd', { name: 'a', command: 'x', cwd: 'tmp' }, /cwd: must be an absolute path/],
    ['an unknown restart policy', { name: 'a', command: 'x', restart: 'sometimes' }, /restart: /],
    ['a negative stop timeout', { name: 'a', command: 'x', stopTimeoutMs: -1 }, /stopTimeoutMs: /],
    ['an unknown signal', { name: 'a', command: 'x', stopSignal: 'SIGTERM' }, /stopSignal: /],
    ['an env name with =', { name: 'a', command: 'x', env: { vars: { 'A=B': '1' } } }, /env\.vars\.A=B: /],
    ['a log cap too small', { name: 'a', command: 'x', logs: { maxBytes: 10 } }, /logs\.maxBytes: /],
    ['an unknown dependency condition', { name: 'a', command: 'x', dependsOn: [{ name: 'b', condition: 'up' }] }, /dependsOn\.0\.condition: /],
    ['a dependency on itself', { name: 'a', command: 'x', dependsOn: [{ name: 'a' }] }, /dependsOn\.0\.name: a program cannot depend on itself/],
    ['a dependency listed twice', { name: 'a', command: 'x', dependsOn: [{ name: 'b' }, { name: 'b' }] }, /dependsOn\.1\.name: "b" is listed twice/],
    ['an unknown field', { name: 'a', command: 'x', restartPolicy: 'always' }, /restartPolicy/],
  ])('refuses %s, naming the field', (_what, input, message) => {
    const err = invalid(input)
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toMatch(message)
    expect(err.details?.issues).toBeInstanceOf(Array)
  })

  it('runs an argv, and a shell only when asked, with args as $1...', () => {
    expect(programArgv(parseProgram({ name: 'a', command: 'node', args: ['-e', '1'] }))).toEqual(['node', '-e', '1'])
    expect(programArgv(parseProgram({ name: 'a', command: 'echo "$1"', args: ['hi'], shell: true }))).toEqual(['/bin/sh', '-c', 'echo "$1"', 'a', 'hi'])
  })
})

describe('dependency cycles', () => {
  it('finds none in a tree of dependencies', () => {
    expect(findDependencyCycle([deps('a', 'b', 'c'), deps('b', 'c'), deps('c')])).toBeUndefined()
  })

  it('names the cycle, the first name repeated at the end', () => {
    expect(findDependencyCycle([deps('a', 'b'), deps('b', 'c'), deps('c', 'a')])).toEqual(['a', 'b', 'c', 'a'])
  })

  it('names only the cycle, not the path that led to it', () => {
    expect(findDependencyCycle([deps('x', 'a'), deps('a', 'b'), deps('b', 'a')])).toEqual(['a', 'b', 'a'])
  })

  it('does not follow names no program has', () => {
    expect(findDependencyCycle([deps('a', 'ghost')])).toBeUndefined()
  })
})

describe('program states', () => {
  it('lets a program move only along the documented edges', () => {
    expect(PROGRAM_STATES).toEqual(['stopped', 'starting', 'running', 'stopping', 'backoff', 'exited', 'fatal'])
    expect(canTransition('stopped', 'starting')).toBe(true)
    expect(canTransition('starting', 'running')).toBe(true)
    expect(canTransition('stopping', 'stopped')).toBe(true)
    expect(canTransition('stopped', 'running')).toBe(false)
    expect(canTransition('fatal', 'running')).toBe(false)
  })
})
