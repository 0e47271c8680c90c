import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deriveSystemMetrics, isLoopback, type RawSystemReading } from '../../../src/shared/system/derive'
import { cpuShares, cpuTimes } from '../../../src/shared/system/cpu'
import { counterDelta, perSecond, sumOrNull } from '../../../src/shared/system/rates'
import {
  isWholeDiskName,
  memoryFromMeminfo,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStatCpus,
  parseUptime,
} from '../../../src/main/core/system/linux/parse'

const dir = resolve(__dirname, '../../fixtures/system/linux')
const read = (set: string, name: string) => readFileSync(resolve(dir, set, name), 'latin1')

/** A reading built from captured files, as the Linux reader builds it, with edits to the text. */
function reading(set: string, monotonicMs: number, edit: (name: string, text: string) => string = (_n, t) => t): RawSystemReading {
  const file = (name: string) => edit(name, read(set, name))
  const cpus = parseProcStatCpus(file('stat'))
  return {
    monotonicMs,
    timestamp: 1_700_000_000_000 + monotonicMs,
    cpu: cpus.total!,
    cores: cpus.cores,
    ...memoryFromMeminfo(parseMeminfo(file('meminfo'))),
    load: parseLoadavg(file('loadavg')),
    disks: parseDiskstats(file('diskstats'), isWholeDiskName),
    interfaces: parseNetDev(file('net_dev')),
    filesystems: [],
    processes: { total: 3, running: 1, sleeping: 2, stopped: 0, zombie: 0 },
    temperatures: [],
    uptime: parseUptime(file('uptime')),
  }
}

/** eth0 and lo each moved by these bytes between the two edits. */
const withTraffic = (eth0Rx: number, loBytes: number) => (name: string, text: string) =>
  name === 'net_dev'
    ? text
        .replace(/eth0: 933532955/, `eth0: ${933532955 + eth0Rx}`)
        .replace(/lo: 102872615( +10856 +0 +0 +0 +0 +0 +0 )102872615/, (_m, middle: string) => `lo: ${102872615 + loBytes}${middle}${102872615 + loBytes}`)
    : text

describe('cpu shares', () => {
  it('splits the captured second into user, system, iowait and steal', () => {
    const a = parseProcStatCpus(read('a', 'stat')).total!
    const b = parseProcStatCpus(read('b', 'stat')).total!
    // Between the captures: user +0, nice +0, system +2, idle +202, iowait 0, irq 0, softirq 0, steal 0.
    expect(cpuTimes(b).total - cpuTimes(a).total).toBe(204)
    const s = cpuShares(a, b)
    expect(s.total).toBeCloseTo((2 / 204) * 100, 10)
    expect(s.system).toBeCloseTo((2 / 204) * 100, 10)
    expect(s.user).toBe(0)
    expect(s.iowait).toBe(0)
    expect(s.steal).toBe(0)
  })

  it('saturates counters that went backwards to 0 (iowait does on some kernels) and never passes 100', () => {
    const prev = { user: 100, nice: 0, system: 100, idle: 1000, iowait: 50, irq: 0, softirq: 0, steal: 0 }
    const s = cpuShares(prev, { ...prev, user: 200, idle: 1100, iowait: 40 })
    expect(s.iowait).toBe(0)
    // The interval is what the columns add up to: +100 user, +100 idle, -10 iowait.
    expect(s.user).toBeCloseTo((100 / 190) * 100, 10)
    // idle went backwards: busy exceeds the interval; the share stays at 100.
    expect(cpuShares(prev, { ...prev, user: 150, idle: 990 }).total).toBe(100)
  })

  it('gives null shares for an empty interval and for columns the platform lacks', () => {
    const prev = { user: 1, nice: 0, system: 1, idle: 1 }
    expect(cpuShares(prev, prev)).toEqual({ total: null, user: null, system: null, iowait: null, steal: null })
    const s = cpuShares(prev, { user: 2, nice: 0, system: 1, idle: 2 })
    expect(s.total).toBe(50)
    expect(s.iowait).toBeNull()
    expect(s.steal).toBeNull()
  })
})

describe('counters', () => {
  it('grow by their difference; a reset is unknown on 64-bit kernels, a wrap is modular on 32-bit ones', () => {
    expect(counterDelta(100, 250)).toBe(150)
    expect(counterDelta(4_294_967_000, 200)).toBeNull()
    expect(counterDelta(4_294_967_000, 200, 2 ** 32)).toBe(296 + 200)
    // A 64-bit value cannot have come from a 32-bit counter: a reset, even where counters are 32-bit.
    expect(counterDelta(2 ** 40, 5, 2 ** 32)).toBeNull()
  })

  it('become rates only over a real interval', () => {
    expect(perSecond(1000, 0.5)).toBe(2000)
    expect(perSecond(1000, 0)).toBeNull()
    expect(perSecond(null, 1)).toBeNull()
    expect(sumOrNull([1, 2, 3])).toBe(6)
    expect(sumOrNull([1, null])).toBeNull()
  })
})

describe('deriveSystemMetrics', () => {
  it('gives no rates on the first sample: null, never a guess', () => {
    const m = deriveSystemMetrics(undefined, reading('a', 0))
    expect(m.cpu.total).toBeNull()
    expect(m.cpu.cores).toEqual([null, null])
    expect(m.cpu.shares).toEqual({ total: null, user: null, system: null, iowait: null, steal: null })
    expect(m.network.rxBytesPerSec).toBeNull()
    expect(m.network.interfaces.every((n) => n.rxBytesPerSec === null)).toBe(true)
    expect(m.disk.writeBytesPerSec).toBeNull()
    expect(m.disk.devices[0]?.readBytesPerSec).toBeNull()
    // Levels need one reading only.
    expect(m.memory.total).toBe(24684084 * 1024)
    expect(m.network.interfaces.find((n) => n.name === 'eth0')?.rxBytes).toBe(933532955)
  })

  it('gives no rates over a zero-length interval', () => {
    const m = deriveSystemMetrics(reading('a', 500), reading('b', 500))
    expect(m.cpu.total).toBeNull()
    expect(m.disk.readBytesPerSec).toBeNull()
  })

  it('takes rates over the monotonic interval between the captured files', () => {
    const m = deriveSystemMetrics(reading('a', 1000), reading('b', 3000))
    expect(m.cpu.total).toBeCloseTo((2 / 204) * 100, 10)
    expect(m.cpu.cores[0]).toBeCloseTo((1 / 102) * 100, 10)
    // vda: 2 reads of 88 sectors in 2 s.
    expect(m.disk.readOpsPerSec).toBe(1)
    expect(m.disk.readBytesPerSec).toBe((88 * 512) / 2)
    expect(m.disk.writeBytesPerSec).toBe(0)
    expect(m.disk.devices).toEqual([{ device: 'vda', readBytesPerSec: 22528, writeBytesPerSec: 0, readOpsPerSec: 1, writeOpsPerSec: 0 }])
  })

  it('counts network totals without loopback, which is still listed', () => {
    const m = deriveSystemMetrics(reading('a', 0), reading('a', 1000, withTraffic(5000, 1_000_000)))
    expect(m.network.rxBytesPerSec).toBe(5000)
    expect(m.network.txBytesPerSec).toBe(0)
    const lo = m.network.interfaces.find((n) => n.name === 'lo')
    expect(lo?.rxBytesPerSec).toBe(1_000_000)
    expect(lo?.txBytesPerSec).toBe(1_000_000)
  })

  it('turns a counter that went backwards into an unknown rate, and its total with it', () => {
    const reset = (name: string, text: string) => (name === 'net_dev' ? text.replace('eth0: 933532955', 'eth0: 1000') : name === 'diskstats' ? text.replace('5151688', '10') : text)
    const m = deriveSystemMetrics(reading('a', 0), reading('a', 1000, reset))
    expect(m.network.interfaces.find((n) => n.name === 'eth0')?.rxBytesPerSec).toBeNull()
    expect(m.network.rxBytesPerSec).toBeNull()
    expect(m.network.txBytesPerSec).toBe(0)
    expect(m.disk.writeBytesPerSec).toBeNull()
    expect(m.disk.readBytesPerSec).toBe(0)
  })

  it('unwraps 32-bit counters where the kernel has them', () => {
    const before = (name: string, text: string) => (name === 'net_dev' ? text.replace('eth0: 933532955', 'eth0: 4294966296') : text)
    const after = (name: string, text: string) => (name === 'net_dev' ? text.replace('eth0: 933532955', 'eth0: 3000') : text)
    const m = deriveSystemMetrics(reading('a', 0, before), reading('a', 2000, after), { wrapAt: 2 ** 32 })
    expect(m.network.rxBytesPerSec).toBe((1000 + 3000) / 2)
    // The same readings on a 64-bit kernel: a reset, so unknown.
    expect(deriveSystemMetrics(reading('a', 0, before), reading('a', 2000, after)).network.rxBytesPerSec).toBeNull()
  })

  it('gives a device that just appeared no rate, and its total none, for one interval', () => {
    const added = (name: string, text: string) => (name === 'diskstats' ? `${text} 8 0 sda 10 0 80 1 0 0 0 0 0 1 1\n` : text)
    const m = deriveSystemMetrics(reading('a', 0), reading('a', 1000, added))
    expect(m.disk.devices.map((d) => [d.device, d.readOpsPerSec])).toEqual([
      ['vda', 0],
      ['sda', null],
    ])
    expect(m.disk.readOpsPerSec).toBeNull()
    const next = deriveSystemMetrics(reading('a', 1000, added), reading('a', 2000, added))
    expect(next.disk.readOpsPerSec).toBe(0)
  })

  it('leaves totals unknown where the platform reader has no device lists', () => {
    const r = { ...reading('a', 0), disks: undefined, interfaces: undefined }
    const m = deriveSystemMetrics(r, { ...r, monotonicMs: 1000 })
    expect(m.disk).toMatchObject({ readBytesPerSec: null, writeBytesPerSec: null, devices: [] })
    expect(m.network).toMatchObject({ rxBytesPerSec: null, txBytesPerSec: null, interfaces: [] })
  })

  it('takes disk and network rates over the counters’ own read times where the reader gives them', () => {
    // A background reader: the counters were read 600 ms and 2100 ms in, not at the readings' 1000 and 3000.
    const a = { ...reading('a', 1000, withTraffic(0, 0)), ioMonotonicMs: 600 }
    const b = { ...reading('b', 3000, withTraffic(3000, 0)), ioMonotonicMs: 2100 }
    const m = deriveSystemMetrics(a, b)
    expect(m.network.rxBytesPerSec).toBe(3000 / 1.5)
    expect(m.disk.readBytesPerSec).toBe((88 * 512) / 1.5)
    // CPU still over the readings' interval.
    expect(m.cpu.total).toBeCloseTo((2 / 204) * 100, 10)
  })

  it('gives no disk or network rates when the counters were not read again, or only one reading says when', () => {
    const a = { ...reading('a', 1000), ioMonotonicMs: 600 }
    const same = deriveSystemMetrics(a, { ...reading('b', 3000), ioMonotonicMs: 600 })
    expect(same.cpu.total).not.toBeNull()
    expect(same.disk).toMatchObject({ readBytesPerSec: null, writeOpsPerSec: null })
    expect(same.disk.devices[0]?.readBytesPerSec).toBeNull()
    expect(same.network).toMatchObject({ rxBytesPerSec: null, txBytesPerSec: null })
    expect(deriveSystemMetrics(reading('a', 1000), { ...reading('b', 3000), ioMonotonicMs: 2100 }).network.rxBytesPerSec).toBeNull()
    expect(deriveSystemMetrics(a, reading('b', 3000)).disk.readBytesPerSec).toBeNull()
  })

  it('gives null packet rates, not 0, where the reader has no packet counts; bytes still count', () => {
    const noPackets = (r: RawSystemReading): RawSystemReading => ({
      ...r,
      interfaces: r.interfaces?.map(({ rxPackets: _rx, txPackets: _tx, ...n }) => n),
    })
    const m = deriveSystemMetrics(noPackets(reading('a', 0)), noPackets(reading('a', 1000, withTraffic(5000, 0))))
    expect(m.network.rxBytesPerSec).toBe(5000)
    expect(m.network.rxPacketsPerSec).toBeNull()
    expect(m.network.txPacketsPerSec).toBeNull()
    expect(m.network.interfaces.find((n) => n.name === 'eth0')).toMatchObject({ rxBytesPerSec: 5000, rxPacketsPerSec: null, txPacketsPerSec: null })
  })

  it('leaves a disk part the platform cannot tell unknown, and its total', () => {
    const r = { ...reading('a', 0), disks: [{ device: 'all disks', readBytes: 100, writeBytes: 100 }] }
    const m = deriveSystemMetrics(r, { ...r, monotonicMs: 1000, disks: [{ device: 'all disks', readBytes: 600, writeBytes: 100 }] })
    expect(m.disk).toMatchObject({ readBytesPerSec: 500, writeBytesPerSec: 0, readOpsPerSec: null, writeOpsPerSec: null })
  })

  it('knows loopback by its Linux and macOS names, and leaves it out of the totals', () => {
    expect(['lo', 'lo0', 'lo1'].every(isLoopback)).toBe(true)
    expect(['eth0', 'en0', 'log0', 'wlo1', 'loop'].some(isLoopback)).toBe(false)
    const macLoopback = (r: RawSystemReading): RawSystemReading => ({
      ...r,
      interfaces: r.interfaces?.map((n) => (n.name === 'lo' ? { ...n, name: 'lo0' } : n)),
    })
    const m = deriveSystemMetrics(macLoopback(reading('a', 0)), macLoopback(reading('a', 1000, withTraffic(5000, 1_000_000))))
    expect(m.network.interfaces.find((n) => n.name === 'lo0')?.rxBytesPerSec).toBe(1_000_000)
    expect(m.network.rxBytesPerSec).toBe(5000)
  })
})
