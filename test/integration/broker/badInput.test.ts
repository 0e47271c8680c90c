import { chmodSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IPCTrafficEvent } from '../../../src/shared/broker/status'
import { NOBODY, runFixtureAs, whyUserCannotRunFixtures } from '../../helpers/asUser'
import { waitFor } from '../../helpers/wait'
import { RawClient, startBroker, type Frame, type Harness } from './harness'

/**
 * Bad input on real sockets: each offender is told why in an error frame,
 * then closed; meanwhile a witness pair of clients exchanges numbered
 * messages through the same broker, and not one of them may be lost.
 */

const MAX_CONNECTIONS = 50

let h: Harness
let path: string
let sender: RawClient
let receiver: RawClient
let sent = 0
let pump: NodeJS.Timeout
const offenders: RawClient[] = []
const traffic: IPCTrafficEvent[] = []

function offender(): RawClient {
  const c = new RawClient(path)
  offenders.push(c)
  return c
}

function header(length: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(length)
  return b
}

beforeAll(async () => {
  h = await startBroker({ ipcConfig: { maxConnections: MAX_CONNECTIONS } })
  path = h.socket()
  h.service.streams.subscribeToIPCTraffic(undefined, { next: (b) => traffic.push(...b), error: () => {}, complete: () => {} })
  const a = h.service.programEnv('witness-a')!
  const b = h.service.programEnv('witness-b')!
  sender = await RawClient.hello(a.PROCTOR_IPC_SOCKET, a.PROCTOR_IPC_TOKEN)
  receiver = await RawClient.hello(b.PROCTOR_IPC_SOCKET, b.PROCTOR_IPC_TOKEN)
  pump = setInterval(() => {
    for (let i = 0; i < 5; i++) sender.send({ t: 'send', to: 'witness-b', payload: { seq: ++sent } })
  }, 5)
})

afterAll(async () => {
  clearInterval(pump)
  for (const c of offenders) c.destroy()
  sender?.destroy()
  receiver?.destroy()
  h?.close()
})

describe('the broker refuses bad input with a reason and keeps serving everyone else', () => {
  it('refuses a hello without a token, a first frame that is no hello, a wrong token and a revoked one', async () => {
    const none = offender()
    none.send({ t: 'hello' })
    expect(await none.refusal()).toMatchObject({ t: 'error', code: 'UNAUTHORIZED', fatal: true, message: expect.stringContaining('no token') })
    const notHello = offender()
    notHello.send({ t: 'send', to: 'witness-b', payload: 'sneak' })
    expect(await notHello.refusal()).toMatchObject({ code: 'HANDSHAKE_REQUIRED' })
    const wrong = offender()
    wrong.send({ t: 'hello', token: 'x'.repeat(32) })
    expect(await wrong.refusal()).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('unknown or revoked') })
    const old = h.service.programEnv('twice')!
    h.service.programEnv('twice')
    const revoked = offender()
    revoked.send({ t: 'hello', token: old.PROCTOR_IPC_TOKEN })
    expect(await revoked.refusal()).toMatchObject({ code: 'UNAUTHORIZED' })
  })

  it('closes a connection that does not shake hands within 2 s, also one holding a frame half-sent', async () => {
    const t0 = Date.now()
    const silent = offender()
    const half = offender()
    half.write(Buffer.concat([header(100), Buffer.from('{"t":"hel')]))
    const [a, b] = await Promise.all([silent.refusal(4000), half.refusal(4000)])
    expect(a).toMatchObject({ code: 'HANDSHAKE_TIMEOUT', message: expect.stringContaining('2000 ms') })
    expect(b).toMatchObject({ code: 'HANDSHAKE_TIMEOUT' })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900)
  })

  it('refuses a length prefix over the cap on its 4 bytes alone, and an oversized frame sent whole', async () => {
    const prefix = offender()
    prefix.write(header(0xffffffff))
    expect(await prefix.refusal()).toMatchObject({ code: 'FRAME_TOO_LARGE', message: 'frame too large: 4294967295 bytes (limit 1048576)' })
    const whole = await RawClient.hello(path, h.service.programEnv('big')!.PROCTOR_IPC_TOKEN)
    offenders.push(whole)
    const body = Buffer.alloc(1024 * 1024 + 1, 0x20)
    whole.write(Buffer.concat([header(body.length), body]))
    expect(await whole.refusal()).toMatchObject({ code: 'FRAME_TOO_LARGE', message: expect.stringContaining('1048577 bytes') })
  })

  it('refuses garbage bytes, invalid UTF-8, invalid JSON and JSON that is no message, before and after the handshake', async () => {
    const http = offender()
    http.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(await http.refusal()).toMatchObject({ code: 'FRAME_TOO_LARGE' })
    const cases: Array<[string, Buffer, string]> = [
      ['garbage', Buffer.concat([header(6), Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x10, 0x03])]), 'not JSON'],
      ['invalid UTF-8', Buffer.concat([header(3), Buffer.from([0xff, 0xfe, 0xfd])]), 'not valid UTF-8'],
      ['overlong UTF-8', Buffer.concat([header(4), Buffer.from([0x22, 0xc0, 0xaf, 0x22])]), 'not valid UTF-8'],
      ['invalid JSON', Buffer.concat([header(5), Buffer.from('{nope')]), 'not JSON'],
      ['no object', Buffer.concat([header(7), Buffer.from('[1,2,3]')]), 'JSON object with a string "t"'],
    ]
    for (const [what, bytes, message] of cases) {
      const before = offender()
      before.write(bytes)
      expect(await before.refusal(), what).toMatchObject({ code: 'BAD_FRAME', message: expect.stringContaining(message) })
      const after = await RawClient.hello(path, h.service.programEnv(`bad-${what.replace(/\W/g, '-')}`)!.PROCTOR_IPC_TOKEN)
      offenders.push(after)
      after.write(bytes)
      expect(await after.refusal(), what).toMatchObject({ code: 'BAD_FRAME', message: expect.stringContaining(message) })
    }
  })

  it('answers an unknown message type with a reason and goes on serving the connection', async () => {
    const c = await RawClient.hello(path, h.service.programEnv('curious')!.PROCTOR_IPC_TOKEN)
    offenders.push(c)
    c.send({ t: 'subscribe', topic: 'everything' })
    expect(await c.next((f) => f.t === 'error')).toMatchObject({ code: 'BAD_MESSAGE', message: expect.stringContaining('unknown message type "subscribe"') })
    c.send({ t: 'send', payload: 1 })
    await c.next((f) => f.t === 'error' && String(f.message).includes('"to"'))
    c.send({ t: 'request', to: 'proctor', id: 1, payload: { ping: 1 } })
    expect(await c.next((f) => f.t === 'response')).toMatchObject({ payload: { pong: true } })
    expect(c.closed).toBe(false)
  })

  it('answers a payload too deeply nested to forward with a reason (it once would have thrown in the broker)', async () => {
    const c = await RawClient.hello(path, h.service.programEnv('deep')!.PROCTOR_IPC_TOKEN)
    offenders.push(c)
    const depth = 200_000
    // Not the compact form, so the broker serializes the payload again.
    const text = `{"payload":${'['.repeat(depth)}${']'.repeat(depth)},"to":"witness-b","t":"send","id":"d"}`
    c.write(Buffer.concat([header(text.length), Buffer.from(text)]))
    expect(await c.next((f) => f.t === 'error')).toMatchObject({ code: 'BAD_MESSAGE', re: 'd', message: expect.stringContaining('cannot be forwarded') })
    c.send({ t: 'request', to: 'proctor', id: 1, payload: { ping: 1 } })
    expect(await c.next((f) => f.t === 'response')).toMatchObject({ payload: { pong: true } })
  })

  it('holds a frame half-sent after the handshake in a bounded buffer, and carries on when the rest comes', async () => {
    const c = await RawClient.hello(path, h.service.programEnv('halting')!.PROCTOR_IPC_TOKEN)
    offenders.push(c)
    const frame = Buffer.from(JSON.stringify({ t: 'send', to: 'witness-b', payload: { split: true } }))
    c.write(Buffer.concat([header(frame.length), frame.subarray(0, 10)]))
    await new Promise((r) => setTimeout(r, 300))
    expect(c.closed).toBe(false)
    c.write(frame.subarray(10))
    await receiver.next((f) => f.t === 'message' && f.from === 'p:halting', 'the split frame')
  })

  it('turns away 1000 connection attempts beyond maxConnections, each with a reason', async () => {
    const filler: RawClient[] = []
    const free = MAX_CONNECTIONS - h.service.overview().connections.length - h.service.overview().handshaking
    for (let i = 0; i < free; i++) filler.push(offender())
    await waitFor(() => h.service.overview().handshaking === free, 5000, 'the filler connections')
    const rejectedBefore = h.service.overview().totals.rejected
    const reasons: Frame[] = []
    for (let batch = 0; batch < 10; batch++) {
      const attempts = Array.from({ length: 100 }, () => new RawClient(path))
      reasons.push(...(await Promise.all(attempts.map((c) => c.refusal(10_000)))))
      for (const c of attempts) c.destroy()
    }
    expect(reasons).toHaveLength(1000)
    expect(reasons.every((r) => r.code === 'TOO_MANY_CONNECTIONS' && String(r.message).includes(`serves ${MAX_CONNECTIONS} connections`))).toBe(true)
    expect(h.service.overview().totals.rejected - rejectedBefore).toBe(1000)
    for (const c of filler) c.destroy()
    await waitFor(() => h.service.overview().handshaking === 0, 5000, 'the filler to go')
  })

  it.runIf(process.getuid?.() === 0 && whyUserCannotRunFixtures() === undefined)('keeps another user (nobody) from even connecting: the folder is 0700', () => {
    // The temp folder above the runtime folder opened up, so the runtime folder's own 0700 is what stops it.
    chmodSync(dirname(h.runtimeDir), 0o755)
    const { result } = runFixtureAs(resolve(__dirname, 'fixtures/connectAs.ts'), [path])
    expect(JSON.parse(result.stdout)).toEqual({ connected: false, code: 'EACCES', uid: NOBODY })
    expect(h.service.overview().handshaking).toBe(0)
  })

  it('lost no message of the witness pair through all of it', async () => {
    clearInterval(pump)
    const total = sent
    await receiver.next((f) => f.t === 'message' && (f.payload as { seq?: number }).seq === total, `message ${total}`, 10_000)
    const seqs = receiver.frames.filter((f) => f.t === 'message' && f.from === 'p:witness-a').map((f) => (f.payload as { seq: number }).seq)
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(total).toBeGreaterThan(500)
    expect(sender.closed || receiver.closed).toBe(false)
    // The refusals reached the traffic log with their reasons (a batch holds 500; the rest are counted in a note).
    expect(traffic.filter((e) => e.kind === 'rejected' && e.text.startsWith('TOO_MANY_CONNECTIONS: ')).length).toBeGreaterThan(100)
    expect(traffic.some((e) => e.kind === 'rejected' && e.text.startsWith('HANDSHAKE_TIMEOUT: '))).toBe(true)
  })
})

describe('slow consumers', () => {
  it('drops a connection that lets more than maxQueuedBytes pile up, with a reason; a paused sender resumes', async () => {
    const s = await startBroker({}, { maxQueuedBytes: 256 * 1024, stallMs: 400 })
    try {
      const seen: IPCTrafficEvent[] = []
      s.service.streams.subscribeToIPCTraffic(undefined, { next: (b) => seen.push(...b), error: () => {}, complete: () => {} })
      const lazy = await RawClient.hello(s.socket(), s.service.programEnv('lazy')!.PROCTOR_IPC_TOKEN)
      const busy = await RawClient.hello(s.socket(), s.service.programEnv('busy')!.PROCTOR_IPC_TOKEN)
      lazy.socket.pause()
      // Broadcasts are not paused for anyone: the queue grows to the cap.
      const payload = 'y'.repeat(16 * 1024)
      for (let i = 0; i < 400 && s.service.overview().connections.some((c) => c.id === 'p:lazy'); i++) {
        await s.service.handlers.broadcastIPCMessage({ payload }, { kind: 'internal' })
        // A turn of the event loop, so the clients (in this process) read.
        await new Promise((r) => setImmediate(r))
      }
      await waitFor(() => seen.find((e) => e.kind === 'disconnect' && e.from === 'p:lazy'), 3000, 'lazy to be dropped')
      expect(seen.find((e) => e.from === 'p:lazy' && e.kind === 'disconnect')!.text).toMatch(/^SLOW_CONSUMER: more than 262144 bytes queued/)
      expect(busy.closed).toBe(false)

      // A unicast sender is paused while its target is over the high-water mark; the target is dropped when it stalls.
      const stuck = await RawClient.hello(s.socket(), s.service.programEnv('stuck')!.PROCTOR_IPC_TOKEN)
      stuck.socket.pause()
      for (let i = 0; i < 40; i++) busy.send({ t: 'send', to: 'stuck', payload })
      await waitFor(() => seen.find((e) => e.kind === 'disconnect' && e.from === 'p:stuck'), 3000, 'stuck to be dropped')
      expect(seen.find((e) => e.from === 'p:stuck' && e.kind === 'disconnect')!.text).toMatch(/^SLOW_CONSUMER: .* stayed queued .* for 400 ms/)
      busy.send({ t: 'request', to: 'proctor', id: 'after', payload: { ping: 1 } })
      expect(await busy.next((f) => f.id === 'after')).toMatchObject({ payload: { pong: true } })
      lazy.destroy()
      stuck.destroy()
      busy.destroy()
    } finally {
      s.close()
    }
  })
})
