import { spawnSync } from 'node:child_process'
import { existsSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PortableSystemReader } from '../../src/main/core/system/portableReader'
import { SystemSampler } from '../../src/main/core/system/systemSampler'
import { MetricsRecorder } from '../../src/main/core/system/metricsRecorder'
import { ALL_DISKS } from '../../src/main/core/system/siCounters'
import { isLoopback, type RawSystemReading } from '../../src/shared/system/derive'
import type { SystemMetrics } from '../../src/shared/types/system'
import { folderOnDisk, MiB, sendOverLoopback, writeDurably } from '../helpers/systemLoad'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A sample whose disk and network counters were read after this call
 * began: samples (which starts a background read), waits for that answer,
 * then waits a little more, so the sample's own interval is not the
 * counters' one. Returns the sample and the raw reading it came from.
 */
async function settledSample(sampler: SystemSampler, reader: PortableSystemReader): Promise<{ metrics: SystemMetrics; raw: RawSystemReading }> {
  const began = performance.now()
  sampler.sample()
  await waitFor(() => (reader.read().ioMonotonicMs ?? -Infinity) > began, 15_000, 'a new answer from systeminformation')
  await sleep(300)
  // Same tick: the sampler reads the same answer.
  const raw = reader.read()
  return { metrics: sampler.sample(), raw }
}

const ioSeconds = (a: RawSystemReading, b: RawSystemReading) => (b.ioMonotonicMs! - a.ioMonotonicMs!) / 1000

// systeminformation reads these counters on Linux too, so the reader meant for macOS is tested here, for real.
describe.runIf(process.platform === 'linux' || process.platform === 'darwin')('the portable reader (systeminformation) on this machine', () => {
  it('sees megabytes sent over loopback on its interface, about that many over the counters’ own interval', async () => {
    const SIZE = 64 * MiB
    const reader = new PortableSystemReader()
    const sampler = new SystemSampler(reader)
    const a = await settledSample(sampler, reader)
    const sendStart = performance.now()
    await sendOverLoopback(SIZE)
    const sendEnd = performance.now()
    const b = await settledSample(sampler, reader)

    const rawLo = (r: RawSystemReading) => r.interfaces?.find((n) => isLoopback(n.name))
    expect(rawLo(a.raw), 'a loopback interface').toBeDefined()
    // The counters were read before and after the transfer.
    expect(a.raw.ioMonotonicMs!).toBeLessThan(sendStart)
    expect(b.raw.ioMonotonicMs!).toBeGreaterThan(sendEnd)
    const moved = rawLo(b.raw)!.rxBytes - rawLo(a.raw)!.rxBytes
    // Headers add well under 1 %; other local traffic (parallel test files) may add some.
    expect(moved).toBeGreaterThanOrEqual(SIZE)
    expect(moved).toBeLessThan(SIZE * 1.25 + 8 * MiB)

    const lo = b.metrics.network.interfaces.find((n) => isLoopback(n.name))!
    // The rate is over when the counters were read, not over when the samples were taken.
    expect(lo.rxBytesPerSec! * ioSeconds(a.raw, b.raw)).toBeCloseTo(moved, -3)
    expect(lo.rxBytesPerSec!).toBeLessThanOrEqual(moved / ((sendEnd - sendStart) / 1000))
    // systeminformation counts no packets: unknown, not zero.
    expect(lo.rxPacketsPerSec).toBeNull()
    expect(b.metrics.network.rxPacketsPerSec).toBeNull()
    // Loopback is listed but not network traffic.
    expect(b.metrics.network.rxBytesPerSec).toEqual(expect.any(Number))
    expect(b.metrics.network.rxBytesPerSec! * ioSeconds(a.raw, b.raw)).toBeLessThan(SIZE / 2)
  })

  it('sees a written and fsynced file move the write counters of all disks', async (ctx) => {
    let folder: string
    if (process.platform === 'linux') {
      const onDisk = folderOnDisk()
      if (!onDisk) return ctx.skip('neither the temp folder nor the project folder is on a block device (e.g. btrfs or tmpfs)')
      if (spawnSync('lsblk', ['--version']).error) return ctx.skip('systeminformation reads Linux disk counters through lsblk, which is not installed')
      folder = onDisk.folder
    } else {
      folder = tempDir('proctor-disk-')
    }
    const SIZE = 32 * MiB
    const reader = new PortableSystemReader()
    const sampler = new SystemSampler(reader)
    const file = join(folder, `.proctor-portable-disk-test-${process.pid}`)
    const all = (r: RawSystemReading) => r.disks?.find((d) => d.device === ALL_DISKS)
    try {
      const a = await settledSample(sampler, reader)
      expect(all(a.raw)?.writeBytes, 'disk write bytes from si.fsStats').toEqual(expect.any(Number))
      expect(all(a.raw)?.writeOps, 'disk write operations from si.disksIO').toEqual(expect.any(Number))
      writeDurably(file, SIZE)
      const b = await settledSample(sampler, reader)
      const written = all(b.raw)!.writeBytes! - all(a.raw)!.writeBytes!
      // At least what was made durable; the journal and other writers may add more.
      expect(written).toBeGreaterThanOrEqual(SIZE)
      expect(all(b.raw)!.writeOps! - all(a.raw)!.writeOps!).toBeGreaterThan(0)
      const device = b.metrics.disk.devices.find((d) => d.device === ALL_DISKS)!
      expect(device.writeBytesPerSec! * ioSeconds(a.raw, b.raw)).toBeCloseTo(written, -3)
      expect(device.writeOpsPerSec).toBeGreaterThan(0)
      expect(b.metrics.disk.writeBytesPerSec).toBe(device.writeBytesPerSec)
    } finally {
      if (existsSync(file)) unlinkSync(file)
    }
  })

  it('leaves disk and network unknown until its first background answer, and never blocks on it', () => {
    // A fresh sampler ignores answers read before it started.
    const sampler = new SystemSampler(new PortableSystemReader())
    const started = performance.now()
    const m = sampler.sample()
    expect(performance.now() - started).toBeLessThan(250)
    expect(m.network.rxBytesPerSec).toBeNull()
    expect(m.disk.writeBytesPerSec).toBeNull()
    expect(m.network.interfaces).toEqual([])
  })

  it('gives a one-shot reading (getSystemMetrics, `proctor metrics`) real disk and network rates', async () => {
    const service = new MetricsRecorder(60, () => new PortableSystemReader(), false)
    const m = await service.current(undefined, 1000)
    const lo = m.network.interfaces.find((n) => isLoopback(n.name))
    expect(lo?.rxBytesPerSec).toEqual(expect.any(Number))
    expect(m.disk.writeBytesPerSec).toEqual(expect.any(Number))
    expect(m.disk.readBytesPerSec).toEqual(expect.any(Number))
  })
})
