import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { SystemMetrics } from '../../src/shared/types/system'
import { bundledCli } from '../helpers/bundledCli'
import { tempDir } from '../helpers/tempDir'

const CLI = bundledCli()

const cli = (args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PROCTOR_DATA_DIR: tempDir() }, timeout: 30_000 })

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

  it.runIf(process.platform === 'linux')('reports / as `df -B1 /` does, and its figures add up to the size', () => {
    const json = cli(['metrics', '--json'])
    const df = spawnSync('df', ['-B1', '--output=size,used,avail,pcent', '/'], { encoding: 'utf8' })
    const text = cli(['metrics'])
    expect(json.status, json.stderr).toBe(0)
    expect(df.status, df.stderr).toBe(0)
    const [size, used, avail, pcent] = (df.stdout.trim().split('\n')[1] ?? '').trim().split(/\s+/).map((v) => Number.parseInt(v, 10))
    const root = (JSON.parse(json.stdout) as SystemMetrics).filesystems.find((f) => f.mount === '/')
    expect(root, 'the / filesystem').toBeDefined()
    // Size is fixed; used and available move with whatever the machine writes meanwhile.
    const drift = 256 * 1024 ** 2
    expect(root?.sizeBytes).toBe(size)
    expect(Math.abs((root?.usedBytes ?? 0) - (used ?? 0))).toBeLessThan(drift)
    expect(Math.abs((root?.availableBytes ?? 0) - (avail ?? 0))).toBeLessThan(drift)
    // df rounds its Use% up.
    expect(Math.abs(Math.ceil(root?.percent ?? 0) - (pcent ?? 0))).toBeLessThanOrEqual(1)

    // The text: size, used, available, reserved and use%, in that order, adding up.
    expect(text.status, text.stderr).toBe(0)
    const row = /^ {2}\/ +(.+)$/m.exec(text.stdout)?.[1] ?? ''
    const figures = [...row.matchAll(/(\d+(?:\.\d+)?) (B|KiB|MiB|GiB|TiB|PiB)/g)].map((m) => Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].indexOf(m[2] ?? ''))
    expect(figures, row).toHaveLength(4)
    const [tSize = 0, tUsed = 0, tAvail = 0, tReserved = 0] = figures
    const rounding = 0.05 * 1024 ** 3 * 3
    expect(Math.abs(tSize - (size ?? 0))).toBeLessThan(0.05 * 1024 ** 3 + 1)
    expect(Math.abs(tUsed - (used ?? 0))).toBeLessThan(drift + 0.05 * 1024 ** 3)
    expect(Math.abs(tAvail - (avail ?? 0))).toBeLessThan(drift + 0.05 * 1024 ** 3)
    expect(Math.abs(tUsed + tAvail + tReserved - tSize)).toBeLessThanOrEqual(rounding)
    expect(row).toMatch(/ \d+\.\d% +\S+ \S+$/)
  })

  it('answers a bad flag with usage and exit code 2', () => {
    const res = cli(['metrics', '--jsn'])
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(/--jsn/)
    expect(res.stderr).toMatch(/metrics \[--json\]/)
    expect(cli(['metrics', 'extra']).status).toBe(2)
  })
})
