import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { IPCOverview, IPCTrafficEvent } from '../../../src/shared/broker/status'
import { ProctorError } from '../../../src/shared/errors'
import type { StreamSink } from '../../../src/shared/rpc/router'
import type { Caller } from '../../../src/shared/types/caller'
import { killAll, spawnIdle, uniqueArg } from '../../helpers/children'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'
import { RawClient, startBroker, type Harness } from './harness'

const caller: Caller = { kind: 'cli', detail: 'test' }

async function rejection(p: unknown): Promise<ProctorError> {
  try {
    await p
  } catch (err) {
    return err as ProctorError
  }
  throw new Error('expected a rejection')
}

function sink<T>(): StreamSink<T> & { values: T[] } {
  const values: T[] = []
  return { values, next: (v) => values.push(v), error: () => {}, complete: () => {} }
}

const harnesses: Harness[] = []
const clients: RawClient[] = []
async function broker(...args: Parameters<typeof startBroker>): Promise<Harness> {
  const h = await startBroker(...args)
  harnesses.push(h)
  return h
}
async function program(h: Harness, name: string): Promise<RawClient> {
  const env = h.service.programEnv(name)!
  const c = await RawClient.hello(env.PROCTOR_IPC_SOCKET, env.PROCTOR_IPC_TOKEN)
  clients.push(c)
  return c
}
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
  for (const h of harnesses.splice(0)) h.close()
})
afterAll(killAll)

describe('the broker service: listening', () => {
  it('while enableIPC is off, listens on nothing; every call but getIPCConnections is UNAVAILABLE, saying how to turn it on', async () => {
    const h = await broker({ enableIPC: false })
    const o = h.service.handlers.getIPCConnections(undefined, caller) as IPCOverview
    expect(o).toMatchObject({ enabled: false, listening: false, connections: [] })
    expect(o.socket).toBeUndefined()
    expect(h.service.programEnv('web')).toBeUndefined()
    const calls = [
      () => h.service.handlers.sendIPCMessage({ processId: 'web', payload: 1 }, caller),
      () => h.service.handlers.requestIPCResponse({ processId: 'web', payload: 1 }, caller),
      () => h.service.handlers.broadcastIPCMessage({ payload: 1 }, caller),
      () => h.service.handlers.registerProcessForIPC({ pid: process.pid }, caller),
      () => h.service.handlers.unregisterProcessFromIPC({ processId: 'r:1' }, caller),
    ]
    for (const call of calls) {
      const err = await rejection(call())
      expect(err.code).toBe('UNAVAILABLE')
      expect(err.message).toContain('enableIPC')
    }
    // The refusals are audited too, with their caller.
    expect(h.audit.read().filter((e) => e.action === 'ipc')).toHaveLength(5)
  })

  it('follows enableIPC: a 0600 socket in a 0700 folder when turned on; closed with a reason and removed when turned off', async () => {
    const h = await broker({ enableIPC: false })
    h.store.update({ enableIPC: true })
    const path = await waitFor(() => h.service.overview().socket, 5000, 'the broker to listen')
    expect(statSync(path).isSocket()).toBe(true)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700)
    const c = await program(h, 'web')
    h.store.update({ enableIPC: false })
    expect(await c.refusal()).toMatchObject({ code: 'SHUTTING_DOWN', message: expect.stringContaining('enableIPC') })
    await waitFor(() => !existsSync(path), 5000, 'the socket file to go')
    expect(h.service.overview()).toMatchObject({ enabled: false, listening: false })
  })

  it('says why it cannot listen (a socket path over 103 bytes) in the overview and the log, and never rejects', async () => {
    const deep = join(tempDir('pb-'), 'x'.repeat(100))
    const h = await broker({}, { runtimeDir: deep })
    const o = h.service.overview()
    expect(o.listening).toBe(false)
    expect(o.problem).toMatch(/is \d+ bytes, longer than the 103 a Unix socket path may have: set ipcConfig.socketDir/)
    expect(h.logs.join('\n')).toContain('longer than the 103')
    // Moved to a usable folder, it listens there.
    // (ipcConfig.socketDir refuses shared temp folders: one of the home folder's.)
    const home = mkdtempSync(join(homedir(), '.proctor-test-'))
    try {
      h.store.update({ ipcConfig: { socketDir: join(home, 'ipc') } })
      await waitFor(() => h.service.overview().listening, 5000, 'the broker to listen')
      expect(h.service.overview()).toMatchObject({ socket: join(home, 'ipc', 'ipc-broker.sock') })
      expect(h.service.overview().problem).toBeUndefined()
    } finally {
      h.close()
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('the broker service: messages', () => {
  it('routes send, request and broadcast between programs, by endpoint id or program name', async () => {
    const h = await broker()
    const a = await program(h, 'alpha')
    const b = await program(h, 'beta')
    expect(a.welcome).toMatchObject({ t: 'welcome', v: 1, id: 'p:alpha', name: 'alpha', maxFrameBytes: 1024 * 1024, messageTimeout: 5000 })
    a.send({ t: 'send', to: 'beta', payload: { n: 1 } })
    a.send({ t: 'send', to: 'p:beta', payload: { n: 2 } })
    await b.next((f) => f.t === 'message' && (f.payload as { n: number }).n === 2)
    expect(b.frames.filter((f) => f.t === 'message')).toEqual([
      { t: 'message', from: 'p:alpha', payload: { n: 1 } },
      { t: 'message', from: 'p:alpha', payload: { n: 2 } },
    ])

    a.send({ t: 'request', to: 'beta', id: 'q1', payload: { add: [1, 2] } })
    const req = await b.next((f) => f.t === 'request')
    expect(req).toMatchObject({ from: 'p:alpha', payload: { add: [1, 2] } })
    b.send({ t: 'response', id: req.id, payload: { sum: 3 } })
    expect(await a.next((f) => f.t === 'response')).toEqual({ t: 'response', id: 'q1', from: 'p:beta', payload: { sum: 3 } })

    // Frames in other forms than the client modules' (spaces, payload not last, a key repeated) route the same.
    const raw = (text: string) => a.write(Buffer.concat([Buffer.from([0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)]))
    raw('{ "t": "send", "to": "beta", "payload": { "n": 3 } }')
    raw('{"payload":{"n":4},"to":"beta","t":"send"}')
    raw('{"t":"send","to":"beta","payload":{"n":5},"t":"send"}')
    raw('{"t":"send","to":"beta","payload":{"n":6},"to":"beta"}')
    await b.next((f) => (f.payload as { n?: number } | undefined)?.n === 6)
    expect(b.frames.filter((f) => f.t === 'message').map((f) => (f.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6])
    expect(b.frames.filter((f) => f.t === 'message').every((f) => f.from === 'p:alpha')).toBe(true)

    b.send({ t: 'broadcast', payload: 'all' })
    expect(await a.next((f) => f.t === 'message' && f.broadcast === true)).toEqual({ t: 'message', from: 'p:beta', payload: 'all', broadcast: true })
    await new Promise((r) => setTimeout(r, 50))
    expect(b.frames.some((f) => f.broadcast)).toBe(false)
  })

  it('answers NOT_FOUND for an unknown target, TIMEOUT without an answer in time, PEER_GONE when the target leaves, and passes on a handler error', async () => {
    const h = await broker({ ipcConfig: { messageTimeout: 300 } })
    const a = await program(h, 'alpha')
    const b = await program(h, 'beta')
    a.send({ t: 'send', to: 'ghost', id: 7, payload: 1 })
    expect(await a.next((f) => f.t === 'error')).toMatchObject({ code: 'NOT_FOUND', re: 7, message: expect.stringContaining('"ghost"') })
    a.send({ t: 'request', to: 'ghost', id: 1, payload: 1 })
    expect(await a.next((f) => f.t === 'response' && f.id === 1)).toMatchObject({ error: { code: 'NOT_FOUND' } })

    const t0 = Date.now()
    a.send({ t: 'request', to: 'beta', id: 2, payload: 'no answer' })
    expect(await a.next((f) => f.t === 'response' && f.id === 2)).toMatchObject({ from: 'p:beta', error: { code: 'TIMEOUT', message: 'no response from p:beta within 300 ms' } })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280)
    // Its own timeout wins over messageTimeout.
    a.send({ t: 'request', to: 'beta', id: 3, payload: 'no answer', timeoutMs: 50 })
    expect(await a.next((f) => f.t === 'response' && f.id === 3, 'timeout', 250)).toMatchObject({ error: { code: 'TIMEOUT' } })

    a.send({ t: 'request', to: 'beta', id: 4, payload: 'fail' })
    const req = await b.next((f) => f.t === 'request' && f.payload === 'fail')
    b.send({ t: 'response', id: req.id, error: { code: 'HANDLER_ERROR', message: 'no such thing' } })
    expect(await a.next((f) => f.id === 4)).toMatchObject({ error: { code: 'HANDLER_ERROR', message: 'no such thing' } })

    a.send({ t: 'request', to: 'beta', id: 5, payload: 'then leave' })
    await b.next((f) => f.t === 'request' && f.payload === 'then leave')
    b.destroy()
    expect(await a.next((f) => f.id === 5)).toMatchObject({ error: { code: 'PEER_GONE' } })
  })

  it('is an endpoint itself: a ping gets { pong: true }, anything else an error; messages to it show in the traffic stream', async () => {
    const h = await broker()
    const traffic = sink<IPCTrafficEvent[]>()
    const stop = h.service.streams.subscribeToIPCTraffic(undefined, traffic)
    const a = await program(h, 'alpha')
    a.send({ t: 'request', to: 'proctor', id: 1, payload: { ping: 42 } })
    expect(await a.next((f) => f.id === 1)).toEqual({ t: 'response', id: 1, from: 'proctor', payload: { pong: true } })
    a.send({ t: 'request', to: 'proctor', id: 2, payload: { other: 1 } })
    expect(await a.next((f) => f.id === 2)).toMatchObject({ error: { code: 'HANDLER_ERROR', message: expect.stringContaining('only { "ping"') } })
    a.send({ t: 'send', to: 'proctor', payload: { note: 'x'.repeat(500) } })
    const seen = await waitFor(() => traffic.values.flat().find((e) => e.kind === 'send' && e.to === 'proctor'), 3000, 'the send in the traffic stream')
    expect(seen.from).toBe('p:alpha')
    expect(seen.text).toHaveLength(200)
    expect(seen.text.startsWith('{"note":"xxx')).toBe(true)
    expect(traffic.values.flat().some((e) => e.kind === 'connect' && e.from === 'p:alpha')).toBe(true)
    // Batched: a handful of events came in one or two batches, not one each.
    expect(traffic.values.length).toBeLessThan(traffic.values.flat().length)
    stop()
  })

  it('serves the contract calls from Proctor, each audited with its caller', async () => {
    const h = await broker({ ipcConfig: { messageTimeout: 200 } })
    const traffic = sink<IPCTrafficEvent[]>()
    const stop = h.service.streams.subscribeToIPCTraffic(undefined, traffic)
    const a = await program(h, 'alpha')
    const b = await program(h, 'beta')
    await expect(h.service.handlers.sendIPCMessage({ processId: 'alpha', payload: { hi: 1 } }, caller)).resolves.toEqual({ to: 'p:alpha' })
    expect(await a.next((f) => f.t === 'message')).toEqual({ t: 'message', from: 'proctor', payload: { hi: 1 } })

    const answer = (async () => {
      const req = await b.next((f) => f.t === 'request')
      b.send({ t: 'response', id: req.id, payload: { got: req.payload } })
    })()
    const r = (await h.service.handlers.requestIPCResponse({ processId: 'p:beta', payload: 'q' }, caller)) as { from: string; payload: unknown; durationMs: number }
    await answer
    expect(r).toMatchObject({ from: 'p:beta', payload: { got: 'q' } })
    expect(r.durationMs).toBeGreaterThanOrEqual(0)

    await expect(h.service.handlers.broadcastIPCMessage({ payload: 'all' }, caller)).resolves.toEqual({ recipients: 2 })
    expect((await rejection(h.service.handlers.sendIPCMessage({ processId: 'ghost', payload: 1 }, caller))).code).toBe('NOT_FOUND')
    expect((await rejection(h.service.handlers.requestIPCResponse({ processId: 'alpha', payload: 1, timeoutMs: 50 }, caller))).code).toBe('TIMEOUT')

    const entries = h.audit.read().filter((e) => e.action === 'ipc')
    expect(entries.map((e) => [e.verb, e.target, e.ok, 'errorCode' in e ? e.errorCode : undefined])).toEqual([
      ['send', 'alpha', true, undefined],
      ['request', 'p:beta', true, undefined],
      ['broadcast', '*', true, undefined],
      ['send', 'ghost', false, 'NOT_FOUND'],
      ['request', 'alpha', false, 'TIMEOUT'],
    ])
    expect(entries.every((e) => e.caller.kind === 'cli' && e.caller.detail === 'test')).toBe(true)

    // In the live log, Proctor's request and its answer share one request id (so the page can pair them), and carry their bytes.
    const events = await waitFor(() => {
      const all = traffic.values.flat()
      return all.some((e) => e.kind === 'error' && e.text.startsWith('TIMEOUT')) && all
    }, 3000, 'the timeout in the traffic stream')
    const asked = events.find((e) => e.kind === 'request' && e.from === 'proctor' && e.to === 'p:beta')!
    const answered = events.find((e) => e.kind === 'response' && e.from === 'p:beta')!
    expect(answered.requestId).toBe(asked.requestId)
    expect(asked.bytes).toBeGreaterThan(0)
    expect(events.find((e) => e.kind === 'send' && e.from === 'proctor')!.bytes).toBeGreaterThan(0)
    const timedOut = events.find((e) => e.kind === 'request' && e.from === 'proctor' && e.to === 'p:alpha')!
    expect(events.find((e) => e.kind === 'error' && e.text.startsWith('TIMEOUT'))!.requestId).toBe(timedOut.requestId)
    stop()
  })
})

describe('the broker service: identities', () => {
  it('registers a running process bound to its pid and start time; unregistering revokes the token and closes its connection', async () => {
    const h = await broker()
    const child = spawnIdle(uniqueArg())
    await waitFor(() => child.pid, 5000, 'the child')
    const reg = (await h.service.handlers.registerProcessForIPC({ pid: child.pid!, name: 'worker' }, caller)) as { id: string; token: string; socket: string; startTime: number }
    expect(reg).toMatchObject({ id: 'r:1', kind: 'registered', name: 'worker', pid: child.pid, connected: false, socket: h.socket() })
    expect(reg.startTime).toBeGreaterThan(0)
    const c = await RawClient.hello(reg.socket, reg.token)
    clients.push(c)
    expect(c.welcome).toMatchObject({ id: 'r:1', name: 'worker' })
    expect(h.service.overview().connections[0]).toMatchObject({ id: 'r:1', kind: 'registered', pid: child.pid })
    expect(h.service.overview().registrations[0]).toMatchObject({ id: 'r:1', connected: true })

    await expect(h.service.handlers.unregisterProcessFromIPC({ processId: 'r:1' }, caller)).resolves.toEqual({ unregistered: 'r:1', disconnected: true })
    expect(await c.refusal()).toMatchObject({ code: 'REVOKED' })
    const again = new RawClient(reg.socket)
    clients.push(again)
    again.send({ t: 'hello', token: reg.token })
    expect(await again.refusal()).toMatchObject({ code: 'UNAUTHORIZED' })
    expect(h.audit.read().filter((e) => e.action === 'ipc').map((e) => [e.verb, e.ok])).toEqual([
      ['register', true],
      ['unregister', true],
    ])
  })

  it('refuses a start time that is not the process\'s (STALE_PROCESS), a pid that runs nothing (NOT_FOUND), and a token whose process is gone', async () => {
    const h = await broker()
    const child = spawnIdle(uniqueArg())
    await waitFor(() => child.pid, 5000, 'the child')
    expect((await rejection(h.service.handlers.registerProcessForIPC({ pid: child.pid!, startTime: 12345 }, caller))).code).toBe('STALE_PROCESS')
    expect((await rejection(h.service.handlers.registerProcessForIPC({ pid: 2 ** 22 + 7 }, caller))).code).toBe('NOT_FOUND')

    const reg = (await h.service.handlers.registerProcessForIPC({ pid: child.pid! }, caller)) as { id: string; token: string; socket: string }
    child.kill('SIGKILL')
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, 5000, 'the child to die')
    const c = new RawClient(reg.socket)
    clients.push(c)
    c.send({ t: 'hello', token: reg.token })
    expect(await c.refusal()).toMatchObject({ code: 'STALE_PROCESS', message: expect.stringContaining('the token is revoked') })
    expect(h.service.overview().registrations).toEqual([])

    // A registration whose process is gone, never used, is dropped at the next registration.
    const other = spawnIdle(uniqueArg())
    await waitFor(() => other.pid, 5000, 'the other child')
    await h.service.handlers.registerProcessForIPC({ pid: other.pid! }, caller)
    other.kill('SIGKILL')
    await waitFor(() => other.exitCode !== null || other.signalCode !== null, 5000, 'the other child to die')
    await h.service.handlers.registerProcessForIPC({ pid: process.pid }, caller)
    expect(h.service.overview().registrations.map((r) => r.pid)).toEqual([process.pid])
  })

  it("renews a program's token for each run (the old run's refused and closed) and revokes it when the program is removed", async () => {
    const h = await broker()
    const first = h.service.programEnv('web')!
    const c1 = await RawClient.hello(first.PROCTOR_IPC_SOCKET, first.PROCTOR_IPC_TOKEN)
    clients.push(c1)
    const second = h.service.programEnv('web')!
    expect(second.PROCTOR_IPC_TOKEN).not.toBe(first.PROCTOR_IPC_TOKEN)
    expect(await c1.refusal()).toMatchObject({ code: 'REVOKED', message: expect.stringContaining('a new run of web') })
    const stale = new RawClient(first.PROCTOR_IPC_SOCKET)
    clients.push(stale)
    stale.send({ t: 'hello', token: first.PROCTOR_IPC_TOKEN })
    expect(await stale.refusal()).toMatchObject({ code: 'UNAUTHORIZED' })
    const c2 = await RawClient.hello(second.PROCTOR_IPC_SOCKET, second.PROCTOR_IPC_TOKEN)
    clients.push(c2)
    // One connection per identity.
    const twin = new RawClient(second.PROCTOR_IPC_SOCKET)
    clients.push(twin)
    twin.send({ t: 'hello', token: second.PROCTOR_IPC_TOKEN })
    expect(await twin.refusal()).toMatchObject({ code: 'ALREADY_CONNECTED' })

    h.service.forgetProgram('web')
    expect(await c2.refusal()).toMatchObject({ code: 'REVOKED', message: expect.stringContaining('removed') })
    expect(h.service.overview().registrations).toEqual([])
  })

  it('sends the overview every refresh while subscribed, and stops when unsubscribed', async () => {
    const h = await broker({ refreshInterval: 250 })
    const overviews = sink<IPCOverview>()
    const stop = h.service.streams.subscribeToIPCConnections(undefined, overviews)
    await new Promise((r) => setTimeout(r, 900))
    expect(overviews.values.length).toBeGreaterThanOrEqual(3)
    expect(overviews.values.length).toBeLessThanOrEqual(6)
    expect(overviews.values[0]).toMatchObject({ enabled: true, listening: true, caps: { maxConnections: 100, maxFrameBytes: 1048576, handshakeTimeoutMs: 2000, messageTimeout: 5000 } })
    stop()
    const n = overviews.values.length
    await new Promise((r) => setTimeout(r, 400))
    expect(overviews.values.length).toBe(n)
  })

  it('tells the supervisor of ready and heartbeats; the overview counts each connection and follows connects and disconnects at once', async () => {
    const h = await broker({ refreshInterval: 60_000 })
    const overviews = sink<IPCOverview>()
    const stop = h.service.streams.subscribeToIPCConnections(undefined, overviews)
    await waitFor(() => overviews.values.length > 0, 3000, 'the first overview')
    const readies: string[] = []
    h.service.onReady((p) => readies.push(p))
    const a = await program(h, 'alpha')
    await waitFor(() => overviews.values.at(-1)?.connections.length === 1, 3000, 'the overview on connect')
    expect(h.service.lastHeartbeat('alpha')).toBeUndefined()
    const before = Date.now()
    a.send({ t: 'heartbeat' })
    a.send({ t: 'ready' })
    await waitFor(() => readies.length === 1, 3000, 'ready')
    expect(readies).toEqual(['alpha'])
    expect(h.service.lastHeartbeat('alpha')).toBeGreaterThanOrEqual(before)
    const conn = h.service.overview().connections[0]!
    expect(conn).toMatchObject({ id: 'p:alpha', kind: 'program', program: 'alpha', ready: true, messagesIn: 2, messagesOut: 1 })
    expect(conn.bytesIn).toBeGreaterThan(0)
    expect(h.service.overview().totals.messages).toBe(2)
    a.destroy()
    await waitFor(() => overviews.values.at(-1)?.connections.length === 0, 3000, 'the overview on disconnect')
    stop()
  })
})
