import type { Channel } from './channel'
import type { ClientTransport } from './client'
import type { ClientMessage, ServerMessage } from './protocol'
import type { Unsubscribe } from '../contract'
import type { Envelope, ErrorInfo } from '../errors'

interface Subscription {
  /** The id it has on the server now: a new one each time it starts over. */
  id: number
  topic: string
  params: unknown
  onEvent: (payload: unknown) => void
  onEnd: (error?: ErrorInfo) => void
  onResync?: (missed: number) => void
  /** The number of the last event taken (0 before the first on this channel). */
  seq: number
}

export interface ConnectOptions {
  /**
   * Send nothing until the session says 'ready': a server may accept a
   * connection only to close it with a reason (the host full, no token).
   * Channels that are served from the start (IPC, in-process) skip it.
   */
  awaitReady?: boolean
  /** The channel is served from now on. */
  onReady?: () => void
}

const unavailable = (message: string): Envelope<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } })

/**
 * The client side of the contract over any channel: numbers calls and
 * subscriptions, matches answers and events to them, and survives a change
 * of channel. A channel that closes fails the calls in flight with
 * UNAVAILABLE; live subscriptions are opened again on the next channel (the
 * WebSocket transport reconnects; IPC and in-process never need to).
 * A subscription whose events came with a number skipped (the server held
 * them back while this client was far behind) starts over the same way,
 * so a stream of changes never goes on from a state the client missed.
 */
export class RpcClient implements ClientTransport {
  private readonly pending = new Map<number, (result: Envelope<unknown>) => void>()
  private readonly subs = new Map<number, Subscription>()
  /** Calls made while no channel is served, sent once one is. */
  private queue: ClientMessage[] = []
  private channel: Channel<ClientMessage> | undefined
  private serving = false
  private nextId = 1
  private stopped = false

  /** `peer` names the other end in errors ("the connection to ... was lost"). */
  constructor(private readonly peer = 'Proctor') {}

  /** Talks over `channel` from now on (after the previous one closed). */
  connect(channel: Channel<ClientMessage>, options: ConnectOptions = {}): void {
    this.channel = channel
    this.serving = false
    const current = () => this.channel === channel
    channel.receive({
      message: (data) => {
        if (!current() || typeof data !== 'object' || data === null) return
        const msg = data as ServerMessage
        if (msg.t === 'ready') {
          if (!this.serving) this.serve(options.onReady)
        } else {
          this.handle(msg)
        }
      },
      // A server's frame the client cannot read names nothing it could fail.
      unreadable: () => {},
      closed: () => {
        if (current()) this.lost()
      },
    })
    if (!options.awaitReady) this.serve(options.onReady)
  }

  call(name: string, arg: unknown): Promise<Envelope<unknown>> {
    if (this.stopped) return Promise.resolve(unavailable('the connection is closed'))
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      const msg: ClientMessage = arg === undefined ? { t: 'call', id, name } : { t: 'call', id, name, arg }
      if (this.serving) this.post(msg)
      else this.queue.push(msg)
    })
  }

  subscribe(
    topic: string,
    params: unknown,
    onEvent: (payload: unknown) => void,
    onEnd: (error?: ErrorInfo) => void,
    onResync?: (missed: number) => void,
  ): Unsubscribe {
    const sub: Subscription = { id: this.nextId++, topic, params, onEvent, onEnd, onResync, seq: 0 }
    this.subs.set(sub.id, sub)
    // Sent when a channel starts serving, for every live subscription; now only if one already does.
    if (this.serving) this.post(subMessage(sub.id, topic, params))
    return () => {
      if (this.subs.get(sub.id) !== sub) return
      this.subs.delete(sub.id)
      if (this.serving) this.post({ t: 'unsub', id: sub.id })
    }
  }

  /** Stops for good: the channel closes and calls in flight fail. */
  close(): void {
    this.stopped = true
    const channel = this.channel
    this.channel = undefined
    this.serving = false
    this.queue = []
    this.failPending('the connection is closed')
    channel?.close()
  }

  private serve(onReady: (() => void) | undefined): void {
    this.serving = true
    onReady?.()
    for (const [id, sub] of this.subs) {
      sub.seq = 0
      this.post(subMessage(id, sub.topic, sub.params))
    }
    const queued = this.queue
    this.queue = []
    for (const msg of queued) this.post(msg)
  }

  private lost(): void {
    this.channel = undefined
    this.serving = false
    // Those calls are answered as failed now: they must not run on the next channel.
    this.queue = []
    this.failPending(`connection to ${this.peer} was lost`)
  }

  private failPending(message: string): void {
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const resolve of waiting) resolve(unavailable(message))
  }

  /** A message the channel cannot carry (an argument that cannot be cloned) fails its own call or stream, not the client. */
  private post(msg: ClientMessage): void {
    try {
      this.channel?.send(msg)
    } catch (err) {
      if (msg.t === 'unsub') return
      const what = msg.t === 'call' ? msg.name : msg.topic
      const error: ErrorInfo = { code: 'INVALID_ARGUMENT', message: `${what}: the request could not be sent (${(err as Error).message})` }
      // Later, as any answer: a subscriber is not called back before subscribe() returns.
      queueMicrotask(() => this.answer(msg.id, error))
    }
  }

  private handle(msg: Exclude<ServerMessage, { t: 'ready' }>): void {
    switch (msg.t) {
      case 'result':
        if (this.pending.has(msg.id)) this.resolve(msg.id, msg.result)
        // A subscription's answer matters only when it is a refusal.
        else if (!msg.result.ok) this.endSub(msg.id, msg.result.error)
        return
      case 'event': {
        const sub = this.subs.get(msg.id)
        if (!sub) return
        if (msg.seq !== sub.seq + 1) return this.startOver(sub, msg.seq - sub.seq - 1)
        sub.seq = msg.seq
        isolated(() => sub.onEvent(msg.payload))
        return
      }
      case 'end':
        this.endSub(msg.id, msg.error)
        return
      case 'error':
        if (msg.id !== undefined) this.answer(msg.id, msg.error)
    }
  }

  /**
   * Events of `sub` were missed: the one that came is dropped (a change
   * from a state this client never saw), the subscriber is told, and the
   * subscription starts over under a new id in place of the old one (its
   * first event is whole again: a snapshot, the latest sample).
   */
  private startOver(sub: Subscription, missed: number): void {
    this.subs.delete(sub.id)
    const replaces = sub.id
    sub.id = this.nextId++
    sub.seq = 0
    this.subs.set(sub.id, sub)
    this.post(subMessage(sub.id, sub.topic, sub.params, replaces))
    isolated(() => sub.onResync?.(Math.max(1, missed)))
  }

  /** Fails the call or ends the subscription with this id. */
  private answer(id: number, error: ErrorInfo): void {
    if (this.pending.has(id)) this.resolve(id, { ok: false, error })
    else this.endSub(id, error)
  }

  private resolve(id: number, result: Envelope<unknown>): void {
    const resolve = this.pending.get(id)
    this.pending.delete(id)
    resolve?.(result)
  }

  private endSub(id: number, error?: ErrorInfo): void {
    const sub = this.subs.get(id)
    this.subs.delete(id)
    if (sub) isolated(() => sub.onEnd(error))
  }
}

/**
 * Runs a subscriber's callback. One that throws must not break the channel
 * for the others (in Node, an exception thrown while a message is delivered
 * would end the process), as the engine's own streams treat their listeners.
 */
function isolated(callback: () => void): void {
  try {
    callback()
  } catch {
    // The subscriber's own failure; the stream and the client go on.
  }
}

function subMessage(id: number, topic: string, params: unknown, replaces?: number): ClientMessage {
  const msg: ClientMessage = params === undefined ? { t: 'sub', id, topic } : { t: 'sub', id, topic, params }
  return replaces === undefined ? msg : { ...msg, replaces }
}
