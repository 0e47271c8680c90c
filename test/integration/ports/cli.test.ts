import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortEntry } from '../../../src/shared/ports/sockets'
import { bundledCli } from '../../helpers/bundledCli'
import { startServer, stopHolders, type Holder, type ServerPorts } from '../../helpers/portHolder'
import { tempDir } from '../../helpers/tempDir'

const CLI = bundledCli()
const linux = process.platform === 'linux'

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PROCTOR_DATA_DIR: tempDir() }, timeout: 30_000 })
}

describe.runIf(linux)('proctor ports', () => {
  let server: Holder<ServerPorts>
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(stopHolders)

  it('--port N --json lists the server’s socket on N with its pid, and nothing else', () => {
    const res = cli(['ports', '--port', String(server.info.tcp6), '--json'])
    expect(res.status, res.stderr).toBe(0)
    const rows = JSON.parse(res.stdout) as PortEntry[]
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ protocol: 'tcp', family: 6, localAddress: '::1', localPort: server.info.tcp6, state: 'LISTEN', ownerStatus: 'process' })
    expect(rows[0]?.owner?.pid).toBe(server.pid)
  })

  it('--listen --protocol udp lists bound UDP sockets, the server’s two among them; the table names them for people', () => {
    const res = cli(['ports', '--listen', '--protocol', 'udp', '--json'])
    expect(res.status, res.stderr).toBe(0)
    const rows = JSON.parse(res.stdout) as PortEntry[]
    expect(rows.every((r) => r.protocol === 'udp' && r.state === 'UNCONN')).toBe(true)
    expect(rows.filter((r) => r.owner?.pid === server.pid).map((r) => r.localPort).sort()).toEqual([server.info.udp4, server.info.udp6].sort())
    const text = cli(['ports', '--port', String(server.info.udp4)])
    expect(text.status, text.stderr).toBe(0)
    const lines = text.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^PROTO\s+LOCAL\s+REMOTE\s+STATE\s+PID\s+USER\s+PROCESS$/)
    expect(lines[1]).toMatch(new RegExp(`^udp\\s+127\\.0\\.0\\.1:${server.info.udp4}\\s+\\*\\s+UNCONN\\s+${server.pid}\\s+\\S+\\s+node$`))
  })

  it('ps --query "port = N" finds the server through the same query language', () => {
    const res = cli(['ps', '--json', '--query', `port = ${server.info.tcp4}`])
    expect(res.status, res.stderr).toBe(0)
    expect((JSON.parse(res.stdout) as { pid: number }[]).map((p) => p.pid)).toEqual([server.pid])
  })

  it('refuses bad input with a usage error naming it', () => {
    const port = cli(['ports', '--port', 'http'])
    expect(port.status).toBe(2)
    expect(port.stderr).toContain('--port')
    const protocol = cli(['ports', '--protocol', 'sctp'])
    expect(protocol.status).toBe(2)
    expect(protocol.stderr).toContain('--protocol takes tcp or udp, not "sctp"')
    const query = cli(['ps', '--query', 'port = 99999'])
    expect(query.status).toBe(2)
    expect(query.stderr).toContain("'port' needs a port number from 0 to 65535, got '99999'")
  })
})
