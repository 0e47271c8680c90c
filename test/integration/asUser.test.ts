import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NOBODY, runFixtureAs, unreachable, whyUserCannotRunFixtures } from '../helpers/asUser'
import { tempDir } from '../helpers/tempDir'

const ROOT = resolve(__dirname, '../..')
const WHOAMI = resolve(ROOT, 'test/fixtures/scripts/whoami.ts')

describe('unreachable', () => {
  it('names the first folder on the way that others may not enter', () => {
    const priv = tempDir() // mkdtemp makes it 0700
    mkdirSync(join(priv, 'open'), { mode: 0o755 })
    writeFileSync(join(priv, 'open', 'f'), '')
    expect(unreachable(join(priv, 'open', 'f'), NOBODY)).toBe(`${priv} is mode 700, and uid ${NOBODY} may not enter it`)
    expect(unreachable('/usr/bin/env', NOBODY)).toBeUndefined()
    // Its owner may enter it.
    expect(unreachable(join(priv, 'open', 'f'), process.getuid?.() ?? 0)).toBeUndefined()
  })
})

// Only root may start a process as another user.
describe.runIf(process.getuid?.() === 0)('runFixtureAs (root only)', () => {
  const saved = process.env.TMPDIR
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
  })

  it('runs the fixture as uid nobody from a copy anyone can read, wherever the checkout is', () => {
    const { dataDir, result } = runFixtureAs(WHOAMI, ['a', '-5'])
    const seen = JSON.parse(result.stdout) as { uid: number; gid: number; cwd: string; script: string; args: string[] }
    expect(seen).toMatchObject({ uid: NOBODY, gid: NOBODY, cwd: dataDir, args: [dataDir, 'a', '-5'] })
    // Not the checkout's file: a bundle in a temp folder.
    expect(seen.script.startsWith(ROOT)).toBe(false)
    expect(unreachable(seen.script, NOBODY)).toBeUndefined()
  })

  it('says why, with what node said, when the user cannot reach what it should run', () => {
    const priv = tempDir() // 0700, root's: nobody may not enter
    process.env.TMPDIR = priv
    const why = `cannot put a fixture where uid ${NOBODY} can read it: ${priv} is mode 700, and uid ${NOBODY} may not enter it (set TMPDIR to a folder others can enter)`
    expect(whyUserCannotRunFixtures()).toBe(why)
    let message = ''
    try {
      runFixtureAs(WHOAMI, ['x'])
    } catch (err) {
      message = (err as Error).message
    }
    expect(message.startsWith(`whoami.ts x as uid ${NOBODY} failed (exit 1): `), message).toBe(true)
    expect(message).toContain(`Cannot find module '${priv}/`)
    expect(message.endsWith(` (${why})`), message).toBe(true)
  })

  it('reports a process that could not be started with the spawn error, not "null"', () => {
    expect(() => runFixtureAs(WHOAMI, ['x'], { node: '/nonexistent/node' })).toThrow(`could not run whoami.ts x as uid ${NOBODY}: spawnSync /nonexistent/node ENOENT`)
  })
})
