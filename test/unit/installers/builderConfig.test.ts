import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import type { Configuration } from 'app-builder-lib'
import { findAndReadConfig } from 'app-builder-lib/out/util/config/load'
import { validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { beforeAll, describe, expect, it } from 'vitest'

/*
 * `npm run dist` cannot run here (electron-builder downloads Electron), so
 * electron-builder.yml is checked the ways that need no download: read by
 * electron-builder's own loader, validated against the JSON schema it ships
 * (app-builder-lib/scheme.json) and by its own validator, and every file it
 * names looked for.
 */

const root = resolve(import.meta.dirname, '..', '..', '..')
const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object

function schemaValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true })
  // The schema types its hooks (afterPack, ...) with ajv-keywords' `typeof`.
  ajv.addKeyword({ keyword: 'typeof', schemaType: 'string', validate: (type: string, data: unknown) => typeof data === type })
  return ajv.compile(schema)
}

async function readConfig(): Promise<Configuration> {
  const read = await findAndReadConfig<Configuration>({ projectDir: root, configFilename: 'electron-builder', packageKey: 'build', packageMetadata: null })
  if (!read) throw new Error('electron-builder found no configuration in the project')
  expect(read.configFile).toBe(join(root, 'electron-builder.yml'))
  return read.result
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path)
  expect(bytes.subarray(1, 4).toString('latin1'), `${path} is a PNG`).toBe('PNG')
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

let config: Configuration
let validate: ValidateFunction

// Compiling the schema (360 KB of JSON) takes seconds on a loaded 2-core machine, twice with electron-builder's own validator.
const COMPILE_MS = 60_000

beforeAll(async () => {
  config = await readConfig()
  validate = schemaValidator()
}, COMPILE_MS)

describe('electron-builder.yml', () => {
  it("matches electron-builder's own schema, and passes its own validator", async () => {
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  }, COMPILE_MS)

  it('a misspelled or misplaced key fails the same check', async () => {
    const misspelled = structuredClone(config) as Record<string, unknown> & { linux: Record<string, unknown> }
    misspelled.linux.categroy = 'System'
    expect(validate(misspelled)).toBe(false)
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'categroy' } }))
    await expect(validateConfiguration(misspelled, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/)

    // "title" belongs to dmg, not to mac.
    const misplaced = { ...config, mac: { ...config.mac, title: 'Proctor' } }
    expect(validate(misplaced)).toBe(false)
  }, COMPILE_MS)

  it('builds AppImage and .deb on Linux (System;Monitor) and a .dmg on macOS, as Proctor', () => {
    expect(config.appId).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/)
    expect(config.productName).toBe('Proctor')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.linux?.category?.split(';')).toEqual(['System', 'Monitor'])
    // A .deb needs a maintainer; without one in package.json's author, the config must give it.
    expect(config.linux?.maintainer).toBeTruthy()
    expect(config.mac?.target).toBe('dmg')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.dist).toMatch(/^npm run build && electron-builder\b/)
  })

  it('sets the fuses of issue 18: no run-as-node, encrypted cookies, only an integrity-checked app.asar', () => {
    expect(config.asar).toBe(true)
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    })
  })

  it('every file it names exists: the icons in their sizes, the files packed, the CLI beside the app', () => {
    // macOS: electron-builder makes the .icns from a PNG of at least 512x512.
    const macIcon = join(root, String(config.mac?.icon))
    expect(pngSize(macIcon).width).toBeGreaterThanOrEqual(512)
    expect(pngSize(macIcon).height).toBe(pngSize(macIcon).width)

    // Linux: a folder of NxN.png, each the size its name says.
    const linuxIcons = join(root, String(config.linux?.icon))
    expect(statSync(linuxIcons).isDirectory()).toBe(true)
    const sizes = readdirSync(linuxIcons).map((name) => {
      const [, n] = /^(\d+)x\1\.png$/.exec(name) ?? []
      expect(n, `${name} is named NxN.png`).toBeDefined()
      expect(pngSize(join(linuxIcons, name))).toEqual({ width: Number(n), height: Number(n) })
      return Number(n)
    })
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 128, 256, 512]))

    // The packed files: plain paths exist; globs are under out/, which the build makes.
    const files = (config.files ?? []) as string[]
    for (const f of files.filter((f) => !f.includes('*'))) expect(statSync(join(root, f)).isFile(), f).toBe(true)
    for (const f of files.filter((f) => f.includes('*'))) expect(f).toMatch(/^out\/(main|preload|renderer)\/\*\*$/)
    // The window loads its icon from the app's root: it must be packed.
    expect(files).toContain('resources/icon.png')

    // Beside the app: the CLI and the IPC client module, as build:cli and build:client write them.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(config.extraResources).toEqual([
      { from: 'out/cli/proctor.cjs', to: 'cli/proctor.cjs' },
      { from: 'out/client', to: 'client' },
    ])
    expect(pkg.scripts['build:cli']).toContain('--outfile=out/cli/proctor.cjs')
    expect(pkg.scripts['build:client']).toContain('--outfile=out/client/proctor-ipc.cjs')
    expect(pkg.scripts['build:client']).toContain('--outfile=out/client/proctor-ipc.mjs')
    expect(statSync(join(root, String(config.directories?.buildResources))).isDirectory()).toBe(true)
  })
})
