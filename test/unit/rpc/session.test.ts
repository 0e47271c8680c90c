import { describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import type { ChannelReceiver } from '../../../src/shared/rpc/channel'
import { loopbackPair } from '../../../src/shared/rpc/loopback'
import type { ClientMessage, ServerMessage } from '../../../src/shared/rpc/protocol'
import { RpcSession, type SessionLimits } from '../../../src/shared/rpc/session'
import type { ErrorInfo } from '../../../src/shared/errors'
import { stubRouter } from '../../helpers/stubRouter'

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const caller = { kind: 'browser', detail: '127.0.0.1:5000' } as const

/** A session over a loopback channel; the test is the client, in raw messages. */
function served(limits?: SessionLimits, options: Parameters<typeof stubRouter>[0] = {}) {
  const stub = stubRouter(options)
  const [serverEnd, clientEnd] = loopbackPair<ServerMessage, ClientMessage>()
  const session = new RpcSession(stub.router, serverEnd, caller, limits)
  const got: Array<ServerMessage | 'closed'> = []
  const receiver: ChannelReceiver = {
    message: (m) => got.push(m as ServerMessage),
    unreadable: () => {},
    closed: () => got.push('closed'),
  }
  clientEnd.receive(receiver)
  const send = async (message: unknown) => {
    clientEnd.send(message as ClientMessage)
    await settle()
  }
  return { stub, session, serverEnd, clientEnd, got, send }
}

const topic = 'subscribeToMetrics'
const ok = (id: number, value: unknown) => ({ t: 'result', id, result: { ok: true, value } })

describe('RpcSession over a loopback channel', () => {
  it('says ready first, answers each call with the router’s envelope, and records the caller the transport gave', async () => {
    const { send, got, stub } = served()
    await send({ t: 'call', id: 1, name: 'getSettings' })
    await send({ t: 'call', id: 2, name: 'updateSettings', arg: { refreshInterval: 2000 } })
    expect(got).toEqual([{ t: 'ready' }, ok(1, { name: 'getSettings', arg: null }), ok(2, { name: 'updateSettings', arg: { refreshInterval: 2000 } })])
    expect(stub.calls.map((c) => c.caller)).toEqual([caller, caller])
  })

  it('answers a malformed message or an unreadable frame with INVALID_ARGUMENT, with its id when it has one, and keeps serving', async () => {
    const { send, got, session, stub } = served()
    await send({ t: 'call', id: 1 })
    await send({ t: 'teleport', id: 2 })
    await send(null)
    session.unreadable('message too large: 2000000 characters (limit 1048576)')
    await send({ t: 'call', id: 3, name: 'getSettings', caller: { kind: 'cli' } })
    await send({ t: 'call', id: 4, name: 'getSettings' })
    const invalid = (id: number | undefined, message: RegExp | string) =>
      id === undefined ? { t: 'error', error: { code: 'INVALID_ARGUMENT', message } } : { t: 'error', id, error: { code: 'INVALID_ARGUMENT', message } }
    expect(got.slice(1)).toEqual([
      invalid(1, expect.stringMatching(/^malformed message: name/)),
      invalid(2, expect.stringMatching(/^malformed message: t/)),
      invalid(undefined, expect.stringMatching(/^malformed message/)),
      invalid(undefined, 'message too large: 2000000 characters (limit 1048576)'),
      invalid(3, expect.stringMatching(/^malformed message: .*caller/)),
      ok(4, { name: 'getSettings', arg: null }),
    ])
    expect(stub.calls).toHaveLength(1)
  })

  it('caps live subscriptions with QUEUE_FULL naming the cap; unsubscribing always works and makes room', async () => {
    const { send, got, session } = served({ maxSubscriptions: 2 })
    for (const id of [1, 2, 3]) await send({ t: 'sub', id, topic })
    expect(got.slice(1)).toEqual([
      ok(1, null),
      ok(2, null),
      { t: 'result', id: 3, result: { ok: false, error: { code: 'QUEUE_FULL', message: expect.stringMatching(/limit is 2/), details: { limit: 2 } } } },
    ])
    expect(session.subscriptionCount).toBe(2)
    await send({ t: 'unsub', id: 1 })
    await send({ t: 'sub', id: 4, topic })
    expect(got.slice(-2)).toEqual([ok(1, true), ok(4, null)])
  })

  it('refuses calls and new subscriptions while the transport says it is busy; unsubscribing still works', async () => {
    const busy: ErrorInfo = { code: 'QUEUE_FULL', message: 'far behind' }
    let behind = false
    const { send, got, stub } = served({ busy: () => (behind ? busy : undefined) })
    await send({ t: 'sub', id: 1, topic })
    behind = true
    await send({ t: 'call', id: 2, name: 'getSettings' })
    await send({ t: 'sub', id: 3, topic })
    await send({ t: 'unsub', id: 1 })
    expect(got.slice(2)).toEqual([
      { t: 'result', id: 2, result: { ok: false, error: busy } },
      { t: 'result', id: 3, result: { ok: false, error: busy } },
      ok(1, true),
    ])
    expect(stub.calls).toEqual([])
  })

  it('numbers the events of each subscription from 1, counting those the channel did not carry', async () => {
    const { send, got, stub, serverEnd } = served()
    await send({ t: 'sub', id: 1, topic })
    await send({ t: 'sub', id: 2, topic })
    const [first, second] = stub.sinks.get(topic)!
    // The channel holds back the second event of subscription 1 (as the host does for a client far behind).
    const send0 = serverEnd.send.bind(serverEnd)
    let held = 0
    serverEnd.send = (m) => (m.t === 'event' && m.id === 1 && m.seq === 2 && ++held ? undefined : send0(m))
    first!.next('a')
    first!.next('b')
    second!.next('x')
    first!.next('c')
    await settle()
    expect(held).toBe(1)
    expect(got.slice(3)).toEqual([
      { t: 'event', id: 1, seq: 1, payload: 'a' },
      { t: 'event', id: 2, seq: 1, payload: 'x' },
      { t: 'event', id: 1, seq: 3, payload: 'c' },
    ])
  })

  it('a subscription that replaces a live one ends it and starts, even while the transport is busy or at its cap', async () => {
    const busy: ErrorInfo = { code: 'QUEUE_FULL', message: 'far behind' }
    let behind = false
    const { send, got, stub, session } = served({ busy: () => (behind ? busy : undefined), maxSubscriptions: 1 })
    await send({ t: 'sub', id: 1, topic })
    behind = true
    await send({ t: 'sub', id: 2, topic, replaces: 1 })
    expect(stub.stopped).toBe(1)
    expect(session.subscriptionCount).toBe(1)
    stub.sinks.get(topic)![1]!.next('whole again')
    // Replacing one that is not live is a new subscription like any other: refused while busy.
    await send({ t: 'sub', id: 3, topic, replaces: 1 })
    expect(got.slice(2)).toEqual([
      ok(2, null),
      { t: 'event', id: 2, seq: 1, payload: 'whole again' },
      { t: 'result', id: 3, result: { ok: false, error: busy } },
    ])
  })

  it('streams events until the server ends the stream, and ends with the error if the source failed', async () => {
    const { send, got, stub } = served()
    await send({ t: 'sub', id: 1, topic })
    const sink = stub.sinks.get(topic)![0]!
    sink.next({ n: 1 })
    sink.error(new ProctorError('UNAVAILABLE', 'the sampler stopped'))
    sink.next({ n: 2 })
    await settle()
    expect(got.slice(2)).toEqual([
      { t: 'event', id: 1, seq: 1, payload: { n: 1 } },
      { t: 'end', id: 1, error: { code: 'UNAVAILABLE', message: 'the sampler stopped' } },
    ])
  })

  it('a source that fails at once is answered ok, then ended, and leaves nothing open', async () => {
    const { send, got, session } = served({}, { failOnSubscribe: new Error('no /proc') })
    await send({ t: 'sub', id: 1, topic })
    expect(got.slice(1)).toEqual([ok(1, null), { t: 'end', id: 1, error: { code: 'INTERNAL', message: 'internal error: no /proc' } }])
    expect(session.subscriptionCount).toBe(0)
  })

  it('a channel that closes ends every stream of its client; nothing more is sent', async () => {
    const { send, got, stub, clientEnd } = served()
    await send({ t: 'sub', id: 1, topic })
    await send({ t: 'sub', id: 2, topic })
    clientEnd.close()
    await settle()
    expect(stub.stopped).toBe(2)
    stub.sinks.get(topic)![0]!.next('late')
    await settle()
    expect(got.filter((m) => m !== 'closed' && m.t === 'event')).toEqual([])
  })

  it('whatever fails while a message is handled is answered to it, never thrown at the transport', async () => {
    const { send, got, stub } = served()
    await send({ t: 'sub', id: 1, topic })
    stub.failOnStop = new Error('the source broke on the way out')
    await send({ t: 'unsub', id: 1 })
    expect(got.at(-1)).toEqual({ t: 'error', id: 1, error: { code: 'INTERNAL', message: 'internal error: the source broke on the way out' } })
    await send({ t: 'call', id: 2, name: 'getSettings' })
    expect(got.at(-1)).toEqual(ok(2, { name: 'getSettings', arg: null }))
  })

  it('close() ends the streams and the channel: the client end is told', async () => {
    const { send, got, stub, session } = served()
    await send({ t: 'sub', id: 1, topic })
    session.close()
    await settle()
    expect(stub.stopped).toBe(1)
    expect(got.at(-1)).toBe('closed')
  })

  it('an event the channel cannot carry ends its stream with INTERNAL; a result it cannot carry fails its call; the session goes on', async () => {
    const { send, got, stub, serverEnd } = served()
    await send({ t: 'sub', id: 1, topic })
    stub.sinks.get(topic)![0]!.next({ big: 1n })
    await settle()
    expect(stub.stopped).toBe(1)
    expect(got.at(-1)).toEqual({ t: 'end', id: 1, error: { code: 'INTERNAL', message: expect.stringMatching(/^an update could not be sent: /) } })
    // A result that cannot be serialised (made so on its way out).
    const send0 = serverEnd.send.bind(serverEnd)
    serverEnd.send = (m) => (m.t === 'result' && m.id === 2 && m.result.ok ? send0({ ...m, result: { ok: true, value: 1n } }) : send0(m))
    await send({ t: 'call', id: 2, name: 'getSettings' })
    expect(got.at(-1)).toEqual({ t: 'result', id: 2, result: { ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/^the result could not be sent: /) } } })
    await send({ t: 'call', id: 3, name: 'getSettings' })
    expect(got.at(-1)).toEqual(ok(3, { name: 'getSettings', arg: null }))
  })
})
