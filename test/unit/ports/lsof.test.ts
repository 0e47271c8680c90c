import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseLsofFields } from '../../../src/shared/ports/lsof'

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/lsof', name), 'utf8')

describe('lsof -F output', () => {
  it('reads a capture without f fields (lsof 4.95): listeners, UDP, and both ends of a connection', () => {
    const rows = parseLsofFields(fixture('linux-lsof-4.95-server-client.txt'))
    expect(rows).toEqual([
      { pid: 17328, command: 'node', protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 42593, remoteAddress: '', remotePort: 0, state: 'LISTEN' },
      { pid: 17328, command: 'node', protocol: 'tcp', family: 6, localAddress: '::1', localPort: 41561, remoteAddress: '', remotePort: 0, state: 'LISTEN' },
      { pid: 17328, command: 'node', protocol: 'udp', family: 4, localAddress: '127.0.0.1', localPort: 49508, remoteAddress: '', remotePort: 0, state: 'UNCONN' },
      { pid: 17328, command: 'node', protocol: 'udp', family: 6, localAddress: '::1', localPort: 60022, remoteAddress: '', remotePort: 0, state: 'UNCONN' },
      { pid: 17328, command: 'node', protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 42593, remoteAddress: '127.0.0.1', remotePort: 33176, state: 'ESTABLISHED' },
      { pid: 17432, command: 'node', protocol: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: 33176, remoteAddress: '127.0.0.1', remotePort: 42593, state: 'ESTABLISHED' },
    ])
  })

  it('reads macOS-style output with f fields: any-address, scoped IPv6, BSD state names, connected UDP', () => {
    const rows = parseLsofFields(fixture('macos-composed.txt'))
    expect(rows).toHaveLength(12)
    expect(rows[0]).toEqual({ pid: 412, command: 'ControlCe', protocol: 'tcp', family: 4, localAddress: '*', localPort: 7000, remoteAddress: '', remotePort: 0, state: 'LISTEN' })
    expect(rows[1]).toMatchObject({ family: 6, localAddress: '*', localPort: 7000 })
    expect(rows[4]).toMatchObject({ pid: 587, protocol: 'udp', family: 6, localAddress: 'fe80:6::aede:48ff:fe00:1122', localPort: 5353, state: 'UNCONN' })
    expect(rows.find((r) => r.localPort === 52150)).toMatchObject({ remoteAddress: '140.82.112.3', remotePort: 443, state: 'CLOSE_WAIT' })
    expect(rows.find((r) => r.localPort === 52161)?.state).toBe('FIN_WAIT2')
    expect(rows.find((r) => r.localPort === 52160)?.state).toBe('SYN_SENT')
    expect(rows.find((r) => r.command === 'Google Chrome He' && r.localPort === 52144)).toMatchObject({ remoteAddress: '::1', remotePort: 3000, state: 'ESTABLISHED' })
    expect(rows[rows.length - 1]).toMatchObject({ protocol: 'udp', localPort: 61000, remoteAddress: '8.8.8.8', remotePort: 53, state: 'ESTABLISHED' })
  })

  it('skips what it cannot read: other protocols, bad ports, fields before a process', () => {
    const text = ['n*:1', 'p1', 'cx', 'tIPv4', 'PTCP', 'n*:99999', 'TST=LISTEN', 'tIPv4', 'PSCTP', 'n*:80', 'tIPv4', 'PTCP', 'n*:80', 'TST=LISTEN', 'pnot-a-pid', 'tIPv4', 'PTCP', 'n*:81'].join('\r\n')
    expect(parseLsofFields(text)).toEqual([{ pid: 1, command: 'x', protocol: 'tcp', family: 4, localAddress: '*', localPort: 80, remoteAddress: '', remotePort: 0, state: 'LISTEN' }])
    expect(parseLsofFields('')).toEqual([])
  })
})
