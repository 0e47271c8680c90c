import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import { REGISTRY_FILE, ProgramRegistry } from '../../../src/main/core/supervisor/registry'
import { tempDir } from '../../helpers/tempDir'

function refusal(run: () => unknown): ProctorError {
  try {
    run()
  } catch (err) {
    if (err instanceof ProctorError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('program registry', () => {
  it('persists programs with a schema version and reads them back', () => {
    const dir = tempDir()
    const registry = new ProgramRegistry(dir)
    registry.add({ name: 'db', command: 'postgres' })
    registry.add({ name: 'web', command: 'node', args: ['server.js'], dependsOn: [{ name: 'db', condition: 'ready' }] })
    const file = JSON.parse(readFileSync(join(dir, REGISTRY_FILE), 'utf8'))
    expect(file.schemaVersion).toBe(1)
    expect(file.programs.map((p: { name: string }) => p.name)).toEqual(['db', 'web'])
    const again = new ProgramRegistry(dir)
    expect(again.notices).toEqual([])
    expect(again.list()).toEqual(registry.list())
  })

  it('keeps names starting with "pool." for the workers of pools, on add and on a rename', () => {
    const registry = new ProgramRegistry(tempDir())
    const added = refusal(() => registry.add({ name: 'pool.compute.1', command: 'node' }))
    expect(added.code).toBe('INVALID_ARGUMENT')
    expect(added.message).toBe('add program: name: names starting with "pool." are kept for the workers of pools')
    registry.add({ name: 'pooling', command: 'node' })
    expect(refusal(() => registry.edit('pooling', { name: 'pool.x.2' })).message).toMatch(/^edit program "pooling": name: names starting with "pool\."/)
    expect(registry.list().map((p) => p.name)).toEqual(['pooling'])
  })

  it('edits fields, nested ones field by field, and refuses a bad value naming the field', () => {
    const registry = new ProgramRegistry(tempDir())
    registry.add({ name: 'web', command: 'node', logs: { files: 3 } })
    expect(registry.edit('web', { logs: { maxBytes: 4096 } }).logs).toEqual({ maxBytes: 4096, files: 3 })
    const err = refusal(() => registry.edit('web', { stopTimeoutMs: 'soon' }))
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toMatch(/^edit program "web": stopTimeoutMs: /)
    expect(registry.get('web')?.stopTimeoutMs).toBe(5000)
  })

  it('takes a field away on null, nested ones too, so its default applies again', () => {
    const dir = tempDir()
    const registry = new ProgramRegistry(dir)
    registry.add({ name: 'web', command: 'node', cwd: '/srv', restartDelayMs: 100, ready: { kind: 'tcp', port: 80 }, health: { intervalMs: 1000, checks: [{ kind: 'alive' }] } })
    const edited = registry.edit('web', { cwd: null, ready: null, restartDelayMs: null, health: { intervalMs: null } })
    expect(edited.cwd).toBeUndefined()
    expect(edited.ready).toBeUndefined()
    expect(edited.restartDelayMs).toBeUndefined()
    expect(edited.health).toEqual({ checks: [{ kind: 'alive' }], startPeriodMs: 0 })
    expect(new ProgramRegistry(dir).get('web')).toEqual(edited)
    // A required field has no default to fall back on: refused, naming it.
    expect(refusal(() => registry.edit('web', { command: null })).message).toMatch(/^edit program "web": command: /)
  })

  it('refuses a duplicate name and a dependency on no program', () => {
    const registry = new ProgramRegistry(tempDir())
    registry.add({ name: 'web', command: 'node' })
    expect(refusal(() => registry.add({ name: 'web', command: 'x' })).message).toMatch(/name: a program named "web" already exists/)
    expect(refusal(() => registry.add({ name: 'api', command: 'x', dependsOn: [{ name: 'ghost' }] })).message).toMatch(
      /dependsOn\.0\.name: no program is named "ghost"/,
    )
  })

  it('refuses a dependency cycle when saving, naming it, and keeps the file as it was', () => {
    const dir = tempDir()
    const registry = new ProgramRegistry(dir)
    registry.add({ name: 'a', command: 'x' })
    registry.add({ name: 'b', command: 'x', dependsOn: [{ name: 'a' }] })
    registry.add({ name: 'c', command: 'x', dependsOn: [{ name: 'b' }] })
    const before = readFileSync(join(dir, REGISTRY_FILE), 'utf8')
    const err = refusal(() => registry.edit('a', { dependsOn: [{ name: 'c' }] }))
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toContain('dependency cycle: a -> c -> b -> a')
    expect(readFileSync(join(dir, REGISTRY_FILE), 'utf8')).toBe(before)
    expect(registry.get('a')?.dependsOn).toEqual([])
  })

  it('refuses to remove or rename a program others depend on, naming them', () => {
    const registry = new ProgramRegistry(tempDir())
    registry.add({ name: 'db', command: 'x' })
    registry.add({ name: 'web', command: 'x', dependsOn: [{ name: 'db' }] })
    expect(refusal(() => registry.remove('db')).message).toMatch(/web depends on it/)
    expect(refusal(() => registry.edit('db', { name: 'pg' })).message).toMatch(/name: cannot rename: web depends on "db"/)
    expect(refusal(() => registry.remove('nope')).code).toBe('NOT_FOUND')
    registry.remove('web')
    registry.remove('db')
    expect(new ProgramRegistry(registry.path.replace(`/${REGISTRY_FILE}`, '')).list()).toEqual([])
  })

  it.each([
    ['not JSON', '{"programs": [', /not valid JSON/],
    ['a newer version', JSON.stringify({ schemaVersion: 9, programs: [] }), /newer Proctor \(schema 9, this one reads 1\)/],
    ['a bad field', JSON.stringify({ schemaVersion: 1, programs: [{ name: 'web', command: 'x', startSeconds: -1 }] }), /program "web": startSeconds: /],
    [
      'a cycle',
      JSON.stringify({ schemaVersion: 1, programs: [{ name: 'a', command: 'x', dependsOn: [{ name: 'b' }] }, { name: 'b', command: 'x', dependsOn: [{ name: 'a' }] }] }),
      /dependency cycle: a -> b -> a/,
    ],
  ])('keeps a corrupt file (%s) aside, with a notice, and starts empty', (_what, content, reason) => {
    const dir = tempDir()
    writeFileSync(join(dir, REGISTRY_FILE), content)
    const registry = new ProgramRegistry(dir)
    expect(registry.list()).toEqual([])
    expect(registry.notices).toHaveLength(1)
    expect(registry.notices[0]).toMatch(reason)
    const aside = readdirSync(dir).filter((f) => f.startsWith(`${REGISTRY_FILE}.corrupt-`))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0] as string), 'utf8')).toBe(content)
    expect(registry.notices[0]).toContain(aside[0])
    registry.add({ name: 'web', command: 'x' })
    expect(readdirSync(dir).filter((f) => f.startsWith(`${REGISTRY_FILE}.corrupt-`))).toEqual(aside)
  })
})
