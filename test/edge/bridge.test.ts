import { describe, expect, it } from 'vitest'
import { callNames, streamNames } from '../../src/shared/contract'
import { ProctorError } from '../../src/shared/errors'
import { RPC_CHANNEL, type ClientMessage, type ServerMessage } from '../../src/shared/rpc/protocol'
import type { FakeBrowserWindow, FakeWebContents, FakeWebFrameMain } from '../fakes/electron'
import { flush, freshEdge, repliesTo, serverMessages, stubRouter } from './support'

async function setup(options: Parameters<typeof stubRouter>[0] = {}) {
  const { electron, window, bridge } = await freshEdge()
  const target = { kind: 'file', path: window.appPaths.rendererHtml } as const
  const win = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
  const stub = stubRouter(options)
  const dispose = bridge.registerBridge(electron.ipcMain, stub.router, (event) => window.isTrustedSender(event, target))
  /** What a page's ipcRenderer.send does from `frame` (default: the main frame of `sender`); delivered once flushed. */
  const sendFrom = (from: { sender: FakeWebContents; senderFrame?: FakeWebFrameMain | null }, ...args: unknown[]) =>
    electron.ipcMain.simulateSend(from, RPC_CHANNEL, ...args)
  /** Sends from our window's page and lets the bridge answer. */
  const send = async (...args: unknown[]) => {
    sendFrom({ sender: win.webContents }, ...args)
    await flush()
  }
  /** What our window's page was sent, 'ready' left out. */
  const received = (contents: FakeWebContents = win.webContents) => serverMessages(contents).filter((m) => m.t !== 'ready')
  /** Sends one message and returns the page's answer to its id. */
  const request = async (message: ClientMessage | Record<string, unknown>): Promise<ServerMessage | undefined> => {
    const before = received().length
    await send(message)
    return received()
      .slice(before)
      .find((m) => (m.t === 'result' || m.t === 'error') && m.id === (message as { id?: unknown }).id)
  }
  return { electron, window, bridge, win, stub, dispose, sendFrom, send, received, request, target }
}

const topic = streamNames[0]!
const sub = (id: number, params?: unknown): ClientMessage => (params === undefined ? { t: 'sub', id, topic } : { t: 'sub', id, topic, params })
const okResult = (id: number, value: unknown) => ({ t: 'result', id, result: { ok: true, value } })
const denied = (id: number) => ({
  t: 'result',
  id,
  result: { ok: false, error: { code: 'PERMISSION_DENIED', message: 'this frame may not use the Proctor API', details: { elevation: false } } },
})

describe('registerBridge: what is registered', () => {
  it('listens on one prefixed channel and nothing else: no invoke handler per call', async () => {
    const { electron } = await setup()
    expect(RPC_CHANNEL.startsWith('proctor:')).toBe(true)
    expect(electron.ipcMain.eventNames()).toEqual([RPC_CHANNEL])
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(1)
    expect(electron.ipcMain.handlers.size).toBe(0)
  })

  it('the dispose function removes the listener and ends every stream', async () => {
    const { electron, dispose, request, stub, send, received } = await setup()
    expect(await request(sub(1))).toEqual(okResult(1, null))
    dispose()
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(0)
    expect(stub.stopped).toBe(1)
    const seen = received().length
    await send({ t: 'call', id: 2, name: 'getAppInfo' })
    expect(received()).toHaveLength(seen)
    expect(stub.calls).toEqual([])
  })
})

describe('registerBridge: calls', () => {
  it('passes a trusted call to the session, which answers after its ready, as the desktop window', async () => {
    const { send, stub, win } = await setup()
    await send({ t: 'call', id: 1, name: 'getSettings' })
    await send({ t: 'call', id: 2, name: 'updateSettings', arg: { refreshInterval: 2000 } })
    expect(serverMessages(win.webContents)).toEqual([
      { t: 'ready' },
      okResult(1, { name: 'getSettings', arg: null }),
      okResult(2, { name: 'updateSettings', arg: { refreshInterval: 2000 } }),
    ])
    // The audit log names the caller; the bridge says it is the desktop window, whatever the page sends.
    expect(stub.calls.map((c) => c.caller)).toEqual([
      { kind: 'desktop', detail: 'window' },
      { kind: 'desktop', detail: 'window' },
    ])
  })

  it('a message cannot name its own caller: the field is refused as malformed, and nothing runs', async () => {
    const { request, stub } = await setup()
    expect(await request({ t: 'call', id: 1, name: 'getSettings', caller: { kind: 'cli', detail: 'root' } })).toMatchObject({
      t: 'error',
      id: 1,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('caller') },
    })
    expect(stub.calls).toEqual([])
  })

  it('answers bad arguments with INVALID_ARGUMENT naming the field, without running the handler, and keeps serving', async () => {
    const { request, send, received, stub } = await setup()
    expect(await request({ t: 'call', id: 1, name: 'updateSettings', arg: { refreshRate: 5 } })).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('refreshRate') } },
    })
    expect(await request({ t: 'call', id: 2, name: 'updateSettings', arg: 'refreshInterval=5' })).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('updateSettings') } },
    })
    expect(await request({ t: 'call', id: 3, name: 'getProcessList', arg: { all: true } })).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('getProcessList') } },
    })
    expect(await request({ t: 'call', id: 4, name: 'formatDisk' })).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'unknown call "formatDisk"' } },
    })
    // One message per send: a second argument is not read as anything.
    await send({ t: 'call', id: 5, name: 'getSettings' }, 'extra')
    expect(received().at(-1)).toEqual({
      t: 'error',
      error: { code: 'INVALID_ARGUMENT', message: 'malformed message: one message per send, got 2 arguments' },
    })
    expect(stub.calls).toEqual([])
    expect(await request({ t: 'call', id: 6, name: 'getSettings' })).toEqual(okResult(6, { name: 'getSettings', arg: null }))
  })

  it('answers malformed messages with INVALID_ARGUMENT naming the field', async () => {
    const { request, send, received, stub } = await setup()
    const malformed = (field: string) => ({ t: 'error', error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(new RegExp(`^malformed message: .*${field}`)) } })
    expect(await request({ t: 'sub', id: 'one', topic })).toBeUndefined()
    expect(received().at(-1)).toMatchObject(malformed('id'))
    expect(await request({ t: 'sub', id: 1 })).toMatchObject({ id: 1, ...malformed('topic') })
    expect(await request({ t: 'sub', id: -1, topic })).toMatchObject({ id: -1, ...malformed('id') })
    expect(await request({ t: 'sub', id: 1, topic, listener: 'x' })).toMatchObject({ id: 1, ...malformed('listener') })
    expect(await request({ t: 'unsub' })).toMatchObject(malformed('id'))
    await send('subscribe me')
    expect(received().at(-1)).toMatchObject({ t: 'error', error: { code: 'INVALID_ARGUMENT' } })
    expect(await request({ t: 'sub', id: 1, topic: 'everything' })).toEqual({
      t: 'result',
      id: 1,
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'unknown stream "everything"' } },
    })
    expect(stub.sinks.size).toBe(0)
  })
})

describe('registerBridge: the sender check', () => {
  it('refuses every message of a subframe, a gone frame or another window before a session sees it; nothing runs', async () => {
    const { electron, window, win, sendFrom, stub } = await setup()
    const ours = win.webContents
    const child = ours.mainFrame.simulateChildFrame(ours.getURL())
    // Shows our renderer file too, but was not made by createMainWindow.
    const stranger = new electron.BrowserWindow({ show: false })
    await stranger.loadFile(window.appPaths.rendererHtml)
    const messages: ClientMessage[] = [...callNames.map((name, i): ClientMessage => ({ t: 'call', id: i + 1, name })), sub(100), { t: 'unsub', id: 100 }]
    for (const message of messages) {
      sendFrom({ sender: ours, senderFrame: child }, message)
      sendFrom({ sender: ours, senderFrame: null }, message)
      sendFrom({ sender: stranger.webContents }, message)
    }
    await flush()
    expect(stub.calls).toEqual([])
    expect(stub.sinks.size).toBe(0)
    // No session was made: not even a 'ready' went to either page.
    expect(ours.sent).toEqual([])
    expect(stranger.webContents.sent).toEqual([])
    // Each frame still there is told, alone; an unsubscribe needs no answer.
    const refusals = [...callNames.map((_, i) => denied(i + 1)), denied(100)]
    expect(repliesTo(ours, child)).toEqual(refusals)
    expect(repliesTo(stranger.webContents, stranger.webContents.mainFrame)).toEqual(refusals)
  })

  it('a refusal goes to the frame that sent the message, never to the page, whose own call with that id is answered', async () => {
    const { win, sendFrom, send, received } = await setup()
    const child = win.webContents.mainFrame.simulateChildFrame(win.webContents.getURL())
    sendFrom({ sender: win.webContents, senderFrame: child }, { t: 'call', id: 1, name: 'getAppInfo' })
    await send({ t: 'call', id: 1, name: 'getSettings' })
    expect(received()).toEqual([okResult(1, { name: 'getSettings', arg: null })])
    expect(repliesTo(win.webContents, child)).toEqual([denied(1)])
  })

  it('our window showing a foreign page, or closed, is refused', async () => {
    const { win, send, stub } = await setup()
    const ours = win.webContents
    const page = ours.mainFrame
    page.url = 'https://evil.example/'
    await send({ t: 'call', id: 1, name: 'getAppInfo' })
    expect(repliesTo(ours, page)).toEqual([denied(1)])
    win.close()
    await send({ t: 'call', id: 2, name: 'getAppInfo' })
    expect(ours.sentToFrame).toHaveLength(1)
    expect(ours.sent).toEqual([])
    expect(stub.calls).toEqual([])
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
    electron.ipcMain.simulateSend({ sender: win.webContents }, RPC_CHANNEL, { t: 'call', id: 1, name: 'getAppInfo' })
    await flush()
    expect(repliesTo(win.webContents, win.webContents.mainFrame)).toEqual([denied(1)])
    expect(win.webContents.sent).toEqual([])
    expect(stub.calls).toEqual([])
  })
})

describe('registerBridge: one session per page', () => {
  it('is made on the page’s first message, says ready once, and stops listening to the webContents when the page goes', async () => {
    const { win, send, stub } = await setup()
    const contents = win.webContents
    const listening = () => ['destroyed', 'render-process-gone', 'did-start-navigation'].map((e) => contents.listenerCount(e))
    const before = listening()
    await send({ t: 'call', id: 1, name: 'getSettings' })
    await send({ t: 'call', id: 2, name: 'getSettings' })
    expect(serverMessages(contents).filter((m) => m.t === 'ready')).toHaveLength(1)
    expect(listening()).toEqual(before.map((n) => n + 1))
    contents.reload()
    expect(listening()).toEqual(before)
    // The new page gets a session of its own.
    await send({ t: 'call', id: 1, name: 'getSettings' })
    expect(serverMessages(contents).filter((m) => m.t === 'ready')).toHaveLength(2)
    expect(stub.calls).toHaveLength(3)
  })

  it('ends every stream of a webContents when it is destroyed, and only of that one', async () => {
    const { electron, window, request, sendFrom, stub, win, target } = await setup()
    const other = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
    await request(sub(1))
    await request(sub(2))
    sendFrom({ sender: other.webContents }, sub(1))
    await flush()
    expect(serverMessages(other.webContents).at(-1)).toEqual(okResult(1, null))
    const sent = win.webContents.sent.length
    win.close()
    expect(stub.stopped).toBe(2)
    expect(win.webContents.isDestroyed()).toBe(true)
    // The other window's stream still runs and still delivers.
    stub.sinks.get(topic)![2]!.next('still here')
    expect(serverMessages(other.webContents).at(-1)).toEqual({ t: 'event', id: 1, seq: 1, payload: 'still here' })
    expect(win.webContents.sent.length).toBe(sent)
    expect(electron.BrowserWindow.getAllWindows()).toEqual([other])
  })

  it('a reload of the page ends its streams; a same-document navigation or a subframe’s does not', async () => {
    const { request, stub, win } = await setup()
    await request(sub(1))
    win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'x#y' })
    win.webContents.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false, url: 'about:blank' })
    expect(stub.stopped).toBe(0)
    win.webContents.reload()
    expect(stub.stopped).toBe(1)
    // The new page may start again from id 1.
    expect(await request(sub(1))).toEqual(okResult(1, null))
  })

  it('a renderer that dies ends its page’s streams', async () => {
    const { request, stub, win } = await setup()
    await request(sub(1))
    await request(sub(2))
    win.webContents.simulateRenderProcessGone()
    expect(stub.stopped).toBe(2)
  })
})

describe('registerBridge: streams', () => {
  it('delivers events to the subscribing webContents and stops the source on unsubscribe', async () => {
    const { request, stub, received } = await setup()
    expect(await request(sub(7))).toEqual(okResult(7, null))
    const sink = stub.sinks.get(topic)![0]!
    sink.next({ n: 1 })
    sink.next({ n: 2 })
    expect(received().slice(1)).toEqual([
      { t: 'event', id: 7, seq: 1, payload: { n: 1 } },
      { t: 'event', id: 7, seq: 2, payload: { n: 2 } },
    ])
    expect(await request({ t: 'unsub', id: 7 })).toEqual(okResult(7, true))
    expect(stub.stopped).toBe(1)
    sink.next({ n: 3 })
    expect(received().filter((m) => m.t === 'event')).toHaveLength(2)
    expect(await request({ t: 'unsub', id: 7 })).toEqual(okResult(7, false))
  })

  it('refuses a subscription id already in use by the same webContents', async () => {
    const { request } = await setup()
    expect(await request(sub(1))).toEqual(okResult(1, null))
    expect(await request(sub(1))).toMatchObject({ t: 'error', id: 1, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('already in use') } })
  })

  it('a stream the server ends sends one final message carrying the error, and is gone', async () => {
    const { request, stub, received } = await setup()
    await request(sub(3))
    const sink = stub.sinks.get(topic)![0]!
    sink.next('first')
    sink.error(new ProctorError('UNAVAILABLE', 'the sampler stopped'))
    sink.next('after the end')
    expect(received().slice(1)).toEqual([
      { t: 'event', id: 3, seq: 1, payload: 'first' },
      { t: 'end', id: 3, error: { code: 'UNAVAILABLE', message: 'the sampler stopped' } },
    ])
    expect(await request({ t: 'unsub', id: 3 })).toEqual(okResult(3, false))
  })

  it('a stream the server finishes sends a final message without an error', async () => {
    const { request, stub, received } = await setup()
    await request(sub(4))
    stub.sinks.get(topic)![0]!.complete()
    expect(received().at(-1)).toEqual({ t: 'end', id: 4 })
    expect(await request({ t: 'unsub', id: 4 })).toEqual(okResult(4, false))
  })

  it('a stream whose source fails at once is answered ok, then ended, and leaves nothing open', async () => {
    const { request, received } = await setup({ failOnSubscribe: new Error('no /proc') })
    expect(await request(sub(5))).toEqual(okResult(5, null))
    expect(received()).toEqual([okResult(5, null), { t: 'end', id: 5, error: { code: 'INTERNAL', message: 'internal error: no /proc' } }])
    expect(await request({ t: 'unsub', id: 5 })).toEqual(okResult(5, false))
  })

  it('an event that cannot be sent ends that stream with INTERNAL instead of breaking the source', async () => {
    const { request, stub, received } = await setup()
    await request(sub(9))
    const sink = stub.sinks.get(topic)![0]!
    expect(() => sink.next({ callback: () => {} })).not.toThrow()
    expect(stub.stopped).toBe(1)
    expect(received().slice(1)).toEqual([{ t: 'end', id: 9, error: { code: 'INTERNAL', message: expect.stringContaining('could not be sent') } }])
    // The session goes on.
    expect(await request({ t: 'call', id: 10, name: 'getSettings' })).toEqual(okResult(10, { name: 'getSettings', arg: null }))
  })
})
