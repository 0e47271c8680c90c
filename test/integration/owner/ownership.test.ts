import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { OwnedElsewhereError, takeOwnership, type Ownership } from '../../../src/main/core/owner/ownership'
import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import { ProctorError } from '../../../src/shared/errors'
import type { ProgramsOverview } from '../../../src/shared/supervisor/status'
import { NO_OWNER_MESSAGE } from '../../../src/main/core/supervisor/slice'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/*
 * takeOwnership in one process: the lock names this very process, so a
 * second call finds it held by a live owner, as another process would.
 */

const engineOptions = { version: 'test', backgroundMetrics: false, log: () => {} }

describe('takeOwnership', () => {
  const dataDir = tempDir()
  const runtimeDir = join(tempDir('pr-'), 'rt')
  const open: Ownership[] = []
  afterAll(async () => {
    for (const o of open.reverse()) await o.close()
  })

  it('owns when no one does; a second engine becomes a client whose supervisor calls and streams are the owner’s', async () => {
    const owner = await takeOwnership({ dataDir, runtimeDir, kind: 'daemon', engineOptions })
    open.push(owner)
    if (owner.role !== 'owner') throw new Error(`owner expected, got ${owner.role}`)
    expect(owner.owner).toMatchObject({ kind: 'daemon', pid: process.pid, local: true, socket: join(runtimeDir, 'control.sock') })

    await expect(takeOwnership({ dataDir, runtimeDir, kind: 'daemon', engineOptions, ifOwned: 'refuse' })).rejects.toBeInstanceOf(OwnedElsewhereError)

    const client = await takeOwnership({ dataDir, runtimeDir, kind: 'desktop', engineOptions })
    open.push(client)
    if (client.role !== 'client') throw new Error(`client expected, got ${client.role}`)
    expect(client.owner).toMatchObject({ kind: 'daemon', pid: process.pid, local: false })
    const api = createApi(inProcessTransport(client.engine.router))

    const overviews: ProgramsOverview[] = []
    const stop = api.subscribeToPrograms((o) => overviews.push(o))
    const added = await api.addProgram({ program: { name: 'idle', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } })
    expect(added.name).toBe('idle')
    const list = await api.listPrograms()
    expect(list.programs.map((p) => p.name)).toEqual(['idle'])
    // Seen from the client, the programs are another engine's.
    expect(list.owner.local).toBe(false)
    await waitFor(() => overviews.some((o) => o.programs.some((p) => p.name === 'idle')), 5000, 'the overview stream to show the program')
    expect(overviews.at(-1)?.owner.local).toBe(false)

    // The owner's own errors, code and message.
    const err = await api.getProgram({ name: 'nope' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProctorError)
    expect((err as ProctorError).code).toBe('NOT_FOUND')

    // The owner restarts: calls fail meanwhile, the open stream resumes from the new one.
    await owner.close()
    open.splice(open.indexOf(owner), 1)
    const during = await api.listPrograms().catch((e: unknown) => e)
    // Either the loss was noticed first (no owner), or the call went out on a socket closing under it.
    expect(during).toMatchObject({ code: 'UNAVAILABLE' })
    expect((during as Error).message).toMatch(/no Proctor supervisor is running|connection to the Proctor owner was lost/)
    const before = overviews.length
    const again = await takeOwnership({ dataDir, runtimeDir, kind: 'daemon', engineOptions })
    open.push(again)
    expect(again.role).toBe('owner')
    await api.removeProgram({ name: 'idle' })
    await waitFor(() => overviews.length > before && overviews.at(-1)?.programs.length === 0, 10_000, 'the stream to resume from the new owner')
    stop()
  })

  it('a switch turned on in a client window reaches the owner (the settings file is followed)', async () => {
    const data = tempDir()
    const rt = join(tempDir('pr-'), 'rt')
    const owner = await takeOwnership({ dataDir: data, runtimeDir: rt, kind: 'daemon', engineOptions })
    open.push(owner)
    const client = await takeOwnership({ dataDir: data, runtimeDir: rt, kind: 'desktop', engineOptions })
    open.push(client)
    const api = createApi(inProcessTransport(client.engine.router))
    expect((await api.listPrograms()).autoRestart).toBe(false)
    // The Supervisor page's "Turn on", from the window: the client engine writes the file.
    await api.updateSettings({ enableAutoRestart: true, refreshInterval: 1500 })
    await waitFor(async () => (await api.listPrograms()).autoRestart, 5000, 'the owner to take the switch from the file')
    expect(owner.engine.settings.get().refreshInterval).toBe(1500)
  })

  it('a client with no owner to reach answers UNAVAILABLE, saying how to start one', async () => {
    const data = tempDir()
    const rt = join(tempDir('pr-'), 'rt')
    const owner = await takeOwnership({ dataDir: data, runtimeDir: rt, kind: 'daemon', engineOptions })
    // The lock stays held (this process lives) while the socket is gone: a client finds no one to ask.
    if (owner.role !== 'owner') throw new Error('expected to own')
    await owner.server.close()
    const client = await takeOwnership({ dataDir: data, runtimeDir: rt, kind: 'desktop', engineOptions })
    const api = createApi(inProcessTransport(client.engine.router))
    await expect(api.listPrograms()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: NO_OWNER_MESSAGE })
    const ended = await new Promise<Error>((resolve) => api.subscribeToPrograms(() => {}, resolve))
    expect(ended).toMatchObject({ code: 'UNAVAILABLE', message: NO_OWNER_MESSAGE })
    await client.close()
    await owner.close()
  })
})
