import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatIpv6, parseHexEndpoint, parseProcNetInet, parseProcNetUnix, socketInodeOfLink } from '../../../src/shared/ports/procNet'

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/proc/net', name), 'latin1')

describe('/proc/net/{tcp,tcp6,udp,udp6}', () => {
  it('reads a listener, both ends of a connection and a TIME_WAIT from captured tcp', () => {
    const rows = parseProcNetInet(fixture('tcp'), 'tcp', 4)
    expect(rows).toEqual([
      { protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 42593, remoteAddress: '', remotePort: 0, state: 'LISTEN', inode: 7917769, uid: 0 },
      { protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 42593, remoteAddress: '127.0.0.1', remotePort: 33176, state: 'ESTABLISHED', inode: 7920227, uid: 0 },
      { protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 33176, remoteAddress: '127.0.0.1', remotePort: 42593, state: 'ESTABLISHED', inode: 7920226, uid: 0 },
      // Kept by the kernel after the close: no inode, no process.
      { protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 43831, remoteAddress: '127.0.0.1', remotePort: 47424, state: 'TIME_WAIT', inode: 0, uid: 0 },
    ])
  })

  it('reads IPv6 addresses word by word in host order: ::1', () => {
    expect(parseProcNetInet(fixture('tcp6'), 'tcp', 6)).toEqual([
      { protocol: 'tcp', family: 6, localAddress: '::1', localPort: 41561, remoteAddress: '', remotePort: 0, state: 'LISTEN', inode: 7917776, uid: 0 },
    ])
    expect(parseProcNetInet(fixture('udp6'), 'udp', 6)).toEqual([
      { protocol: 'udp', family: 6, localAddress: '::1', localPort: 60022, remoteAddress: '', remotePort: 0, state: 'UNCONN', inode: 7917780, uid: 0 },
    ])
  })

  it('calls a bound UDP socket UNCONN, as ss does, and a connected one ESTABLISHED', () => {
    const rows = parseProcNetInet(fixture('udp'), 'udp', 4)
    expect(rows.map((r) => [r.localPort, r.state])).toEqual([
      [60022, 'UNCONN'],
      [49508, 'UNCONN'],
    ])
    const connected = '  sl  local_address rem_address   st\n 1: 0100007F:EA76 08080808:0035 01 00000000:00000000 00:00000000 00000000  1000        0 555 2 0 0\n'
    expect(parseProcNetInet(connected, 'udp', 4)[0]).toMatchObject({ remoteAddress: '8.8.8.8', remotePort: 53, state: 'ESTABLISHED', uid: 1000 })
  })

  it('skips lines it cannot read rather than failing the table', () => {
    const text = `${fixture('tcp')}garbage line\n   9: ZZZZ:0050 00000000:0000 0A 0 0 0 0 0 12\n`
    expect(parseProcNetInet(text, 'tcp', 4)).toHaveLength(4)
    expect(parseProcNetInet('', 'tcp', 4)).toEqual([])
  })

  it('formats IPv6 as RFC 5952 says, IPv4-mapped addresses with a dotted tail', () => {
    const bytes = (hex: string) => hex.match(/../g)!.map((b) => parseInt(b, 16))
    expect(formatIpv6(bytes('00000000000000000000000000000000'))).toBe('::')
    expect(formatIpv6(bytes('20010db8000000000001000000000001'))).toBe('2001:db8::1:0:0:1')
    expect(formatIpv6(bytes('20010db8000100000000000000000001'))).toBe('2001:db8:1::1')
    expect(formatIpv6(bytes('20010db8000000010001000100010001'))).toBe('2001:db8:0:1:1:1:1:1')
    expect(formatIpv6(bytes('00000000000000000000ffff7f000001'))).toBe('::ffff:127.0.0.1')
    expect(formatIpv6(bytes('fe800000000000000000000000000001'))).toBe('fe80::1')
    // /proc/net/tcp6 prints each 32-bit word in host order (little-endian here).
    expect(parseHexEndpoint('0000000000000000FFFF00000100007F:1F90')).toEqual(['::ffff:127.0.0.1', 8080])
    expect(parseHexEndpoint('B80D0120000000000000000001000000:0050')).toEqual(['2001:db8::1', 80])
    expect(parseHexEndpoint('0100007F:0BB8')).toEqual(['127.0.0.1', 3000])
    expect(parseHexEndpoint('7F:0BB8')).toBeUndefined()
  })
})

describe('/proc/net/unix', () => {
  it('reads type, state (LISTEN from the accept flag), inode and path, spaces and abstract names included', () => {
    const rows = parseProcNetUnix(fixture('unix'))
    expect(rows).toHaveLength(19)
    expect(rows[0]).toEqual({ inode: 7907266, type: 'stream', state: 'CONNECTED', path: '' })
    expect(rows[1]).toEqual({ inode: 7907313, type: 'stream', state: 'CONNECTED', path: '/tmp/pr-fvDRVS/rt/control.sock' })
    expect(rows.find((r) => r.inode === 7903719)).toEqual({ inode: 7903719, type: 'stream', state: 'LISTEN', path: '/tmp/proctor-test-paIKna/run/control.sock' })
    expect(rows.find((r) => r.inode === 7930001)).toEqual({ inode: 7930001, type: 'dgram', state: 'UNCONNECTED', path: '@/org/example/abstract' })
    expect(rows.find((r) => r.inode === 7930002)).toEqual({ inode: 7930002, type: 'seqpacket', state: 'LISTEN', path: '/run/user/1000/a path with spaces.sock' })
  })
})

describe('descriptor links', () => {
  it('names the inode of a socket link, and nothing for other files', () => {
    expect(socketInodeOfLink('socket:[7917769]')).toBe(7917769)
    expect(socketInodeOfLink('pipe:[123]')).toBeUndefined()
    expect(socketInodeOfLink('/dev/null')).toBeUndefined()
    expect(socketInodeOfLink('socket:[]')).toBeUndefined()
  })
})
