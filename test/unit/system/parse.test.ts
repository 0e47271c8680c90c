import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  isWholeDiskName,
  memoryFromMeminfo,
  mountKind,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStatCpus,
  parseUptime,
  realMounts,
  scanMeminfo,
  statStateLetter,
} from '../../../src/main/core/system/linux/parse'

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/system/linux', name), 'latin1')

describe('/proc/stat', () => {
  it('reads the total and every core, all eight time columns', () => {
    const { total, cores } = parseProcStatCpus(fixture('a/stat'))
    expect(total).toEqual({ user: 131812, nice: 2475, system: 48659, idle: 549573, iowait: 1357, irq: 0, softirq: 311, steal: 155 })
    expect(cores).toHaveLength(2)
    expect(cores[1]).toEqual({ user: 69003, nice: 1234, system: 25257, idle: 270239, iowait: 1180, irq: 0, softirq: 229, steal: 80 })
  })

  it('takes lines with fewer columns (old kernels) as zeros, and keeps offline CPUs out', () => {
    const { total, cores } = parseProcStatCpus('cpu  10 0 5 100 1 0 0\ncpu0 10 0 5 100 1 0 0\ncpu2 1 2 3 4 5 6 7 8 9 10\nintr 1 2\n')
    expect(total?.steal).toBe(0)
    expect(cores.map((c) => c.user)).toEqual([10, 1])
  })
})

describe('/proc/meminfo', () => {
  it('reads bytes by field and derives memory as free(1) does', () => {
    const fields = parseMeminfo(fixture('a/meminfo'))
    expect(fields.get('MemTotal')).toBe(24684084 * 1024)
    const { memory, swap } = memoryFromMeminfo(fields)
    expect(memory.total).toBe(24684084 * 1024)
    expect(memory.available).toBe(24256212 * 1024)
    expect(memory.used).toBe((24684084 - 24256212) * 1024)
    expect(memory.cached).toBe((135600 + 126312) * 1024)
    expect(memory.buffers).toBe(1428 * 1024)
    expect(memory.percent).toBeCloseTo(((24684084 - 24256212) / 24684084) * 100, 10)
    expect(swap).toEqual({ total: 0, used: 0, percent: 0 })
  })

  it('counts swap in use, and estimates available memory on kernels without MemAvailable', () => {
    const text = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\nSReclaimable: 50 kB\nSwapTotal: 400 kB\nSwapFree: 300 kB\nHugePages_Total: 0\n'
    const { memory, swap } = memoryFromMeminfo(parseMeminfo(text))
    expect(memory.available).toBe(400 * 1024)
    expect(memory.used).toBe(600 * 1024)
    expect(swap).toEqual({ total: 400 * 1024, used: 100 * 1024, percent: 25 })
    expect(parseMeminfo(text).get('HugePages_Total')).toBe(0)
  })
})

describe('/proc/meminfo scanned from bytes, as the reader does every sample', () => {
  it('gives what the field map gives', () => {
    const old = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\nSReclaimable: 50 kB\nSwapTotal: 400 kB\nSwapFree: 300 kB\nHugePages_Total: 0\n'
    for (const text of [fixture('a/meminfo'), fixture('b/meminfo'), old, '']) {
      const bytes = Buffer.from(text, 'latin1')
      expect(scanMeminfo(bytes, bytes.length)).toEqual(memoryFromMeminfo(parseMeminfo(text)))
    }
  })
})

describe('loadavg and uptime', () => {
  it('reads the three load averages and the seconds since boot', () => {
    expect(parseLoadavg('0.08 0.60 0.97 1/85 16469\n')).toEqual([0.08, 0.6, 0.97])
    expect(parseUptime(fixture('a/uptime'))).toBeGreaterThan(0)
    expect(parseUptime('3488.49 5087.69\n')).toBe(3488.49)
  })
})

describe('/proc/net/dev', () => {
  it('reads every interface, loopback included', () => {
    const list = parseNetDev(fixture('a/net_dev'))
    expect(list.map((n) => n.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0'])
    expect(list[3]).toEqual({ name: 'eth0', rxBytes: 933532955, rxPackets: 27566, rxErrors: 0, txBytes: 2566191, txPackets: 18575, txErrors: 0 })
  })

  it('reads the old format with no space after the colon', () => {
    const text = 'Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n  eth0:4294967295 12 3 0 0 0 0 0 77 8 1 0 0 0 0 0\n'
    expect(parseNetDev(text)).toEqual([{ name: 'eth0', rxBytes: 4294967295, rxPackets: 12, rxErrors: 3, txBytes: 77, txPackets: 8, txErrors: 1 }])
  })
})

describe('/proc/diskstats', () => {
  it('reads whole disks in bytes (512-byte sectors) and operations', () => {
    const list = parseDiskstats(fixture('a/diskstats'), isWholeDiskName)
    expect(list).toEqual([{ device: 'vda', readOps: 99955, readBytes: 5454938 * 512, writeOps: 53368, writeBytes: 5151688 * 512 }])
  })

  it('keeps whole disks only: no partitions, loop, ram, zram or stacked devices', () => {
    const names = parseDiskstats(fixture('desktop-diskstats'), isWholeDiskName).map((d) => d.device)
    expect(names).toEqual(['nvme0n1', 'sda', 'mmcblk0'])
  })
})

describe('/proc/self/mounts', () => {
  it('unescapes paths and keeps real filesystems, each device once', () => {
    const mounts = realMounts(parseMounts(fixture('desktop-mounts')))
    expect(mounts.map((m) => [m.mount, m.kind])).toEqual([
      ['/', 'local'],
      ['/boot/efi', 'local'],
      ['/media/me/My Disk', 'local'],
      ['/mnt/media', 'remote'],
      ['/home/me/remote', 'remote'],
      ['/media/me/USB', 'local'],
      ['/var/lib/docker/overlay2/4f1c/merged', 'local'],
    ])
  })

  it('sorts types into pseudo, local and remote', () => {
    expect(['proc', 'tmpfs', 'squashfs', 'cgroup2', 'fuse.gvfsd-fuse'].map(mountKind)).toEqual(Array(5).fill('pseudo'))
    expect(['ext4', 'btrfs', 'xfs', 'vfat', 'fuseblk', 'zfs'].map(mountKind)).toEqual(Array(6).fill('local'))
    expect(['nfs', 'nfs4', 'cifs', 'fuse.sshfs', 'fuse'].map(mountKind)).toEqual(Array(5).fill('remote'))
  })

  it('reads this machine\'s captured mounts down to the root disk', () => {
    expect(realMounts(parseMounts(fixture('a/mounts'))).map((m) => m.mount)).toEqual(['/'])
  })
})

describe('/proc/PID/stat state', () => {
  it('is the letter after the last parenthesis, whatever the command name holds', () => {
    expect(statStateLetter(readFileSync(resolve(__dirname, '../../fixtures/proc/stat-weird-comm.txt'), 'latin1'))).toBe('S')
    expect(statStateLetter('12 (a) Z) Z 1 1')).toBe('Z')
    expect(statStateLetter('garbage')).toBeUndefined()
  })
})
