import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { takeOwnership, type Ownership } from '../../../src/main/core/owner/ownership'
import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import { dataDirWith } from '../../helpers/dataDir'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/*
 * The owner's broker and supervisor together, as `proctor daemon` builds
 * them: a program started with IPC on gets its own token, counts as ready
 * on its `ready` message, is healthy while it beats and unhealthy once it
 * stops, and answers Proctor's requests; a client engine sees the same
 * broker through the owner.
 */

const engineOptions = { version: 'test', backgroundMetrics: false, log: () => {} }
const PROGRAM = resolve(__dirname, '../../fixtures/scripts/ipcProgram.ts')
const program = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  command: process.execPath,
  args: ['--import', 'tsx', PROGRAM],
  env: { vars: { READY_AFTER_MS: '300' } },
  ready: { kind: 'ipc' as const },
  readyTimeoutMs: 15_000,
  ...extra,
})

describe('programs over IPC, through the owner', () => {
  const open: Ownership[] = []
  afterAll(async () => {
    for (const o of open.reverse()) await o.close()
  })

  it('gives a program its token, takes its ready message as readiness, its heartbeats as health, and answers through it', async () => {
    const dataDir = dataDirWith({ enableIPC: true, enableHealthChecks: true })
    const runtimeDir = join(tempDir('pr-'), 'rt')
    const owner = await takeOwnership({ dataDir, runtimeDir, kind: 'daemon', engineOptions })
    open.push(owner)
    const api = createApi(inProcessTransport(owner.engine.router))
    await api.addProgram({ program: program('worker', { health: { checks: [{ kind: 'ipc', maxSilenceMs: 600 }], intervalMs: 250, unhealthyThreshold: 2 } }) })
    const started = Date.now()
    const status = await api.startProgram({ name: 'worker', wait: 'ready' })
    expect(status.state).toBe('running')
    // Not on startSeconds: on the message, which the program sends 300 ms after it connected.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    const detail = await api.getProgram({ name: 'worker' })
    expect(detail.transitions.at(-1)?.reason).toMatch(/^ready: ready message over IPC after [\d.]+ s$/)

    const overview = await api.getIPCConnections()
    expect(overview.listening).toBe(true)
    expect(overview.socket).toBe(join(runtimeDir, 'ipc-broker.sock'))
    const conn = overview.connections.find((c) => c.id === 'p:worker')
    expect(conn).toMatchObject({ kind: 'program', name: 'worker', program: 'worker', ready: true })

    // Proctor's request reaches the program by its name and comes back with the program's own answer.
    const reply = await api.requestIPCResponse({ processId: 'worker', payload: { n: 1 } })
    expect(reply).toMatchObject({ from: 'p:worker', payload: { echo: { n: 1 }, pid: status.pid } })

    await waitFor(async () => (await api.getProgram({ name: 'worker' })).health.status === 'healthy', 5000, 'healthy on heartbeats')
    await api.sendIPCMessage({ processId: 'p:worker', payload: { stopBeating: true } })
    const unhealthy = await waitFor(async () => {
      const d = await api.getProgram({ name: 'worker' })
      return d.health.status === 'unhealthy' && d
    }, 5000, 'unhealthy once the beats stop')
    expect(unhealthy.health.results.at(-1)?.detail).toMatch(/^no heartbeat for [\d.]+ m?s \(at most 600 ms\)$/)

    // A client engine (the desktop app beside the daemon) sees the same broker through the owner.
    const client = await takeOwnership({ dataDir, runtimeDir, kind: 'desktop', engineOptions })
    open.push(client)
    expect(client.role).toBe('client')
    const seen = await createApi(inProcessTransport(client.engine.router)).getIPCConnections()
    expect(seen.connections.map((c) => c.id)).toEqual(['p:worker'])

    // Each run its own token: after a restart the program connects again, as the new run.
    const before = (await api.getProgram({ name: 'worker' })).pid
    await api.restartProgram({ name: 'worker' })
    await waitFor(async () => (await api.getIPCConnections()).connections.find((c) => c.id === 'p:worker' && c.pid !== before && c.ready), 15_000, 'the new run connected and ready')
  })

  it('fails the start of a program waiting for an IPC ready message while IPC is off, saying so', async () => {
    const dataDir = dataDirWith({})
    const owner = await takeOwnership({ dataDir, runtimeDir: join(tempDir('pr-'), 'rt'), kind: 'daemon', engineOptions })
    open.push(owner)
    const api = createApi(inProcessTransport(owner.engine.router))
    await api.addProgram({ program: program('waiter') })
    const started = Date.now()
    const err = await api.startProgram({ name: 'waiter', wait: 'ready' }).catch((e: Error) => e)
    expect(String((err as Error).message)).toMatch(/not ready: IPC is off \(enableIPC\)/)
    // At once, not after readyTimeoutMs: an exited program with no restart to come is not waited for.
    expect(Date.now() - started).toBeLessThan(10_000)
    const off = await api.sendIPCMessage({ processId: 'waiter', payload: 1 }).catch((e: Error) => e)
    expect((off as Error).message).toMatch(/the IPC broker is off: turn on enableIPC/)
  })
})
