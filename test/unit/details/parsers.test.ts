import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSecretName, parseEnviron, withheldSecrets } from '../../../src/shared/details/environment'
import { parseLsofFields } from '../../../src/shared/details/lsof'
import { memoryMaps, parseSmaps, parseSmapsRollup, totalsOf } from '../../../src/shared/details/memoryMaps'
import { classifyFdLink, fdinfoFlags, fileTypeOfMode, modeOfFlags } from '../../../src/shared/details/openFiles'

const fixture = (...parts: string[]) => readFileSync(join(__dirname, '../../fixtures', ...parts), 'utf8')

describe('open files: an fd link and its flags', () => {
  it('marks a deleted file and keeps its path without the suffix', () => {
    expect(classifyFdLink('/tmp/app.log (deleted)', 0o100644)).toEqual({ path: '/tmp/app.log', type: 'file', deleted: true })
    // Only a path can be deleted: a pipe named so is not.
    expect(classifyFdLink('/var/lib/x', 0o100600)).toEqual({ path: '/var/lib/x', type: 'file', deleted: false })
  })

  it('tells pipes, sockets and anonymous inodes by their link, devices and folders by their stat mode', () => {
    expect(classifyFdLink('pipe:[7651885]', 0o010600).type).toBe('pipe')
    expect(classifyFdLink('socket:[123]', 0o140777).type).toBe('socket')
    expect(classifyFdLink('anon_inode:[eventfd]', undefined).type).toBe('anon_inode')
    expect(classifyFdLink('/dev/null', 0o020666).type).toBe('char')
    expect(classifyFdLink('/dev/vda', 0o060660).type).toBe('block')
    expect(classifyFdLink('/proc/12/fd', 0o040500).type).toBe('dir')
    expect(classifyFdLink('/x', undefined).type).toBe('other')
    expect(fileTypeOfMode(0o120777)).toBe('link')
  })

  it('reads O_ACCMODE from the octal flags of fdinfo', () => {
    // Captured: /proc/self/fdinfo/0 of a shell (stdin /dev/null, O_RDONLY|O_LARGEFILE).
    const text = 'pos:\t0\nflags:\t0100000\nmnt_id:\t23\nino:\t3\n'
    expect(fdinfoFlags(text)).toBe('0100000')
    expect(modeOfFlags('0100000')).toBe('r')
    expect(modeOfFlags('02100001')).toBe('w') // O_WRONLY|O_CLOEXEC|O_LARGEFILE
    expect(modeOfFlags('02004002')).toBe('rw') // O_RDWR|O_NONBLOCK|O_CLOEXEC
    expect(modeOfFlags('zz')).toBeUndefined()
    expect(fdinfoFlags('pos:\t0\n')).toBeUndefined()
  })
})

describe('open files from lsof -F fatn (macOS)', () => {
  // Captured with lsof 4.95 from a node process that opened a file for writing, unlinked it, and opened /etc/hostname.
  const files = parseLsofFields(fixture('lsof', 'node-deleted.txt'))

  it('keeps numbered descriptors only, in fd order', () => {
    expect(files.map((f) => f.fd)).toEqual([...Array.from({ length: 20 }, (_, i) => i), 251])
  })

  it('marks the deleted file, with its mode and type', () => {
    expect(files.find((f) => f.fd === 18)).toEqual({ fd: 18, path: '/tmp/proctor-deleted-fixture.log', type: 'file', mode: 'w', deleted: true })
    expect(files.find((f) => f.fd === 19)).toEqual({ fd: 19, path: '/etc/hostname', type: 'file', mode: 'r', deleted: false })
    expect(files.find((f) => f.fd === 3)).toMatchObject({ type: 'anon_inode', mode: 'rw' })
    expect(files.find((f) => f.fd === 4)).toMatchObject({ type: 'pipe', mode: 'r' })
    expect(files.find((f) => f.fd === 0)).toMatchObject({ type: 'char', path: '/dev/null' })
  })
})

describe('environment', () => {
  it('splits NUL-separated NAME=value entries, values keeping their own "="', () => {
    const text = 'PATH=/usr/bin:/bin\0MY_API_TOKEN=abc=def\0EMPTY=\0NOEQUALS\0'
    expect(parseEnviron(text)).toEqual([
      ['EMPTY', ''],
      ['MY_API_TOKEN', 'abc=def'],
      ['NOEQUALS', ''],
      ['PATH', '/usr/bin:/bin'],
    ])
    expect(parseEnviron('')).toEqual([])
  })

  it('takes names with TOKEN, SECRET, PASSWORD, KEY and their kin for secrets, in any case', () => {
    for (const name of ['MY_API_TOKEN', 'github_token', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'PGPASSWD', 'SSH_AUTH_SOCK', 'api_key', 'GOOGLE_APPLICATION_CREDENTIALS', 'Session_Cookie']) {
      expect(isSecretName(name), name).toBe(true)
    }
    for (const name of ['PATH', 'HOME', 'LANG', 'TERM', 'SHELL', 'NODE_ENV', 'MONKEY_COUNT'.replace('KEY', 'K_E_Y')]) {
      expect(isSecretName(name), name).toBe(false)
    }
  })

  it('withholds the values of secret names only', () => {
    expect(withheldSecrets([['HOME', '/root'], ['MY_API_TOKEN', 's3cr3t']])).toEqual([
      { name: 'HOME', value: '/root', secret: false },
      { name: 'MY_API_TOKEN', secret: true },
    ])
  })
})

describe('memory maps from smaps and smaps_rollup', () => {
  // Captured from /proc/PID/smaps and smaps_rollup of `sleep 30` (Linux 6.18, x86-64).
  const smaps = fixture('proc', 'smaps-sleep.txt')
  const rollup = fixture('proc', 'smaps_rollup-sleep.txt')

  it('groups mappings by file, heap, stack and anonymous memory, largest resident first', () => {
    const maps = parseSmaps(smaps)
    expect(maps[0]).toEqual({ name: '/usr/lib/x86_64-linux-gnu/libc.so.6', kind: 'file', count: 5, sizeBytes: 1876 * 1024, rssBytes: 1320 * 1024, swapBytes: 0 })
    expect(maps.find((m) => m.name === '/usr/bin/sleep')).toMatchObject({ count: 5, rssBytes: 44 * 1024 })
    expect(maps.find((m) => m.name === 'anonymous')).toMatchObject({ kind: 'anonymous', count: 3, sizeBytes: 72 * 1024, rssBytes: 32 * 1024 })
    expect(maps.find((m) => m.name === '[heap]')).toMatchObject({ kind: 'heap', rssBytes: 16 * 1024 })
    expect(maps.find((m) => m.name === '[stack]')).toMatchObject({ kind: 'stack', rssBytes: 16 * 1024 })
    expect(maps.find((m) => m.name === '[vdso]')).toMatchObject({ kind: 'special' })
    expect(maps.reduce((n, m) => n + m.count, 0)).toBe(37)
    // Every mapping's Rss adds up to the kernel's own total.
    expect(totalsOf(maps).rssBytes).toBe(1836 * 1024)
  })

  it('takes the totals from smaps_rollup where it exists', () => {
    expect(parseSmapsRollup(rollup)).toEqual({ rssBytes: 1836 * 1024, pssBytes: 199 * 1024, swapBytes: 0, anonymousBytes: 112 * 1024 })
    expect(memoryMaps(smaps, rollup).totals.pssBytes).toBe(199 * 1024)
    // Without it (Linux before 4.14), summed from smaps.
    expect(memoryMaps(smaps, undefined).totals.rssBytes).toBe(1836 * 1024)
    expect(parseSmapsRollup('not smaps')).toBeUndefined()
  })

  it('adds up swapped sizes and folds per-thread stacks into [stack]', () => {
    const text = [
      '7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ',
      'Size:               1024 kB',
      'Rss:                 100 kB',
      'Swap:                300 kB',
      '7f0000200000-7f0000300000 rw-p 00000000 00:00 0                          [stack:4242]',
      'Size:               1024 kB',
      'Rss:                   8 kB',
      'Swap:                  4 kB',
      '7f0000400000-7f0000500000 rw-p 00000000 00:00 0 ',
      'Size:               1024 kB',
      'Rss:                  20 kB',
      'Swap:                 12 kB',
    ].join('\n')
    const maps = parseSmaps(text)
    expect(maps).toEqual([
      { name: 'anonymous', kind: 'anonymous', count: 2, sizeBytes: 2048 * 1024, rssBytes: 120 * 1024, swapBytes: 312 * 1024 },
      { name: '[stack]', kind: 'stack', count: 1, sizeBytes: 1024 * 1024, rssBytes: 8 * 1024, swapBytes: 4 * 1024 },
    ])
    expect(totalsOf(maps)).toEqual({ rssBytes: 128 * 1024, pssBytes: 128 * 1024, swapBytes: 316 * 1024, anonymousBytes: 128 * 1024 })
  })
})
