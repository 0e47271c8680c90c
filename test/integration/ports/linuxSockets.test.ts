import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LinuxSocketReader } from '../../../src/main/core/ports/linuxSockets'
import { LsofSocketReader } from '../../../src/main/core/ports/lsofSockets'
import { spawnSync } from 'node:child_process'
import type { ProcessRef } from '../../../src/main/core/ports/socketReader'
import type { PortTable } from '../../../src/shared/ports/sockets'
import { runFixtureAs, whyUserCannotRunFixtures } from '../../helpers/asUser'
import { startServer, stopHolders, type Holder, type ServerPorts } from '../../helpers/portHolder'

const linux = process.platform === 'linux'
const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length

describe.runIf(linux)('the /proc socket reader', () => {
  let server: Holder<ServerPorts>
  let ref: ProcessRef
  beforeAll(async () => {
    server = await startServer()
    ref = { pid: server.pid, startTime: 1, uid: process.getuid!() }
  })
  afterAll(stopHolders)

  const heldBy = (reader: LinuxSocketReader, refs: ProcessRef[], port: number) =>
    reader.readAllSync(refs).filter((h) => h.socket.localPort === port && h.holders.includes(server.pid))

  it('reads a process’s descriptor links once, then not again while its descriptor count stays', () => {
    const reader = new LinuxSocketReader()
    expect(heldBy(reader, [ref], server.info.tcp4)).toHaveLength(1)
    expect(reader.linksRead).toBe(fdCount(server.pid))
    expect(heldBy(reader, [ref], server.info.tcp4)).toHaveLength(1)
    expect(reader.linksRead).toBe(0)
    // Another identity for the same pid (a reused pid) is read afresh.
    expect(reader.readAllSync([{ ...ref, startTime: 2 }]).some((h) => h.holders.includes(server.pid))).toBe(true)
    expect(reader.linksRead).toBe(fdCount(server.pid))
    reader.close()
  })

  it('finds a socket opened as another closed, the descriptor count unchanged', async () => {
    const reader = new LinuxSocketReader()
    reader.readAllSync([ref])
    const before = fdCount(server.pid)
    server.child.stdin!.write('swap\n')
    const { udp4 } = JSON.parse(await server.nextLine()) as { udp4: number }
    expect(fdCount(server.pid)).toBe(before)
    const found = heldBy(reader, [ref], udp4)
    expect(found.map((h) => h.socket.state)).toEqual(['UNCONN'])
    // Found by re-reading the processes of the socket's user, not by its count.
    expect(reader.linksRead).toBeGreaterThan(0)
    reader.close()
  })

  it('lists another user’s sockets without their process, and says how to see it', (ctx) => {
    const why = whyUserCannotRunFixtures()
    if (why) return ctx.skip(`cannot run the reader as nobody here: ${why}`)
    if (process.getuid!() !== 0) return ctx.skip('needs root to start a reader as another user')
    const { result } = runFixtureAs(resolve(__dirname, '../../fixtures/scripts/portsAs.ts'), [String(server.info.tcp6)])
    const envelope = JSON.parse(result.stdout) as { ok: true; value: PortTable }
    expect(envelope.ok).toBe(true)
    const row = envelope.value.entries.find((e) => e.localPort === server.info.tcp6 && e.state === 'LISTEN')
    expect(row).toMatchObject({ localAddress: '::1', ownerStatus: 'not-visible' })
    expect(row?.owner).toBeUndefined()
    expect(envelope.value.notVisible).toBeGreaterThan(0)
    expect(envelope.value.visibilityHint).toMatch(/only root may read: run `sudo proctor ports`, or start Proctor as root/)
  })
})

const lsof = spawnSync('lsof', ['-v'], { encoding: 'utf8' })

describe.runIf(linux)('the lsof socket reader (macOS’s), run where lsof is installed', () => {
  afterAll(stopHolders)

  it('names the same server sockets with their pid as /proc does', async (ctx) => {
    if (lsof.error) return ctx.skip('lsof is not installed here (apt-get install -y lsof): the macOS reader was not run')
    const server = await startServer()
    const ref = { pid: server.pid, startTime: 1, uid: process.getuid!() }
    const key = (h: { socket: { protocol: string; family: number; localAddress: string; localPort: number; state: string } }) =>
      `${h.socket.protocol}${h.socket.family} ${h.socket.localAddress}:${h.socket.localPort} ${h.socket.state}`
    const fromLsof = (await new LsofSocketReader().readAll([])).filter((h) => h.holders.includes(server.pid)).map(key).sort()
    const fromProc = new LinuxSocketReader().readAllSync([ref]).filter((h) => h.holders.includes(server.pid)).map(key).sort()
    expect(fromLsof).toEqual([`tcp4 127.0.0.1:${server.info.tcp4} LISTEN`, `tcp6 ::1:${server.info.tcp6} LISTEN`, `udp4 127.0.0.1:${server.info.udp4} UNCONN`, `udp6 ::1:${server.info.udp6} UNCONN`].sort())
    expect(fromLsof).toEqual(fromProc)
    const one = await new LsofSocketReader().readProcess(ref)
    expect(one.inet.map(key).sort()).toEqual(fromLsof)
  })
})
