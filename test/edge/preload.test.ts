import { afterEach, describe, expect, it } from 'vitest'
import { callNames, streamNames, type ProctorApi } from '../../src/shared/contract'
import { ProctorError } from '../../src/shared/errors'
import { RPC_CHANNEL } from '../../src/shared/rpc/protocol'
import type { ProcessSnapshot, ProcessWatchEvent } from '../../src/shared/types/process'
import type { FakeBrowserWindow } from '../fakes/electron'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'
import { freshEdge } from './support'

/**
 * The whole desktop path without Electron: the real preload, loaded against
 * the stand-in ipcRenderer, talking to the real bridge in front of a real
 * Engine; the page's view is what contextBridge hands the main world.
 */
async function desktop() {
  const { electron, window, bridge } = await freshEdge()
  const { Engine } = await import('../../src/main/core/engine')
  // Logs go nowhere: a stream stopped mid-sample reports the closed collector, which is expected here.
  const engine = new Engine({ dataDir: tempDir(), version: 'test', log: () => {} })
  const target = window.rendererTarget({ packaged: false, env: {} })
  const dispose = bridge.registerBridge(electron.ipcMain, engine.router, (e) => window.isTrustedSender(e, target))
  const win = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
  electron.ipcRenderer.connect(win.webContents)
  await import('../../src/preload/index')
  const api = electron.contextBridge.mainWorld.get('api') as ProctorApi
  teardowns.push(() => {
    dispose()
    engine.close()
  })
  return { electron, engine, win, api }
}

const teardowns: Array<() => void> = []
afterEach(() => {
  for (const t of teardowns.splice(0)) t()
  killAll()
})

async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p
  } catch (err) {
    return err as Record<string, unknown>
  }
  throw new Error('expected a rejection')
}

describe('the preload', () => {
  it('exposes one object, api, holding exactly the contract functions: no ipcRenderer, no channels', async () => {
    const { electron, api } = await desktop()
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['api'])
    expect(Object.keys(api).sort()).toEqual([...callNames, ...streamNames].sort())
    for (const [name, value] of Object.entries(api)) expect({ name, type: typeof value }).toEqual({ name, type: 'function' })
    expect(Object.isFrozen(api)).toBe(true)
    // Nothing electron-shaped is reachable: one listener on the one channel, registered by the preload itself.
    expect(electron.ipcRenderer.eventNames()).toEqual([RPC_CHANNEL])
    expect(electron.ipcRenderer.listenerCount(RPC_CHANNEL)).toBe(1)
  })

  it('getProcessList crosses the bridge and contains this process', { timeout: 20_000 }, async () => {
    const { api } = await desktop()
    const snapshot = await api.getProcessList()
    const me = snapshot.processes.find((p) => p.pid === process.pid)
    expect(me?.ppid).toBe(process.ppid)
    expect(snapshot.processes.length).toBeGreaterThan(1)
  })

  it('subscribeToProcessUpdates delivers snapshots; unsubscribing stops the engine stream', { timeout: 20_000 }, async () => {
    const { api, engine } = await desktop()
    const got: ProcessSnapshot[] = []
    const errors: unknown[] = []
    const stop = api.subscribeToProcessUpdates(
      (s) => got.push(s),
      (e) => errors.push(e),
    )
    await waitFor(() => got.length >= 1, 10_000, 'a snapshot')
    expect(got[0]?.processes.some((p) => p.pid === process.pid)).toBe(true)
    expect(engine.processes.stream.subscribers).toBe(1)
    stop()
    await waitFor(() => engine.processes.stream.subscribers === 0, 5000, 'the engine stream to stop')
    expect(engine.processes.stream.active).toBe(false)
    expect(errors).toEqual([])
  })

  it('errors reach the page with their code and details (a plain object: contextBridge would strip an Error)', async () => {
    const { api, electron } = await desktop()
    const err = await rejection(api.updateSettings({ refreshInterval: 5 }))
    expect(err).toMatchObject({ name: 'ProctorError', code: 'INVALID_ARGUMENT', message: expect.stringMatching(/refreshInterval/) })
    // Code that only knows String(err) still shows the message.
    expect(String(err)).toBe(err.message)
    // Why: an Error crossing the bridge keeps its message only (the stand-in models Electron here).
    const stripped = await rejection(electron.crossWorlds(Promise.reject(new ProctorError('NOT_FOUND', 'gone'))) as Promise<unknown>)
    expect(stripped).toBeInstanceOf(Error)
    expect(stripped.message).toBe('gone')
    expect(stripped.code).toBeUndefined()
  })

  it('a stream the server fails ends with onError carrying the code', { timeout: 20_000 }, async () => {
    const { api, engine } = await desktop()
    const errors: Array<Record<string, unknown>> = []
    const events: unknown[] = []
    api.watchProcess(
      { pid: 2 ** 31 - 1 },
      (e) => events.push(e),
      (e) => errors.push(e as unknown as Record<string, unknown>),
    )
    await waitFor(() => errors.length > 0, 10_000, 'the stream to fail')
    expect(errors).toEqual([
      {
        name: 'ProctorError',
        code: 'NOT_FOUND',
        message: `no process with pid ${2 ** 31 - 1} is running`,
        details: { pid: 2 ** 31 - 1 },
        toString: expect.any(Function),
      },
    ])
    expect(events).toEqual([])
    await waitFor(() => engine.processes.stream.subscribers === 0, 5000, 'the engine stream to stop')
  })

  it('a stream the server finishes ends quietly after its last event', { timeout: 20_000 }, async () => {
    const { api, engine } = await desktop()
    const child = spawnIdle(uniqueArg('proctor-edge'))
    await waitFor(async () => (await api.getProcessList()).processes.some((p) => p.pid === child.pid), 10_000, 'the child in the list')
    const events: ProcessWatchEvent[] = []
    const errors: unknown[] = []
    api.watchProcess(
      { pid: child.pid! },
      (e) => events.push(e),
      (e) => errors.push(e),
    )
    await waitFor(() => events.length >= 1, 10_000, 'a sample')
    child.kill('SIGKILL')
    await waitFor(() => events.some((e) => e.type === 'exited'), 10_000, 'the exit')
    await waitFor(() => engine.processes.stream.subscribers === 0, 5000, 'the engine stream to stop')
    expect(errors).toEqual([])
    expect(events.at(-1)).toMatchObject({ type: 'exited', pid: child.pid })
  })

  it('a bad stream parameter ends the subscription with INVALID_ARGUMENT naming it', async () => {
    const { api } = await desktop()
    const errors: Array<Record<string, unknown>> = []
    api.watchProcess(
      { pid: -4 },
      () => {},
      (e) => errors.push(e as unknown as Record<string, unknown>),
    )
    await waitFor(() => errors.length > 0, 5000, 'the refusal')
    expect(errors[0]).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('pid') })
  })

  it('a page in a subframe is refused with PERMISSION_DENIED, and its subscriptions end with it; nothing runs', async () => {
    const { api, electron, engine, win } = await desktop()
    const frame = win.webContents.mainFrame.simulateChildFrame(win.webContents.getURL())
    electron.ipcRenderer.connect(win.webContents, frame)
    const before = engine.settings.get().refreshInterval
    expect(await rejection(api.updateSettings({ refreshInterval: before + 500 }))).toMatchObject({ code: 'PERMISSION_DENIED' })
    const errors: unknown[] = []
    api.subscribeToProcessUpdates(
      () => {},
      (e) => errors.push(e),
    )
    await waitFor(() => errors.length > 0, 5000, 'the refusal')
    expect(errors[0]).toMatchObject({ code: 'PERMISSION_DENIED' })
    expect(engine.settings.get().refreshInterval).toBe(before)
    expect(engine.processes.stream.subscribers).toBe(0)
    electron.ipcRenderer.connect(win.webContents)
    expect((await api.getAppInfo()).pid).toBe(process.pid)
  })

  it('a page whose document was replaced is not served: its messages are refused and nothing runs', async () => {
    const { api, engine, win } = await desktop()
    expect((await api.getAppInfo()).pid).toBe(process.pid)
    const before = engine.settings.get().refreshInterval
    // The document this preload belonged to is replaced: its frame is gone, and with it any frame to answer.
    win.webContents.reload()
    let settled = false
    void api.updateSettings({ refreshInterval: before + 500 }).finally(() => (settled = true))
    await new Promise((r) => setTimeout(r, 200))
    expect(engine.settings.get().refreshInterval).toBe(before)
    expect(settled).toBe(false)
  })

  it('an argument that cannot cross the process boundary fails that call with INVALID_ARGUMENT; the api goes on', async () => {
    const { api } = await desktop()
    const err = await rejection(api.updateSettings({ refreshInterval: 2000, later: () => {} } as never))
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^updateSettings: the request could not be sent/) })
    expect((await api.getAppInfo()).pid).toBe(process.pid)
  })

  it('a reload ends the old page streams in the main process', { timeout: 20_000 }, async () => {
    const { api, engine, win } = await desktop()
    const got: unknown[] = []
    api.subscribeToProcessUpdates((s) => got.push(s))
    await waitFor(() => engine.processes.stream.subscribers === 1, 5000, 'the stream to start')
    win.webContents.reload()
    expect(engine.processes.stream.subscribers).toBe(0)
  })
})
