import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/tempDir'

/*
 * The `proctor` command as npm installs it: `npm run build:cli` (the
 * package's own script) makes out/cli/proctor.cjs, `npm link` puts it on
 * a PATH; it runs with plain node, without tsx and without node_modules.
 */

const ROOT = resolve(__dirname, '../../..')
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> }
const BIN = join(ROOT, PKG.bin.proctor ?? 'missing')

describe('the proctor command', () => {
  beforeAll(() => {
    const res = spawnSync('npm', ['run', '-s', 'build:cli'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
    expect(res.status, res.stderr).toBe(0)
  }, 120_000)

  it('package.json names a compiled entry as bin.proctor, built by npm run build', () => {
    expect(PKG.bin).toEqual({ proctor: 'out/cli/proctor.cjs' })
    expect(PKG.scripts.build).toMatch(/npm run build:cli/)
    const text = readFileSync(BIN, 'utf8')
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(BIN).mode & 0o111).toBe(0o111)
    // No electron (it cannot load under plain node) and no tsx at run time.
    expect(text).not.toMatch(/require\(["']electron["']\)/)
    expect(text).not.toMatch(/require\(["']tsx/)
  })

  it('after npm link it runs from the PATH, from another folder, with no node_modules beside it', () => {
    // A copy of the package as a clean checkout has it after the build: package.json and out/cli.
    const pkg = tempDir()
    mkdirSync(join(pkg, 'out/cli'), { recursive: true })
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'))
    copyFileSync(BIN, join(pkg, 'out/cli/proctor.cjs'))
    const prefix = tempDir()
    const link = spawnSync('npm', ['link', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: pkg,
      encoding: 'utf8',
      env: { ...process.env, NPM_CONFIG_PREFIX: prefix },
      timeout: 120_000,
    })
    expect(link.status, link.stderr).toBe(0)
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`, PROCTOR_DATA_DIR: tempDir() }
    const which = spawnSync('sh', ['-c', 'command -v proctor'], { encoding: 'utf8', env })
    expect(which.stdout.trim()).toBe(join(prefix, 'bin/proctor'))
    const ps = spawnSync('proctor', ['ps', '--json'], { cwd: '/', encoding: 'utf8', env, timeout: 30_000 })
    expect(ps.status, ps.stderr).toBe(0)
    const list = JSON.parse(ps.stdout) as Array<{ pid: number }>
    expect(list.some((p) => p.pid === process.pid)).toBe(true)
    const help = spawnSync('proctor', ['help'], { cwd: '/', encoding: 'utf8', env })
    expect(help.stdout).toMatch(/^Usage: proctor <command>/)
    expect(help.stdout).toMatch(/programs export NAME --systemd\|--launchd/)
  })
})
