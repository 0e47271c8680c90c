import { describe, expect, it } from 'vitest'
import { BacklogLimits } from '../../../src/shared/rpc/backlog'
import { Inbox, type ChannelReceiver } from '../../../src/shared/rpc/channel'
import { loopbackPair } from '../../../src/shared/rpc/loopback'
import { BINARY_FRAME, MAX_CLIENT_MESSAGE, receiveText } from '../../../src/shared/rpc/textCodec'
import { socketChannel, type CloseInfo, type SocketLike } from '../../../src/shared/rpc/wsClient'

/** A receiver that writes down what it is handed. */
function recorder() {
  const got: unknown[] = []
  const receiver: ChannelReceiver = {
    message: (data) => got.push(data),
    unreadable: (reason) => got.push({ unreadable: reason }),
    closed: () => got.push('closed'),
  }
  return { got, receiver }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('Inbox', () => {
  it('has one receiver, delivers nothing after the close, and tells the close once', () => {
    const inbox = new Inbox()
    const { got, receiver } = recorder()
    inbox.set(receiver)
    expect(() => inbox.set(receiver)).toThrow(/one receiver/)
    inbox.message(1)
    inbox.closed()
    inbox.closed()
    inbox.message(2)
    inbox.unreadable('late')
    expect(got).toEqual([1, 'closed'])
  })
})

describe('loopbackPair', () => {
  it('delivers later, in order, as a JSON round trip: what would not survive a wire does not here either', async () => {
    const [a, b] = loopbackPair<object, object>()
    const { got, receiver } = recorder()
    b.receive(receiver)
    const sent = { n: 1, when: new Date(0), gone: undefined, nested: { list: [1, 2] } }
    a.send(sent)
    a.send({ n: 2 })
    expect(got).toEqual([])
    await settle()
    expect(got).toEqual([{ n: 1, when: '1970-01-01T00:00:00.000Z', nested: { list: [1, 2] } }, { n: 2 }])
    expect(got[0]).not.toBe(sent)
  })

  it('a message that cannot be serialised throws at send, and the channel goes on', async () => {
    const [a, b] = loopbackPair<object, object>()
    const { got, receiver } = recorder()
    b.receive(receiver)
    expect(() => a.send({ big: 1n })).toThrow()
    a.send({ ok: true })
    await settle()
    expect(got).toEqual([{ ok: true }])
  })

  it('closing one end closes both, after what was already sent, and each is told once', async () => {
    const [a, b] = loopbackPair<object, object>()
    const left = recorder()
    const right = recorder()
    a.receive(left.receiver)
    b.receive(right.receiver)
    a.send({ last: true })
    a.close()
    a.send({ after: true })
    await settle()
    b.close()
    await settle()
    expect(left.got).toEqual(['closed'])
    expect(right.got).toEqual([{ last: true }, 'closed'])
  })
})

describe('the text codec', () => {
  it('hands a JSON frame over as its value, and says why another frame holds no message', () => {
    const { got, receiver } = recorder()
    receiveText(receiver, '{"t":"call","id":1}')
    receiveText(receiver, 'not json')
    receiveText(receiver, 'x'.repeat(11), 10)
    expect(got).toEqual([
      { t: 'call', id: 1 },
      { unreadable: expect.stringMatching(/^malformed message: not JSON/) },
      { unreadable: 'message too large: 11 characters (limit 10)' },
    ])
    expect(MAX_CLIENT_MESSAGE).toBe(1 << 20)
  })
})

/** A socket as the browser's WebSocket behaves, driven by the test. */
class FakeSocket implements SocketLike {
  readyState = 1
  readonly sent: string[] = []
  closeCalls = 0
  private readonly listeners = new Map<string, Array<(event?: unknown) => void>>()

  send(data: string): void {
    this.sent.push(data)
  }
  close(): void {
    this.closeCalls++
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener as (event?: unknown) => void])
  }
  emit(type: 'message' | 'close' | 'error', event?: { data: unknown } | CloseInfo): void {
    for (const l of this.listeners.get(type) ?? []) l(event)
  }
}

describe('the WebSocket client’s channel', () => {
  it('sends JSON text, reads text frames, refuses binary ones, and closes with the socket', () => {
    const ws = new FakeSocket()
    const channel = socketChannel(ws)
    const { got, receiver } = recorder()
    channel.receive(receiver)
    channel.send({ t: 'unsub', id: 3 })
    expect(ws.sent).toEqual(['{"t":"unsub","id":3}'])
    ws.emit('message', { data: '{"t":"ready"}' })
    ws.emit('message', { data: new ArrayBuffer(2) })
    ws.emit('error')
    ws.emit('close', { code: 1006, reason: '' })
    expect(got).toEqual([{ t: 'ready' }, { unreadable: BINARY_FRAME }, 'closed'])
    channel.close()
    expect(ws.closeCalls).toBe(1)
  })

  it('drops what it is given while the socket is not open: the socket’s close follows', () => {
    const ws = new FakeSocket()
    ws.readyState = 2
    socketChannel(ws).send({ t: 'unsub', id: 1 })
    expect(ws.sent).toEqual([])
  })
})

describe('BacklogLimits', () => {
  const limits = new BacklogLimits(100, 1000)
  const event = { t: 'event', id: 1, seq: 1, payload: null } as const
  const result = { t: 'result', id: 1, result: { ok: true, value: null } } as const

  it('sends while the client reads; past soft, skips events but still answers; past hard, drops the client', () => {
    expect([limits.verdict(event, 100), limits.verdict(result, 100)]).toEqual(['send', 'send'])
    expect([limits.verdict(event, 101), limits.verdict(result, 101)]).toEqual(['skip', 'send'])
    expect([limits.verdict(event, 1001), limits.verdict(result, 1001)]).toEqual(['drop-client', 'drop-client'])
  })

  it('refuses new calls past soft with QUEUE_FULL naming what is unread and the limit', () => {
    expect(limits.refusal(100)).toBeUndefined()
    expect(new BacklogLimits(256 * 1024, 1 << 30).refusal(3 * 1024 * 1024)).toEqual({
      code: 'QUEUE_FULL',
      message: 'this client has 3.0 MiB of results and events it has not read (the limit is 256 KiB): new calls are refused until it catches up',
      details: { bufferedBytes: 3 * 1024 * 1024, limit: 256 * 1024 },
    })
  })
})
