import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../../src/main/core/engine'
import type { ProctorApi } from '../../../src/shared/contract'
import type { PortEntry } from '../../../src/shared/ports/sockets'
import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import { startClient, startServer, stopHolders, type Holder, type ServerPorts } from '../../helpers/portHolder'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

const linux = process.platform === 'linux'

const mine = (entries: PortEntry[], pid: number) => entries.filter((e) => e.owner?.pid === pid)

describe.runIf(linux)('the port table on real sockets', () => {
  let engine: Engine
  let api: ProctorApi
  let server: Holder<ServerPorts>
  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    api = createApi(inProcessTransport(engine.router))
    server = await startServer()
  })
  afterAll(() => {
    stopHolders()
    engine.close()
  })

  it('lists a server’s TCP listeners (v4 and v6) and UDP sockets with its pid, name and user', async () => {
    const { tcp4, tcp6, udp4, udp6 } = server.info
    const table = await api.listPorts({ pid: server.pid })
    const rows = mine(table.entries, server.pid)
    const find = (protocol: string, family: number, port: number) =>
      rows.find((e) => e.protocol === protocol && e.family === family && e.localPort === port)
    expect(find('tcp', 4, tcp4)).toMatchObject({ localAddress: '127.0.0.1', state: 'LISTEN', remoteAddress: '', remotePort: 0, ownerStatus: 'process' })
    expect(find('tcp', 6, tcp6)).toMatchObject({ localAddress: '::1', state: 'LISTEN' })
    expect(find('udp', 4, udp4)).toMatchObject({ localAddress: '127.0.0.1', state: 'UNCONN' })
    expect(find('udp', 6, udp6)).toMatchObject({ localAddress: '::1', state: 'UNCONN' })
    const owner = find('tcp', 4, tcp4)?.owner
    const p = (await api.getProcessList()).processes.find((x) => x.pid === server.pid)
    expect(owner).toEqual({ pid: server.pid, startTime: p?.startTime, name: p?.name, user: p?.user })
    expect(rows).toHaveLength(4)
  })

  it('findProcesses answers port = N and listen = N with the server, and listen alone with listeners only', async () => {
    const byPort = await api.findProcesses({ query: `port = ${server.info.tcp4}` })
    expect(byPort.map((p) => p.pid)).toEqual([server.pid])
    expect((await api.findProcesses({ query: `port = ${server.info.udp6}` })).map((p) => p.pid)).toEqual([server.pid])
    expect((await api.findProcesses({ query: `listen = ${server.info.tcp6} and user = me` })).map((p) => p.pid)).toEqual([server.pid])
    const listeners = await api.findProcesses({ query: `listen and pid = ${server.pid}` })
    expect(listeners.map((p) => p.pid)).toEqual([server.pid])
    expect(await api.findProcesses({ query: `listen and pid = ${process.pid}` })).toEqual([])
  })

  it('shows both ends of an established connection, each with its own process', async () => {
    const client = await startClient(server.info.tcp4)
    const table = await waitFor(async () => {
      const t = await api.listPorts({ port: server.info.tcp4 })
      return t.entries.some((e) => e.owner?.pid === server.pid && e.state === 'ESTABLISHED') ? t : undefined
    }, 10_000, 'the accepted connection')
    const clientEnd = table.entries.find((e) => e.owner?.pid === client.pid)
    expect(clientEnd).toMatchObject({ protocol: 'tcp', state: 'ESTABLISHED', localPort: client.info.local, remoteAddress: '127.0.0.1', remotePort: server.info.tcp4 })
    const serverEnd = table.entries.find((e) => e.owner?.pid === server.pid && e.state === 'ESTABLISHED')
    expect(serverEnd).toMatchObject({ localPort: server.info.tcp4, remotePort: client.info.local, remoteAddress: '127.0.0.1' })
    // The client is connected from its own port, not listening: `port` finds it, `listen` does not.
    expect((await api.findProcesses({ query: `port = ${client.info.local}` })).map((p) => p.pid)).toEqual([client.pid])
    expect(await api.findProcesses({ query: `listen = ${client.info.local}` })).toEqual([])
    client.child.kill('SIGKILL')
  })

  it('lists a process’s Unix sockets in its sockets', async () => {
    const p = (await api.getProcessList()).processes.find((x) => x.pid === server.pid)!
    const sockets = await api.getProcessSockets({ pid: server.pid, startTime: p.startTime })
    expect(sockets.visible).toBe(true)
    expect(sockets.inet.filter((e) => e.state === 'LISTEN').map((e) => e.localPort).sort()).toEqual([server.info.tcp4, server.info.tcp6].sort())
    // Node's event loop holds at least one Unix socket pair (its stdio pipes are pipes, its signal wakeups a socketpair on Linux).
    expect(sockets.unix.length).toBeGreaterThan(0)
    await expect(api.getProcessSockets({ pid: server.pid, startTime: p.startTime + 1 })).rejects.toMatchObject({ code: 'STALE_PROCESS' })
  })

  it('drops the sockets at the next refresh once the server closes them, while the process lives on', async () => {
    const { tcp4, tcp6, udp4, udp6 } = server.info
    const before = (await api.listPorts({ pid: server.pid })).entries
    expect(before.map((e) => e.localPort)).toEqual(expect.arrayContaining([tcp4, tcp6, udp4, udp6]))
    server.child.stdin!.write('close\n')
    expect(await server.nextLine()).toBe('closed')
    // It held no other TCP or UDP socket: after closing, none.
    await waitFor(async () => (await api.listPorts({ pid: server.pid })).entries.length === 0, 10_000, 'the sockets to go')
    expect(await api.findProcesses({ query: `listen = ${tcp4}` })).toEqual([])
    expect((await api.getProcessList()).processes.some((p) => p.pid === server.pid)).toBe(true)
  })

  it('refuses bad filters, naming the field', async () => {
    await expect(api.listPorts({ port: 70000 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('port') })
    await expect(api.listPorts({ protocol: 'sctp' as 'tcp' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('protocol') })
    await expect(api.listPorts({ prot: 80 } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('prot') })
    await expect(api.findProcesses({ query: 'port = http' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("'port' needs a port number") })
  })
})
