import type { Channel, ChannelReceiver } from './channel'
import { clientMessageSchema, messageId, type ServerMessage } from './protocol'
import type { Router } from './router'
import { describeIssues, toErrorInfo, type ErrorInfo } from '../errors'
import type { Unsubscribe } from '../contract'
import type { Caller } from '../types/caller'

/** Bounds a transport sets on one client (the headless host does; the desktop window and in-process callers need none). */
export interface SessionLimits {
  /** Live subscriptions one client may hold at once; more are refused with QUEUE_FULL. */
  maxSubscriptions?: number
  /** Why new calls and subscriptions are refused right now (a client far behind its results), or undefined. */
  busy?: () => ErrorInfo | undefined
}

/**
 * The server side of one connection, whatever carries it: checks each
 * message, answers a bad one with INVALID_ARGUMENT and keeps serving, runs
 * calls and streams through the router as `caller`, and ends every stream
 * of the client when its channel closes. Its first message is 'ready'.
 */
export class RpcSession implements ChannelReceiver {
  private readonly subs = new Map<number, Unsubscribe>()
  private ended = false

  constructor(
    private readonly router: Pick<Router, 'call' | 'subscribe'>,
    private readonly channel: Channel<ServerMessage>,
    /** Who is at the other end, as the transport knows it (recorded with actions); never read from a message. */
    private readonly caller: Caller,
    private readonly limits: SessionLimits = {},
  ) {
    channel.receive(this)
    this.emit({ t: 'ready' })
  }

  get subscriptionCount(): number {
    return this.subs.size
  }

  /**
   * Handles one message; resolves once it is answered (a call's answer
   * waits for its handler). Whatever fails in there is answered, never
   * thrown at the transport.
   */
  message(data: unknown): Promise<void> {
    return this.dispatch(data).catch((err: unknown) => {
      const id = messageId(data)
      const error = toErrorInfo(err)
      this.emit(id === undefined ? { t: 'error', error } : { t: 'error', id, error })
    })
  }

  private async dispatch(data: unknown): Promise<void> {
    if (this.ended) return
    const parsed = clientMessageSchema.safeParse(data)
    if (!parsed.success) {
      return this.reject(messageId(data), `malformed message: ${describeIssues(parsed.error)}`)
    }
    const msg = parsed.data
    // Starting over a live subscription that missed events swaps one for another: never refused, or the client would stay wrong.
    const replaced = msg.t === 'sub' && msg.replaces !== undefined && this.subs.has(msg.replaces) ? msg.replaces : undefined
    if (msg.t !== 'unsub' && replaced === undefined) {
      const refused = this.refusal(msg.t === 'sub' && !this.subs.has(msg.id))
      if (refused) return this.emit({ t: 'result', id: msg.id, result: { ok: false, error: refused } })
    }
    switch (msg.t) {
      case 'call': {
        const result = await this.router.call(msg.name, msg.arg, this.caller)
        this.emit({ t: 'result', id: msg.id, result })
        return
      }
      case 'sub':
        if (replaced !== undefined) this.stop(replaced)
        return this.subscribe(msg.id, msg.topic, msg.params)
      case 'unsub':
        this.emit({ t: 'result', id: msg.id, result: { ok: true, value: this.stop(msg.id) } })
        return
    }
  }

  unreadable(reason: string): void {
    this.reject(undefined, reason)
  }

  /** The channel is gone: every stream of this client stops. */
  closed(): void {
    if (this.ended) return
    this.ended = true
    const stops = [...this.subs.values()]
    this.subs.clear()
    for (const stop of stops) stop()
  }

  /** Ends the session from the server side, and its channel with it. */
  close(): void {
    this.closed()
    this.channel.close()
  }

  /** Stops the subscription `id`; whether it was live. */
  private stop(id: number): boolean {
    const stop = this.subs.get(id)
    this.subs.delete(id)
    stop?.()
    return stop !== undefined
  }

  private subscribe(id: number, topic: string, params: unknown): void {
    if (this.subs.has(id)) return this.reject(id, `subscription id ${id} is already in use`)
    // A source may end while router.subscribe still runs: that end follows the answer, and nothing is kept.
    let live = false
    let endedEarly: { error: ErrorInfo | undefined } | undefined
    let seq = 0
    const result = this.router.subscribe(
      topic,
      params,
      // Numbered whether or not the channel carries it: a number skipped tells the client it missed one.
      (payload) => this.emit({ t: 'event', id, seq: ++seq, payload }),
      (error) => {
        if (!live) endedEarly = { error }
        else if (this.subs.delete(id)) this.emit(error ? { t: 'end', id, error } : { t: 'end', id })
      },
    )
    this.emit({ t: 'result', id, result: result.ok ? { ok: true, value: null } : result })
    if (!result.ok) return
    if (endedEarly) {
      const { error } = endedEarly
      return this.emit(error ? { t: 'end', id, error } : { t: 'end', id })
    }
    this.subs.set(id, result.value)
    live = true
  }

  /** Why a call or a new subscription cannot be taken now; unsubscribing is always allowed. */
  private refusal(newSubscription: boolean): ErrorInfo | undefined {
    const busy = this.limits.busy?.()
    if (busy) return busy
    const max = this.limits.maxSubscriptions
    if (newSubscription && max !== undefined && this.subs.size >= max) {
      return {
        code: 'QUEUE_FULL',
        message: `too many subscriptions on this connection: the limit is ${max}; end some before starting more`,
        details: { limit: max },
      }
    }
    return undefined
  }

  private reject(id: number | undefined, message: string): void {
    const error: ErrorInfo = { code: 'INVALID_ARGUMENT', message }
    this.emit(id === undefined ? { t: 'error', error } : { t: 'error', id, error })
  }

  private emit(message: ServerMessage): void {
    if (this.ended) return
    try {
      this.channel.send(message)
    } catch (err) {
      this.undeliverable(message, (err as Error).message)
    }
  }

  /**
   * A message the channel cannot carry (a payload that cannot be cloned or
   * serialised): its stream ends, or its call fails, with INTERNAL; the
   * source and the session go on.
   */
  private undeliverable(message: ServerMessage, why: string): void {
    let notice: ServerMessage
    if (message.t === 'event') {
      const stop = this.subs.get(message.id)
      if (!stop) return
      this.subs.delete(message.id)
      stop()
      notice = { t: 'end', id: message.id, error: { code: 'INTERNAL', message: `an update could not be sent: ${why}` } }
    } else if (message.t === 'result') {
      notice = { t: 'result', id: message.id, result: { ok: false, error: { code: 'INTERNAL', message: `the result could not be sent: ${why}` } } }
    } else {
      return
    }
    try {
      this.channel.send(notice)
    } catch {
      // Not even the notice can go: nothing more can be told on this channel.
    }
  }
}
