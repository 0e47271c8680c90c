import { describe, expect, it } from 'vitest'
import { callNames, streamNames } from '../../src/shared/contract'
import { ProctorError } from '../../src/shared/errors'
import { channels } from '../../src/shared/rpc/protocol'
import type { FakeBrowserWindow, FakeWebContents } from '../fakes/electron'
import { flush, freshEdge, stubRouter } from './support'

async function setup() {
  const { electron, window, bridge } = await freshEdge()
  const target = { kind: 'file', path: window.appPaths.rendererHtml } as const
  const win = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
  const stub = stubRouter()
  const dispose = bridge.registerBridge(electron.ipcMain, stub.router, (event) => window.isTrustedSender(event, target))
  const invokeFrom = (sender: FakeWebContents, channel: string, ...args: unknown[]) =>
    electron.ipcMain.simulateInvoke({ sender }, channel, ...args)
  const invoke = (channel: string, ...args: unknown[]) => invokeFrom(win.webContents, channel, ...args)
  /** Messages the bridge sent to `contents` on the event channel. */
  const events = (contents: FakeWebContents = win.webContents) =>
    contents.sent.filter((m) => m.channel === channels.event).map((m) => m.args[0])
  return { electron, window, win, stub, dispose, invoke, invokeFrom, events, target }
}

const topic = streamNames[0]!

describe('registerBridge: what is registered', () => {
  it('registers one handler per contract call, plus subscribe and unsubscribe, all prefixed, and nothing else', async () => {
    const { electron } = await setup()
    const expected = [...callNames.map((n) => `proctor:call:${n}`), 'proctor:subscribe', 'proctor:unsubscribe'].sort()
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(expected)
    expect(expected.length).toBe(callNames.length + 2)
    for (const channel of electron.ipcMain.handlers.keys()) expect(channel.startsWith('proctor:')).toBe(true)
    // No fire-and-forget listeners: everything goes through invoke handlers.
    expect(electron.ipcMain.eventNames()).toEqual([])
  })

  it('the dispose function removes every handler and ends every stream', async () => {
    const { electron, dispose, invoke, stub } = await setup()
    expect(await invoke(channels.subscribe, { id: 1, topic })).toEqual({ ok: true, value: null })
    dispose()
    expect(electron.ipcMain.handlers.size).toBe(0)
    expect(stub.stopped).toBe(1)
    await expect(invoke(channels.call('getAppInfo'))).rejects.toThrow(/No handler registered/)
  })
})

describe('registerBridge: calls', () => {
  it('passes a trusted call to the router and returns its envelope', async () => {
    const { invoke, stub } = await setup()
    expect(await invoke(channels.call('getSettings'))).toEqual({ ok: true, value: { name: 'getSettings', arg: null } })
    expect(await invoke(channels.call('updateSettings'), { refreshInterval: 2000 })).toMatchObject({
      ok: true,
      value: { name: 'updateSettings', arg: { refreshInterval: 2000 } },
    })
    expect(stub.calls.map((c) => c.name)).toEqual(['getSettings', 'updateSettings'])
    // The audit log names the caller; the bridge says it is the desktop window, whatever the page sends.
    expect(stub.calls.map((c) => c.caller)).toEqual([
      { kind: 'desktop', detail: 'window' },
      { kind: 'desktop', detail: 'window' },
    ])
  })

  it('answers bad arguments with INVALID_ARGUMENT naming the field, without running the handler', async () => {
    const { invoke, stub } = await setup()
    expect(await invoke(channels.call('updateSettings'), { refreshRate: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('refreshRate') },
    })
    expect(await invoke(channels.call('updateSettings'), 'refreshInterval=5')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('updateSettings') },
    })
    expect(await invoke(channels.call('getProcessList'), { all: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('getProcessList') },
    })
    expect(await invoke(channels.call('getSettings'), undefined, 'extra')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'getSettings: takes at most one argument' },
    })
    expect(stub.calls).toEqual([])
  })

  it('answers malformed subscribe and unsubscribe requests with INVALID_ARGUMENT naming the field', async () => {
    const { invoke, stub } = await setup()
    expect(await invoke(channels.subscribe, { id: 'one', topic })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/^subscribe\.id: /),
        details: { issues: [{ path: ['id'], message: expect.any(String) }] },
      },
    })
    expect(await invoke(channels.subscribe, { id: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^subscribe\.topic: /) },
    })
    expect(await invoke(channels.subscribe, { id: -1, topic })).toMatchObject({
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('subscribe.id') },
    })
    expect(await invoke(channels.subscribe, { id: 1, topic, listener: 'x' })).toMatchObject({
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('listener') },
    })
    expect(await invoke(channels.subscribe, 'subscribe me')).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } })
    expect(await invoke(channels.unsubscribe, {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^unsubscribe\.id: /) },
    })
    expect(await invoke(channels.subscribe, { id: 1, topic: 'everything' })).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'unknown stream "everything"' },
    })
    expect(stub.sinks.size).toBe(0)
  })
})

describe('registerBridge: the sender check', () => {
  it('refuses a subframe, a foreign page, a foreign webContents, a gone frame and a closed window; nothing runs', async () => {
    const { electron, window, win, invokeFrom, stub } = await setup()
    const ours = win.webContents
    const child = ours.mainFrame.simulateChildFrame(ours.getURL())
    // Shows our renderer file too, but was not made by createMainWindow.
    const stranger = new electron.BrowserWindow({ show: false })
    await stranger.loadFile(window.appPaths.rendererHtml)
    const senders: Array<[string, () => Promise<unknown>, string]> = []
    for (const channel of [...callNames.map((n) => channels.call(n)), channels.subscribe, channels.unsubscribe]) {
      const arg = channel === channels.subscribe ? { id: 1, topic } : channel === channels.unsubscribe ? { id: 1 } : undefined
      const args = arg === undefined ? [] : [arg]
      senders.push(
        ['subframe', () => electron.ipcMain.simulateInvoke({ sender: ours, senderFrame: child }, channel, ...args), channel],
        ['no frame', () => electron.ipcMain.simulateInvoke({ sender: ours, senderFrame: null }, channel, ...args), channel],
        ['other window', () => invokeFrom(stranger.webContents, channel, ...args), channel],
      )
    }
    for (const [what, send, channel] of senders) {
      expect({ what, channel, answer: await send() }).toEqual({
        what,
        channel,
        answer: { ok: false, error: { code: 'PERMISSION_DENIED', message: expect.any(String), details: { elevation: false } } },
      })
    }
    // Our own window, once it shows a foreign page.
    ours.mainFrame.url = 'https://evil.example/'
    expect(await invokeFrom(ours, channels.call('getAppInfo'))).toMatchObject({ error: { code: 'PERMISSION_DENIED' } })
    // And once it is closed.
    win.close()
    expect(await invokeFrom(ours, channels.call('getAppInfo'))).toMatchObject({ error: { code: 'PERMISSION_DENIED' } })
    expect(stub.calls).toEqual([])
    expect(stub.sinks.size).toBe(0)
  })

  it('a window showing our renderer file is still refused if createMainWindow did not make it', async () => {
    const { electron, window, target, win } = await setup()
    const stranger = new electron.BrowserWindow({ show: false })
    await stranger.loadFile(window.appPaths.rendererHtml)
    expect(stranger.webContents.getURL()).toBe(win.webContents.getURL())
    expect(window.isTrustedRendererUrl(stranger.webContents.getURL(), target)).toBe(true)
    expect(window.isTrustedSender({ sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame }, target)).toBe(false)
    expect(window.isTrustedSender({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, target)).toBe(true)
  })

  it('a sender check that throws counts as a refusal', async () => {
    const { electron, bridge, window } = await freshEdge()
    const win = window.createMainWindow({ target: { kind: 'file', path: window.appPaths.rendererHtml } }) as unknown as FakeBrowserWindow
    const stub = stubRouter()
    bridge.registerBridge(electron.ipcMain, stub.router, () => {
      throw new Error('boom')
    })
    expect(await electron.ipcMain.simulateInvoke({ sender: win.webContents }, channels.call('getAppInfo'))).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    })
    expect(stub.calls).toEqual([])
  })
})

describe('registerBridge: streams', () => {
  it('delivers events to the subscribing webContents and stops the source on unsubscribe', async () => {
    const { invoke, stub, events } = await setup()
    expect(await invoke(channels.subscribe, { id: 7, topic })).toEqual({ ok: true, value: null })
    const sink = stub.sinks.get(topic)![0]!
    sink.next({ n: 1 })
    sink.next({ n: 2 })
    expect(events()).toEqual([
      { id: 7, payload: { n: 1 } },
      { id: 7, payload: { n: 2 } },
    ])
    expect(await invoke(channels.unsubscribe, { id: 7 })).toEqual({ ok: true, value: true })
    expect(stub.stopped).toBe(1)
    sink.next({ n: 3 })
    expect(events()).toHaveLength(2)
    expect(await invoke(channels.unsubscribe, { id: 7 })).toEqual({ ok: true, value: false })
  })

  it('refuses a subscription id already in use by the same webContents', async () => {
    const { invoke } = await setup()
    expect(await invoke(channels.subscribe, { id: 1, topic })).toEqual({ ok: true, value: null })
    expect(await invoke(channels.subscribe, { id: 1, topic })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('already in use') },
    })
  })

  it('a stream the server ends sends one final message carrying the error, and is gone', async () => {
    const { invoke, stub, events } = await setup()
    await invoke(channels.subscribe, { id: 3, topic })
    const sink = stub.sinks.get(topic)![0]!
    sink.next('first')
    sink.error(new ProctorError('UNAVAILABLE', 'the sampler stopped'))
    sink.next('after the end')
    expect(events()).toEqual([
      { id: 3, payload: 'first' },
      { id: 3, end: true, error: { code: 'UNAVAILABLE', message: 'the sampler stopped' } },
    ])
    expect(await invoke(channels.unsubscribe, { id: 3 })).toEqual({ ok: true, value: false })
  })

  it('a stream the server finishes sends a final message without an error', async () => {
    const { invoke, stub, events } = await setup()
    await invoke(channels.subscribe, { id: 4, topic })
    stub.sinks.get(topic)![0]!.complete()
    expect(events()).toEqual([{ id: 4, end: true }])
    expect(await invoke(channels.unsubscribe, { id: 4 })).toEqual({ ok: true, value: false })
  })

  it('a stream whose source fails at once is answered ok, then ended, and leaves nothing open', async () => {
    const { electron, window, bridge } = await freshEdge()
    const target = { kind: 'file', path: window.appPaths.rendererHtml } as const
    const win = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
    const stub = stubRouter({ failOnSubscribe: new Error('no /proc') })
    bridge.registerBridge(electron.ipcMain, stub.router, (e) => window.isTrustedSender(e, target))
    const answer = await electron.ipcMain.simulateInvoke({ sender: win.webContents }, channels.subscribe, { id: 5, topic })
    expect(answer).toEqual({ ok: true, value: null })
    expect(win.webContents.sent.map((m) => m.args[0])).toEqual([
      { id: 5, end: true, error: { code: 'INTERNAL', message: 'internal error: no /proc' } },
    ])
    expect(await electron.ipcMain.simulateInvoke({ sender: win.webContents }, channels.unsubscribe, { id: 5 })).toEqual({
      ok: true,
      value: false,
    })
  })

  it('ends every stream of a webContents when it is destroyed, and only of that one', async () => {
    const { electron, window, invoke, invokeFrom, stub, win, target } = await setup()
    const other = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
    await invoke(channels.subscribe, { id: 1, topic })
    await invoke(channels.subscribe, { id: 2, topic })
    expect(await invokeFrom(other.webContents, channels.subscribe, { id: 1, topic })).toEqual({ ok: true, value: null })
    const sent = win.webContents.sent.length
    win.close()
    expect(stub.stopped).toBe(2)
    expect(win.webContents.isDestroyed()).toBe(true)
    // The other window's stream still runs and still delivers.
    const otherSink = stub.sinks.get(topic)![2]!
    otherSink.next('still here')
    expect(other.webContents.sent.at(-1)?.args[0]).toEqual({ id: 1, payload: 'still here' })
    expect(win.webContents.sent.length).toBe(sent)
    expect(electron.BrowserWindow.getAllWindows()).toEqual([other])
  })

  it('a reload of the page ends its streams; a same-document navigation does not', async () => {
    const { invoke, stub, win } = await setup()
    await invoke(channels.subscribe, { id: 1, topic })
    win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'x#y' })
    win.webContents.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false, url: 'about:blank' })
    expect(stub.stopped).toBe(0)
    win.webContents.reload()
    expect(stub.stopped).toBe(1)
    // The new page may start again from id 1.
    expect(await invoke(channels.subscribe, { id: 1, topic })).toEqual({ ok: true, value: null })
  })

  it('an event that cannot be sent ends that stream with INTERNAL instead of breaking the source', async () => {
    const { invoke, stub, events } = await setup()
    await invoke(channels.subscribe, { id: 9, topic })
    const sink = stub.sinks.get(topic)![0]!
    expect(() => sink.next({ callback: () => {} })).not.toThrow()
    expect(stub.stopped).toBe(1)
    expect(events()).toEqual([{ id: 9, end: true, error: { code: 'INTERNAL', message: expect.stringContaining('could not be sent') } }])
    await flush()
  })
})
