import { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, unlinkSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LinuxSystemReader } from '../../src/main/core/system/linux/linuxReader'
import { SystemSampler } from '../../src/main/core/system/systemSampler'
import { MetricsRecorder } from '../../src/main/core/system/metricsRecorder'
import { killAll, spawnIdle } from '../helpers/children'
import { folderOnDisk, MiB, sendOverLoopback, writeDurably } from '../helpers/systemLoad'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.runIf(process.platform === 'linux')('system metrics on this machine', () => {
  afterAll(killAll)

  it('has one core entry per CPU and the memory total of /proc/meminfo', () => {
    const sampler = new SystemSampler()
    sampler.sample()
    const m = sampler.sample()
    expect(m.cpu.cores).toHaveLength(cpus().length)
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'))?.[1])
    expect(m.memory.total).toBe(memTotalKb * 1024)
    expect(m.memory.total).toBe(totalmem())
    expect(m.memory.used + m.memory.available).toBe(m.memory.total)
    expect(m.load).toHaveLength(3)
    expect(m.uptime).toBeGreaterThan(0)
    expect(m.processes.total).toBeGreaterThan(1)
    expect(m.filesystems.length).toBeGreaterThan(0)
    expect(m.network.interfaces.some((n) => n.name === 'lo')).toBe(true)
  })

  it('sees a busy-loop child raise CPU total', async () => {
    const sampler = new SystemSampler()
    const busy = spawnIdle('proctor-busy', 'for (;;) {}')
    await sleep(300)
    sampler.sample()
    await sleep(1000)
    const m = sampler.sample()
    busy.kill('SIGKILL')
    // One core out of n fully busy is at least 100/n % of the machine (the child may be preempted a little).
    expect(m.cpu.total).toBeGreaterThanOrEqual((0.7 * 100) / cpus().length)
    expect(Math.max(...m.cpu.cores.map((c) => c ?? 0))).toBeGreaterThanOrEqual(70)
    expect(m.cpu.shares.user).toBeGreaterThan(0)
  })

  it('sees megabytes sent over loopback on the lo interface, about that many over that time', async () => {
    const SIZE = 64 * MiB
    const sampler = new SystemSampler()
    const before = sampler.sample()
    const started = performance.now()
    await sendOverLoopback(SIZE)
    await sleep(50)
    const after = sampler.sample()
    const seconds = (performance.now() - started) / 1000
    const lo = (m: typeof before) => m.network.interfaces.find((n) => n.name === 'lo')!
    // Headers add well under 1 % at loopback's 64 KiB MTU; other local traffic may add a little.
    for (const moved of [lo(after).rxBytes - lo(before).rxBytes, lo(after).txBytes - lo(before).txBytes]) {
      expect(moved).toBeGreaterThanOrEqual(SIZE)
      expect(moved).toBeLessThan(SIZE * 1.1 + 4 * MiB)
    }
    const rate = lo(after).rxBytesPerSec!
    expect(rate * seconds).toBeGreaterThanOrEqual(SIZE * 0.9)
    expect(rate * seconds).toBeLessThan(SIZE * 1.25 + 4 * MiB)
  })

  it('sees a written and fsynced file move the write counter of the disk that holds it', async () => {
    const onDisk = folderOnDisk()
    if (!onDisk) {
      console.warn('skipped: neither the temp folder nor the project folder is on a block device (e.g. btrfs or tmpfs)')
      return
    }
    const { folder, disk: device } = onDisk
    const SIZE = 32 * MiB
    const reader = new LinuxSystemReader()
    const sampler = new SystemSampler(new LinuxSystemReader())
    const file = join(folder, `.proctor-disk-test-${process.pid}`)
    const written = (r: ReturnType<typeof reader.read>) => r.disks?.find((d) => d.device === device)?.writeBytes
    try {
      const before = reader.read()
      sampler.sample()
      expect(written(before), `${device} in /proc/diskstats`).toBeDefined()
      writeDurably(file, SIZE)
      const after = reader.read()
      const m = sampler.sample()
      // This proves the counter moves by at least what was made durable; the journal and other writers may add more.
      expect(written(after)! - written(before)!).toBeGreaterThanOrEqual(SIZE)
      expect(m.disk.devices.find((d) => d.device === device)?.writeBytesPerSec).toBeGreaterThan(0)
      expect(m.disk.writeBytesPerSec).toBeGreaterThanOrEqual(m.disk.devices.find((d) => d.device === device)!.writeBytesPerSec!)
    } finally {
      if (existsSync(file)) unlinkSync(file)
    }
  })

  it('keeps its history bound after 10,000 real samples', () => {
    const service = new MetricsRecorder(600, () => new LinuxSystemReader())
    service.sample(1000)
    const bytes = service.history.bytes
    for (let i = 0; i < 10_000; i++) service.sample(1000)
    expect(service.history.size).toBe(600)
    expect(service.history.bytes).toBe(bytes)
    expect(bytes).toBe(8 * 600 * (1 + 15 + cpus().length))
  })

  it('spends well under 2 ms of CPU on a sample and spawns nothing', () => {
    const sampler = new SystemSampler()
    sampler.sample(true)
    // Every child process goes through one of these two, whoever calls exec/spawn/execSync.
    let spawns = 0
    const proto = ChildProcess.prototype as unknown as { spawn: (...a: unknown[]) => unknown }
    const binding = (process as unknown as { binding(n: string): { spawn: (...a: unknown[]) => unknown } }).binding('spawn_sync')
    const [asyncSpawn, syncSpawn] = [proto.spawn, binding.spawn]
    proto.spawn = function (this: unknown, ...a: unknown[]) {
      spawns++
      return asyncSpawn.apply(this, a)
    }
    binding.spawn = function (this: unknown, ...a: unknown[]) {
      spawns++
      return syncSpawn.apply(this, a)
    }
    try {
      const cpu0 = process.cpuUsage()
      for (let i = 0; i < 100; i++) sampler.sample(i % 10 === 0)
      const used = process.cpuUsage(cpu0)
      expect(spawns).toBe(0)
      // Generous for a shared, noisy machine: the bench measures the real figure.
      expect((used.user + used.system) / 1000 / 100).toBeLessThan(2)
    } finally {
      proto.spawn = asyncSpawn
      binding.spawn = syncSpawn
    }
  })
})
