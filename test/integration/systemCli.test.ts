import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tempDir'

const ROOT = resolve(__dirname, '../..')
const TSX = resolve(ROOT, 'node_modules/.bin/tsx')
const CLI = resolve(ROOT, 'src/main/cli/main.ts')

const cli = (args: string[]) =>
  spawnSync(TSX, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PROCTOR_DATA_DIR: tempDir() }, timeout: 30_000 })

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value)

describe('proctor metrics', () => {
  it('--json prints one sample with real rates', () => {
    const res = cli(['metrics', '--json'])
    expect(res.status, res.stderr).toBe(0)
    const m = JSON.parse(res.stdout) as unknown
    for (const path of ['cpu.total', 'memory.total', 'memory.used', 'swap.total', 'swap.used']) expect(typeof at(m, path), path).toBe('number')
    expect(at(m, 'cpu.cores')).toHaveLength(cpus().length)
    expect(at(m, 'load')).toHaveLength(3)
    const rates = ['network.rxBytesPerSec', 'network.txBytesPerSec', 'disk.readBytesPerSec', 'disk.writeBytesPerSec']
    for (const path of rates) {
      expect(at(m, path), path).not.toBeUndefined()
      if (process.platform === 'linux') expect(typeof at(m, path), path).toBe('number')
    }
  })

  it('prints a readable sample without --json', () => {
    const res = cli(['metrics'])
    expect(res.status, res.stderr).toBe(0)
    for (const label of ['CPU', 'Cores', 'Memory', 'Swap', 'Load', 'Network', 'Disk', 'Filesystems', 'Processes', 'Uptime']) {
      expect(res.stdout).toMatch(new RegExp(`^${label}\\b`, 'm'))
    }
    expect(res.stdout).toMatch(/^CPU\s+\d+\.\d%/m)
  })

  it('answers a bad flag with usage and exit code 2', () => {
    const res = cli(['metrics', '--jsn'])
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(/--jsn/)
    expect(res.stderr).toMatch(/metrics \[--json\]/)
    expect(cli(['metrics', 'extra']).status).toBe(2)
  })
})
