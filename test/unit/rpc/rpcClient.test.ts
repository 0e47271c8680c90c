import { describe, expect, it } from 'vitest'
import type { ChannelReceiver } from '../../../src/shared/rpc/channel'
import type { ErrorInfo } from '../../../src/shared/errors'
import { loopbackPair } from '../../../src/shared/rpc/loopback'
import type { ClientMessage, ServerMessage } from '../../../src/shared/rpc/protocol'
import { RpcClient } from '../../../src/shared/rpc/rpcClient'

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

/** A channel whose server end the test plays by hand: what the client sent, and a way to answer. */
function scriptedChannel() {
  const [serverEnd, clientEnd] = loopbackPair<ServerMessage, ClientMessage>()
  const sent: ClientMessage[] = []
  let closed = false
  const receiver: ChannelReceiver = {
    message: (m) => sent.push(m as ClientMessage),
    unreadable: () => {},
    closed: () => (closed = true),
  }
  serverEnd.receive(receiver)
  return {
    clientEnd,
    sent,
    isClosed: () => closed,
    answer: async (message: ServerMessage) => {
      serverEnd.send(message)
      await settle()
    },
    drop: async () => {
      serverEnd.close()
      await settle()
    },
  }
}

describe('RpcClient', () => {
  it('waiting for ready, sends nothing; then opens its subscriptions and sends the queued calls, in order', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    let ready = 0
    client.connect(server.clientEnd, { awaitReady: true, onReady: () => ready++ })
    const answered = client.call('getSettings', undefined)
    client.subscribe('subscribeToMetrics', undefined, () => {}, () => {})
    await settle()
    expect(server.sent).toEqual([])
    await server.answer({ t: 'ready' })
    await server.answer({ t: 'ready' })
    expect(ready).toBe(1)
    expect(server.sent).toEqual([
      { t: 'sub', id: 2, topic: 'subscribeToMetrics' },
      { t: 'call', id: 1, name: 'getSettings' },
    ])
    await server.answer({ t: 'result', id: 1, result: { ok: true, value: 'settings' } })
    expect(await answered).toEqual({ ok: true, value: 'settings' })
  })

  it('matches events and ends to their subscription; unsubscribing tells the server once', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    client.connect(server.clientEnd)
    const events: unknown[] = []
    const ends: Array<ErrorInfo | undefined> = []
    const stop = client.subscribe('watchProcess', { pid: 1 }, (e) => events.push(e), (e) => ends.push(e))
    const other = client.subscribe('subscribeToMetrics', undefined, () => {}, (e) => ends.push(e))
    await server.answer({ t: 'event', id: 1, seq: 1, payload: 'a' })
    await server.answer({ t: 'event', id: 9, seq: 1, payload: 'stray' })
    await server.answer({ t: 'end', id: 2, error: { code: 'UNAVAILABLE', message: 'stopped' } })
    stop()
    stop()
    other()
    await settle()
    expect(events).toEqual(['a'])
    expect(ends).toEqual([{ code: 'UNAVAILABLE', message: 'stopped' }])
    expect(server.sent.filter((m) => m.t === 'unsub')).toEqual([{ t: 'unsub', id: 1 }])
  })

  it('a subscription whose events skip a number drops that event, is told how many it missed, and starts over in place of the old one', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    client.connect(server.clientEnd)
    const events: unknown[] = []
    const missed: number[] = []
    const stop = client.subscribe('subscribeToProcessDeltas', undefined, (e) => events.push(e), () => {}, (n) => missed.push(n))
    await server.answer({ t: 'event', id: 1, seq: 1, payload: 'snapshot' })
    await server.answer({ t: 'event', id: 1, seq: 2, payload: 'change 2' })
    await server.answer({ t: 'event', id: 1, seq: 5, payload: 'change 5' })
    // Sent before the server saw the new subscription: the old one's events are not taken any more.
    await server.answer({ t: 'event', id: 1, seq: 6, payload: 'change 6' })
    await server.answer({ t: 'event', id: 2, seq: 1, payload: 'snapshot again' })
    await server.answer({ t: 'event', id: 2, seq: 2, payload: 'change 1' })
    expect(events).toEqual(['snapshot', 'change 2', 'snapshot again', 'change 1'])
    expect(missed).toEqual([2])
    expect(server.sent).toEqual([
      { t: 'sub', id: 1, topic: 'subscribeToProcessDeltas' },
      { t: 'sub', id: 2, topic: 'subscribeToProcessDeltas', replaces: 1 },
    ])
    // Unsubscribing ends it under the id it has now.
    stop()
    await settle()
    expect(server.sent.at(-1)).toEqual({ t: 'unsub', id: 2 })
  })

  it('numbers start from 1 again on a new channel', async () => {
    const client = new RpcClient()
    const first = scriptedChannel()
    client.connect(first.clientEnd)
    const events: unknown[] = []
    const missed: number[] = []
    client.subscribe('subscribeToMetrics', undefined, (e) => events.push(e), () => {}, (n) => missed.push(n))
    await first.answer({ t: 'event', id: 1, seq: 1, payload: 'a' })
    await first.answer({ t: 'event', id: 1, seq: 2, payload: 'b' })
    await first.drop()
    const second = scriptedChannel()
    client.connect(second.clientEnd)
    await second.answer({ t: 'event', id: 1, seq: 1, payload: 'c' })
    expect(events).toEqual(['a', 'b', 'c'])
    expect(missed).toEqual([])
  })

  it('a subscriber that throws does not break the channel for the others', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    client.connect(server.clientEnd)
    const got: unknown[] = []
    client.subscribe('subscribeToMetrics', undefined, () => {
      throw new Error('a bug in the page')
    }, () => {})
    client.subscribe('subscribeToMetrics', undefined, (e) => got.push(e), () => {})
    await server.answer({ t: 'event', id: 1, seq: 1, payload: 'a' })
    await server.answer({ t: 'event', id: 2, seq: 1, payload: 'b' })
    expect(got).toEqual(['b'])
  })

  it('a refused subscription ends with its error; an error message with an id fails its call or ends its stream', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    client.connect(server.clientEnd)
    const ends: Array<ErrorInfo | undefined> = []
    client.subscribe('subscribeToMetrics', undefined, () => {}, (e) => ends.push(e))
    client.subscribe('subscribeToMetrics', undefined, () => {}, (e) => ends.push(e))
    const call = client.call('getSettings', undefined)
    const full: ErrorInfo = { code: 'QUEUE_FULL', message: 'too many' }
    const bad: ErrorInfo = { code: 'INVALID_ARGUMENT', message: 'malformed message' }
    await server.answer({ t: 'result', id: 1, result: { ok: false, error: full } })
    await server.answer({ t: 'error', id: 2, error: bad })
    await server.answer({ t: 'error', id: 3, error: bad })
    await server.answer({ t: 'error', error: bad })
    expect(ends).toEqual([full, bad])
    expect(await call).toEqual({ ok: false, error: bad })
  })

  it('a channel that closes fails calls in flight with UNAVAILABLE; queued calls never run later; subscriptions open again on the next channel', async () => {
    const client = new RpcClient('the Proctor host')
    const first = scriptedChannel()
    client.connect(first.clientEnd)
    client.subscribe('subscribeToMetrics', undefined, () => {}, () => {})
    const inFlight = client.call('getSettings', undefined)
    await settle()
    await first.drop()
    expect(await inFlight).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'connection to the Proctor host was lost' } })
    // Made while no channel is served: queued, and failed when the next channel closes before serving.
    const second = scriptedChannel()
    client.connect(second.clientEnd, { awaitReady: true })
    const queued = client.call('updateSettings', { refreshInterval: 2000 })
    await second.drop()
    expect(await queued).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    const third = scriptedChannel()
    client.connect(third.clientEnd, { awaitReady: true })
    await third.answer({ t: 'ready' })
    expect(third.sent).toEqual([{ t: 'sub', id: 1, topic: 'subscribeToMetrics' }])
  })

  it('a message the channel cannot carry fails only its own call or stream, with INVALID_ARGUMENT', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    client.connect(server.clientEnd)
    expect(await client.call('updateSettings', { big: 1n })).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^updateSettings: the request could not be sent/) },
    })
    const ends: Array<ErrorInfo | undefined> = []
    client.subscribe('watchProcess', { pid: 1n }, () => {}, (e) => ends.push(e))
    // Told later, never before subscribe() returns.
    expect(ends).toEqual([])
    await settle()
    expect(ends).toEqual([{ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^watchProcess: the request could not be sent/) }])
    const fine = client.call('getSettings', undefined)
    await settle()
    await server.answer({ t: 'result', id: server.sent.at(-1)!.id, result: { ok: true, value: 1 } })
    expect(await fine).toEqual({ ok: true, value: 1 })
  })

  it('close(): calls in flight and later ones fail with UNAVAILABLE, and the channel closes', async () => {
    const client = new RpcClient()
    const server = scriptedChannel()
    client.connect(server.clientEnd)
    const inFlight = client.call('getSettings', undefined)
    client.close()
    expect(await inFlight).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'the connection is closed' } })
    expect(await client.call('getSettings', undefined)).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'the connection is closed' } })
    await settle()
    expect(server.isClosed()).toBe(true)
  })
})
