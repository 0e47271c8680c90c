import { describe, expect, it } from 'vitest'
import type { IPCOverview } from '../../../src/shared/broker/status'
import { formatIPCOverview, formatRegistration } from '../../../src/main/cli/ipcFormat'

const now = 1_800_000_000_000
const caps = { maxConnections: 100, maxFrameBytes: 1024 * 1024, maxQueuedBytes: 8 * 1024 * 1024, messageTimeout: 5000, handshakeTimeoutMs: 2000 }
const base: IPCOverview = { enabled: true, listening: true, socket: '/run/user/1000/proctor/x/broker.sock', caps, connections: [], handshaking: 0, registrations: [], totals: { messages: 0, bytes: 0, rejected: 0 } }

describe('proctor ipc status, as text', () => {
  it('says IPC is off and the command that turns it on', () => {
    expect(formatIPCOverview({ ...base, enabled: false, listening: false })).toBe(
      'IPC is off: programs get no IPC token and nothing listens; `proctor ipc on` turns it on',
    )
  })

  it('says why an enabled broker does not listen', () => {
    const text = formatIPCOverview({ ...base, listening: false, problem: 'the socket path is 120 bytes' })
    expect(text.split('\n')[0]).toBe('IPC is on but the broker does not listen: the socket path is 120 bytes')
  })

  it('lists connections in aligned columns, numbers to the right, and the registered identities not connected', () => {
    const text = formatIPCOverview(
      {
        ...base,
        connections: [
          { id: 'p:web', kind: 'program', name: 'web', program: 'web', pid: 4242, connectedSince: now - 65_000, lastSeen: now - 1000, ready: true, messagesIn: 12, messagesOut: 3, bytesIn: 2048, bytesOut: 100, queuedBytes: 0 },
          { id: 'r:1', kind: 'registered', name: 'tool', pid: 77, connectedSince: now - 5000, lastSeen: now, ready: false, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, queuedBytes: 0 },
        ],
        registrations: [{ id: 'r:2', kind: 'registered', name: 'late', pid: 99, startTime: 1, issuedAt: now, connected: false }],
        totals: { messages: 15, bytes: 2148, rejected: 2 },
      },
      now,
    )
    const lines = text.split('\n')
    expect(lines[0]).toBe('listening on /run/user/1000/proctor/x/broker.sock')
    expect(lines[1]).toMatch(/^caps: 100 connections, frames up to 1(\.0)? MiB, 8(\.0)? MiB queued per connection/)
    expect(lines[2]).toMatch(/^totals: 15 messages, .*, 2 connections refused$/)
    expect(lines[3]).toMatch(/^ID\s+NAME\s+PID\s+CONNECTED/)
    expect(lines[4]).toMatch(/^p:web\s+web \(program\)\s+4242\s+1m/)
    // PID right-aligned: both rows end the column at the same place.
    expect(lines[4]!.indexOf('4242') + 4).toBe(lines[5]!.indexOf('77') + 2)
    expect(lines.at(-1)).toBe('registered, not connected: r:2 (late, pid 99)')
  })

  it('prints a registration as variables to give the process, quoted for the shell where needed', () => {
    const text = formatRegistration({ id: 'r:3', kind: 'registered', name: 'tool', pid: 5, issuedAt: now, connected: false, token: 'abc123', socket: "/home/o'neil/run/broker.sock" })
    expect(text.split('\n')).toEqual([
      'registered r:3 (tool, pid 5): give the process these variables (the token is a secret):',
      `PROCTOR_IPC_SOCKET='/home/o'\\''neil/run/broker.sock'`,
      'PROCTOR_IPC_TOKEN=abc123',
    ])
  })
})
