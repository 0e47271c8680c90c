import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  DarwinProcessAdapter,
  PS_ARGS,
  PS_PATH,
  layoutForPlatform,
  psEnvironment,
  type PsRunner,
} from '../../../src/main/core/processes/darwin/darwinAdapter'
import { DARWIN_PS_LAYOUT, PROCPS_PS_LAYOUT, parsePsOutput, psArgs, toRawProcess } from '../../../src/main/core/processes/darwin/psParse'

const assembled = readFileSync(join(__dirname, '../../fixtures/darwin/assembled-darwin-layout.txt'), 'latin1')

/** A stand-in for ps that records how it was called. */
function fakePs(output: string): PsRunner & { calls: [string, readonly string[]][] } {
  const calls: [string, readonly string[]][] = []
  const run = (file: string, args: readonly string[]) => {
    calls.push([file, args])
    return Promise.resolve(output)
  }
  return Object.assign(run, { calls })
}

/** The adapter as it is built on a Mac, whatever this machine is. */
const onMac = (ps: PsRunner) => new DarwinProcessAdapter(ps, PS_PATH, DARWIN_PS_LAYOUT)

describe('DarwinProcessAdapter with a stand-in ps', () => {
  it('runs /bin/ps exactly once per sample, with the exported argv', async () => {
    const ps = fakePs(assembled)
    const adapter = onMac(ps)
    expect(adapter.kind).toBe('darwin')
    await adapter.sample()
    await adapter.sample()
    expect(ps.calls).toEqual([
      [PS_PATH, PS_ARGS],
      [PS_PATH, PS_ARGS],
    ])
    expect(PS_PATH).toBe('/bin/ps')
    expect(PS_ARGS).toEqual(psArgs(DARWIN_PS_LAYOUT))
  })

  it('returns a raw sample of the parsed processes, skipping lines that do not parse', async () => {
    const before = Date.now()
    const sample = await onMac(fakePs(assembled)).sample()
    expect(sample.cpuCount).toBe(availableParallelism())
    expect(sample.memoryTotal).toBe(totalmem())
    expect(sample.timestamp).toBeGreaterThanOrEqual(before)
    expect(sample.timestamp).toBeLessThanOrEqual(Date.now())
    expect(sample.processes).toHaveLength(15)
    expect(sample.processes.find((p) => p.pid === 0)).toMatchObject({ name: 'kernel_task', kernelThread: true })
  })

  it('stamps samples on a monotonic clock', async () => {
    const adapter = onMac(fakePs(assembled))
    const a = await adapter.sample()
    const b = await adapter.sample()
    expect(b.monotonicMs).toBeGreaterThanOrEqual(a.monotonicMs)
  })

  it('survives output that is entirely garbage, and fails when ps cannot run', async () => {
    expect((await onMac(fakePs('ps: illegal option -- w\n')).sample()).processes).toEqual([])
    const missing = new DarwinProcessAdapter(undefined, '/nonexistent/ps')
    await expect(missing.sample()).rejects.toThrow()
  })
})

describe('layoutForPlatform', () => {
  it('uses the 16-byte ucomm on macOS and procps widths on Linux, with one argv for both', () => {
    expect(layoutForPlatform('darwin')).toBe(DARWIN_PS_LAYOUT)
    expect(layoutForPlatform('linux')).toBe(PROCPS_PS_LAYOUT)
    expect(psArgs(PROCPS_PS_LAYOUT)).toEqual(PS_ARGS)
  })
})

describe('psEnvironment', () => {
  it('pins LC_TIME to C for lstart and ctype to UTF-8, dropping LC_ALL which would override both', () => {
    const env = psEnvironment({ PATH: '/usr/bin', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LC_TIME: 'de_DE.UTF-8' })
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'de_DE.UTF-8', LC_TIME: 'C', LC_CTYPE: 'UTF-8' })
  })
})

describe('against real ps binaries', () => {
  const onLinux = process.platform === 'linux' && existsSync(PS_PATH)

  it.runIf(onLinux)(
    // Proves the argv and the parser on live output; it says nothing about macOS's output.
    'on Linux: procps accepts PS_ARGS unchanged and every line it prints parses (procps layout, ucomm 15 wide)',
    async () => {
      const { stdout } = await promisify(execFile)(PS_PATH, [...PS_ARGS], { encoding: 'latin1', env: psEnvironment(process.env) })
      const lines = stdout.split('\n').filter((l) => l.trim() !== '')
      const rows = parsePsOutput(stdout, PROCPS_PS_LAYOUT)
      expect(lines.length).toBeGreaterThan(1)
      expect(rows).toHaveLength(lines.length)
      const self = rows.find((r) => r.pid === process.pid)
      const p = self && toRawProcess(self)
      expect(p).toBeDefined()
      expect(p).toMatchObject({ pid: process.pid, ppid: process.ppid, uid: process.getuid?.() })
      expect(Math.abs((p?.startTime ?? 0) - (Date.now() - process.uptime() * 1000))).toBeLessThan(3000)
      expect(p?.memoryBytes).toBeGreaterThan(0)
      expect(p?.cpuTimeMs).toBeGreaterThanOrEqual(0)
      expect(rows.map(toRawProcess).every((x) => x !== undefined)).toBe(true)
    },
  )

  // The adapter end to end, with procps widths; not macOS semantics.
  it.runIf(onLinux)("on Linux: the adapter's own sample() runs /bin/ps and returns this process", async () => {
    const sample = await new DarwinProcessAdapter().sample()
    const self = sample.processes.find((p) => p.pid === process.pid)
    expect(self).toMatchObject({ ppid: process.ppid, uid: process.getuid?.(), kernelThread: false })
    expect(self?.command).toContain(process.argv[1] ?? '')
    expect(sample.processes.length).toBeGreaterThan(1)
  })

  it.runIf(process.platform === 'darwin')('on macOS: sample() lists this very process with its full command line', async () => {
    const sample = await new DarwinProcessAdapter().sample()
    const self = sample.processes.find((p) => p.pid === process.pid)
    expect(self).toMatchObject({ ppid: process.ppid, uid: process.getuid?.(), kernelThread: false })
    expect(self?.command).toContain(process.argv[1] ?? '')
    expect(Math.abs((self?.startTime ?? 0) - (Date.now() - process.uptime() * 1000))).toBeLessThan(3000)
    expect(sample.processes.length).toBeGreaterThan(20)
  })
})
