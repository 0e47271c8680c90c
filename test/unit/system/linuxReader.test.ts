import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LinuxSystemReader } from '../../../src/main/core/system/linux/linuxReader'
import { TemperatureReader } from '../../../src/main/core/system/linux/temperatures'
import { TextFiles } from '../../../src/main/core/linux/textFiles'
import { countProcStates, ProcStateCounter, STATES_PER_SAMPLE } from '../../../src/main/core/system/linux/processStates'
import { filesystemUsage } from '../../../src/main/core/system/linux/filesystems'
import { SystemSampler } from '../../../src/main/core/system/systemSampler'
import { tempDir } from '../../helpers/tempDir'

const FIXTURES = resolve(__dirname, '../../fixtures')
const SYS = join(FIXTURES, 'system/sys')

/** A /proc tree in a temp folder, filled from a captured set, with a few processes. */
function procTree(): { root: string; load(set: string): void } {
  const root = tempDir('proctor-proc-')
  mkdirSync(join(root, 'net'))
  mkdirSync(join(root, 'self'))
  const pids: [string, string][] = [
    ['1', 'stat-init.txt'],
    ['2', 'stat-kthreadd.txt'],
    ['6847', 'stat-weird-comm.txt'],
    ['7000', 'stat-zombie.txt'],
  ]
  for (const [pid, file] of pids) {
    mkdirSync(join(root, pid))
    copyFileSync(join(FIXTURES, 'proc', file), join(root, pid, 'stat'))
  }
  mkdirSync(join(root, 'self-not-a-pid'))
  // The mounts name a folder that exists, so statfs answers.
  writeFileSync(join(root, 'self/mounts'), `proc /proc proc rw 0 0\n/dev/fake ${root} ext4 rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n`)
  const load = (set: string) => {
    const from = (name: string) => join(FIXTURES, 'system/linux', set, name)
    for (const name of ['stat', 'meminfo', 'loadavg', 'uptime', 'diskstats']) copyFileSync(from(name), join(root, name))
    copyFileSync(from('net_dev'), join(root, 'net/dev'))
  }
  load('a')
  return { root, load }
}

describe('LinuxSystemReader on a captured tree', () => {
  it('reads every part of a sample from the files', () => {
    const proc = procTree()
    const reader = new LinuxSystemReader({ procRoot: proc.root, sysRoot: SYS })
    const r = reader.read()
    expect(r.cores).toHaveLength(2)
    expect(r.memory.total).toBe(24684084 * 1024)
    expect(r.load).toEqual([0.0, 0.29, 0.77])
    expect(r.disks?.map((d) => d.device)).toEqual(['vda'])
    expect(r.interfaces?.map((n) => n.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0'])
    expect(r.filesystems.map((f) => [f.mount, f.device, f.type])).toEqual([[proc.root, '/dev/fake', 'ext4']])
    expect(r.filesystems[0]?.sizeBytes).toBeGreaterThan(0)
    expect(r.processes.total).toBe(4)
    expect(r.processes.zombie).toBe(1)
    expect(r.processes.running + r.processes.sleeping + r.processes.stopped + r.processes.zombie).toBe(4)
    expect(r.temperatures.map((t) => t.label)).toEqual(['coretemp Package id 0', 'coretemp Core 0', 'coretemp Core 8', 'nvme Composite', 'acpitz temp1'])
    expect(r.uptime).toBeGreaterThan(0)
  })

  it('decides whole disks by /sys/block: a device link, no loop or zram', () => {
    const proc = procTree()
    writeFileSync(join(proc.root, 'diskstats'), readFileSync(join(proc.root, 'diskstats'), 'latin1') + ' 254 1 vda1 1 0 8 0 0 0 0 0 0 0 0\n')
    const reader = new LinuxSystemReader({ procRoot: proc.root, sysRoot: SYS })
    expect(reader.read().disks?.map((d) => d.device)).toEqual(['vda'])
  })

  it('samples rates from one reading to the next, and null where a counter went backwards', () => {
    const proc = procTree()
    const sampler = new SystemSampler(new LinuxSystemReader({ procRoot: proc.root, sysRoot: SYS }))
    const first = sampler.sample()
    expect(first.cpu.total).toBeNull()
    proc.load('b')
    const second = sampler.sample()
    expect(second.cpu.total).toBeGreaterThan(0)
    expect(second.disk.readBytesPerSec).toBeGreaterThan(0)
    expect(second.network.rxBytesPerSec).toBe(0)
    // The disk counters of capture a are lower than b's: a went "backwards".
    proc.load('a')
    const third = sampler.sample()
    expect(third.disk.readBytesPerSec).toBeNull()
    expect(third.disk.devices[0]?.readBytesPerSec).toBeNull()
    // Every CPU column went backwards too: no interval to take a share of.
    expect(third.cpu.total).toBeNull()
    sampler.reset()
    expect(sampler.sample().cpu.total).toBeNull()
  })

  it('takes process counts from the engine when it has them, and counts none itself then', () => {
    const proc = procTree()
    const given = { total: 9, running: 2, sleeping: 7, stopped: 0, zombie: 0 }
    const reader = new LinuxSystemReader({ procRoot: proc.root, sysRoot: SYS, processCounts: () => given })
    expect(reader.read().processes).toBe(given)
  })

  it('reads an empty machine without failing', () => {
    const empty = tempDir('proctor-empty-proc-')
    const r = new LinuxSystemReader({ procRoot: empty, sysRoot: empty }).read()
    expect(r.cores).toEqual([])
    expect(r.disks).toEqual([])
    expect(r.filesystems).toEqual([])
    expect(r.temperatures).toEqual([])
    expect(r.processes.total).toBe(0)
  })
})

describe('temperatures', () => {
  it('fall back to thermal zones on machines without hwmon sensors', () => {
    const t = new TemperatureReader(new TextFiles(), join(FIXTURES, 'system/sys-thermal')).read(0)
    expect(t).toEqual([
      { label: 'acpitz zone0', celsius: 27.8 },
      { label: 'x86_pkg_temp zone1', celsius: 51 },
    ])
  })

  it('skip sensors that do not answer', () => {
    const root = tempDir('proctor-sys-')
    mkdirSync(join(root, 'class/hwmon/hwmon0'), { recursive: true })
    writeFileSync(join(root, 'class/hwmon/hwmon0/name'), 'gpu\n')
    writeFileSync(join(root, 'class/hwmon/hwmon0/temp1_input'), '')
    writeFileSync(join(root, 'class/hwmon/hwmon0/temp2_input'), '61000\n')
    expect(new TemperatureReader(new TextFiles(), root).read(0)).toEqual([{ label: 'gpu temp2', celsius: 61 }])
  })
})

describe('process states and filesystem sizes', () => {
  it('count processes by state from /proc/PID/stat', () => {
    const proc = procTree()
    expect(countProcStates(new TextFiles(), proc.root)).toEqual({ total: 4, running: 0, sleeping: 3, stopped: 0, zombie: 1 })
  })

  it('spread a count over samples after the first, at most a budget of reads each', () => {
    const root = tempDir('proctor-many-')
    const stat = (pid: number, state: string) => writeFileSync(join(root, String(pid), 'stat'), `${pid} (p) ${state} 1 1 1 0 -1\n`)
    const N = 2 * STATES_PER_SAMPLE + 20
    for (let pid = 1; pid <= N; pid++) {
      mkdirSync(join(root, String(pid)))
      stat(pid, 'S')
    }
    const counter = new ProcStateCounter(new TextFiles(), root, 1000)
    expect(counter.read(0)).toEqual({ total: N, running: 0, sleeping: N, stopped: 0, zombie: 0 })
    for (let pid = 1; pid <= N; pid++) stat(pid, 'R')
    // Not due yet: the last counts stand.
    expect(counter.read(500).running).toBe(0)
    // Due: three samples to read them all, the counts change on the third.
    expect(counter.read(1000).running).toBe(0)
    expect(counter.read(2000).running).toBe(0)
    expect(counter.read(3000)).toEqual({ total: N, running: N, sleeping: 0, stopped: 0, zombie: 0 })
  })

  it('size a filesystem as df does', () => {
    const entry = { device: '/dev/x', mount: '/x', type: 'ext4' }
    // 100 blocks, 30 free of which 20 available to users (10 reserved for root).
    expect(filesystemUsage(entry, { bsize: 4096, blocks: 100, bfree: 30, bavail: 20 })).toEqual({
      ...entry,
      sizeBytes: 409600,
      usedBytes: 70 * 4096,
      availableBytes: 20 * 4096,
      percent: (70 / 90) * 100,
    })
  })

  it('read big files whole through the shared buffer', () => {
    const dir = tempDir('proctor-files-')
    const big = 'x'.repeat(100_000) + '\nend'
    writeFileSync(join(dir, 'big'), big)
    const files = new TextFiles()
    expect(files.read(join(dir, 'big'))).toBe(big)
    expect(files.read(join(dir, 'missing'))).toBeUndefined()
  })
})
