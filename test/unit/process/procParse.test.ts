import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  displayName,
  isKernelThreadFlags,
  parseBootTime,
  parseCmdline,
  parseIo,
  parseMeminfoField,
  parsePasswd,
  parseStat,
  parseState,
  scanStatmResident,
  scanStatusTgid,
} from '../../../src/main/core/processes/linux/procParse'

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/proc', name), 'latin1')

describe('parseStat on captured /proc/PID/stat files', () => {
  it('reads init', () => {
    const st = parseStat(fixture('stat-init.txt'))
    expect(st).toMatchObject({ pid: 1, comm: 'process_api', state: 'sleeping', ppid: 0, nice: -10, priority: 10, threads: 14 })
    expect(st?.startTicks).toBe(25)
    expect(st?.rssPages).toBeGreaterThan(0)
    expect(isKernelThreadFlags(st?.flags ?? 0)).toBe(false)
  })

  it('counts fields from the last parenthesis when the name holds spaces and parentheses', () => {
    const st = parseStat(fixture('stat-weird-comm.txt'))
    expect(st).toMatchObject({ pid: 6847, comm: 'a) (b c', state: 'sleeping', ppid: 6784, nice: 0, threads: 1 })
    expect(st?.utimeTicks).toBe(3)
    expect(st?.stimeTicks).toBe(2)
    expect(st?.startTicks).toBe(77457)
    expect(st?.vsizeBytes).toBe(17145856)
    expect(st?.rssPages).toBe(3438)
  })

  it('reads a zombie', () => {
    expect(parseStat(fixture('stat-zombie.txt'))).toMatchObject({ state: 'zombie', comm: 'python3', rssPages: 0 })
  })

  it('flags kernel threads', () => {
    const st = parseStat(fixture('stat-kthreadd.txt'))
    expect(st?.pid).toBe(2)
    expect(isKernelThreadFlags(st?.flags ?? 0)).toBe(true)
    expect(isKernelThreadFlags(parseStat(fixture('stat-kworker.txt'))?.flags ?? 0)).toBe(true)
  })

  it('refuses truncated text instead of inventing fields', () => {
    expect(parseStat('12 (x) S 1 2')).toBeUndefined()
    expect(parseStat('garbage')).toBeUndefined()
  })
})

describe('other /proc files', () => {
  it('maps every state letter', () => {
    expect(['R', 'S', 'D', 'Z', 'T', 't', 'I', 'X', '?'].map(parseState)).toEqual([
      'running',
      'sleeping',
      'disk-wait',
      'zombie',
      'stopped',
      'tracing',
      'idle',
      'dead',
      'unknown',
    ])
  })

  it('joins cmdline arguments with spaces and drops the trailing NUL', () => {
    expect(parseCmdline(fixture('cmdline-python.bin'))).toBe('/root/.pyenv/versions/3.11.7/bin/python3 /tmp/weird.py')
    expect(parseCmdline('')).toBe('')
    expect(parseCmdline('a\0b c\0\0')).toBe('a b c')
  })

  it('reads btime and meminfo fields', () => {
    expect(parseBootTime(fixture('proc-stat.txt'))).toBeGreaterThan(1_600_000_000)
    const meminfo = fixture('meminfo.txt')
    const total = parseMeminfoField(meminfo, 'MemTotal') ?? 0
    expect(total % 1024).toBe(0)
    expect(total).toBeGreaterThan(1024 ** 3)
    expect(parseMeminfoField(meminfo, 'NoSuchField')).toBeUndefined()
    expect(parseMeminfoField(fixture('status-self.txt'), 'VmRSS')).toBeGreaterThan(0)
  })

  it('reads storage bytes from /proc/PID/io, not the cancelled ones', () => {
    expect(parseIo(fixture('io-self.txt'))).toEqual({ readBytes: 0, writeBytes: 16384 })
    expect(parseIo('read_bytes: 5\n')).toBeUndefined()
    expect(parseIo('')).toBeUndefined()
  })

  it('reads resident pages from /proc/PID/statm', () => {
    const statm = Buffer.from(fixture('statm-sleep.txt'), 'latin1')
    expect(scanStatmResident(statm, statm.length)).toBe(526)
    // A process without memory (a zombie or a kernel thread) reads all zeros.
    expect(scanStatmResident(Buffer.from('0 0 0 0 0 0 0\n'), 14)).toBe(0)
    expect(scanStatmResident(Buffer.from('1189'), 4)).toBe(-1)
  })

  it('reads the thread group of a pid from /proc/PID/status: a thread has another', () => {
    const self = Buffer.from(fixture('status-self.txt'), 'latin1')
    const pid = Number(/^Pid:\s+(\d+)/m.exec(fixture('status-self.txt'))?.[1])
    expect(scanStatusTgid(self, self.length)).toBe(pid)
    const thread = Buffer.from('Name:\tnode\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\nNgid:\t0\nPid:\t4250\n', 'latin1')
    expect(scanStatusTgid(thread, thread.length)).toBe(4242)
    expect(scanStatusTgid(Buffer.from('Name:\tx\n'), 8)).toBe(-1)
  })

  it('maps uids to names, first entry wins', () => {
    const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nalice:x:1000:1000::/home/a:/bin/sh\ndup:x:0:0::/:/bin/sh\n')
    expect(users.get(0)).toBe('root')
    expect(users.get(1000)).toBe('alice')
    expect(users.size).toBe(2)
  })

  it('restores names the kernel cut at 15 characters', () => {
    expect(displayName('very-long-progr', '/usr/bin/very-long-program-name --flag')).toBe('very-long-program-name')
    expect(displayName('short', '/usr/bin/other')).toBe('short')
    expect(displayName('very-long-progr', '/usr/bin/unrelated-name')).toBe('very-long-progr')
  })
})

describe('parseLastPid', () => {
  it('reads the last allocated pid from /proc/loadavg', async () => {
    const { parseLastPid } = await import('../../../src/main/core/processes/linux/procParse')
    expect(parseLastPid('0.52 0.58 0.59 2/389 30219\n')).toBe(30219)
    expect(parseLastPid('garbage')).toBeUndefined()
  })
})
