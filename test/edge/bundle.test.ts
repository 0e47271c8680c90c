import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tempDir'

const root = resolve(import.meta.dirname, '..', '..')

/**
 * What electron-vite builds, built afresh into a temp folder: the unit tests
 * import sources, so only the bundles tell what a sandboxed preload will try
 * to load and what the window really runs.
 */
describe('the built bundles', () => {
  let out: string
  beforeAll(() => {
    out = tempDir('proctor-build-')
    execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'error'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
  }, 120_000)

  it('the preload requires nothing a sandboxed preload cannot load (its dependencies are bundled in)', () => {
    const code = readFileSync(join(out, 'preload', 'index.js'), 'utf8')
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    // Electron's sandboxed preload offers only these to require().
    const allowed = new Set(['electron', 'events', 'timers', 'url', 'node:events', 'node:timers', 'node:url'])
    expect(required.filter((name) => name !== undefined && !allowed.has(name))).toEqual([])
    // The contract validates regexes with RE2: it is in there.
    expect(code).toContain('invalid or unsupported Perl syntax')
  })

  it("the window's search box matches regexes with RE2 too", () => {
    const assets = join(out, 'renderer', 'assets')
    const code = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n')
    expect(code).toContain('invalid or unsupported Perl syntax')
    expect(code).toContain('regexes are RE2: no backreferences or lookaround')
  })
})
