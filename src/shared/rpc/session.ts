import { clientMessageSchema, type ServerMessage } from './protocol'
import type { Router } from './router'
import type { ErrorInfo } from '../errors'
import { describeIssues } from '../settings'
import type { Unsubscribe } from '../contract'
import type { Caller } from '../types/caller'

/** Largest client message accepted, in characters. */
export const MAX_CLIENT_MESSAGE = 1 << 20

/** Bounds a transport sets on one client (the headless host does; in-process callers need none). */
export interface SessionLimits {
  /** Live subscriptions one client may hold at once; more are refused with QUEUE_FULL. */
  maxSubscriptions?: number
  /** Why new calls and subscriptions are refused right now (a client far behind its results), or undefined. */
  busy?: () => ErrorInfo | undefined
}

/**
 * One client connection over a message channel (a WebSocket): parses and
 * checks each message, answers bad ones with an error message and keeps
 * going. `close()` ends every stream the client had open.
 */
export class RpcSession {
  private readonly subs = new Map<number, Unsubscribe>()
  private closed = false

  constructor(
    private readonly router: Router,
    private readonly send: (message: ServerMessage) => void,
    /** Who is at the other end, as the transport knows it (recorded with actions). */
    private readonly caller: Caller,
    private readonly limits: SessionLimits = {},
  ) {}

  async receive(text: string): Promise<void> {
    if (this.closed) return
    if (text.length > MAX_CLIENT_MESSAGE) {
      return this.reject(undefined, `message too large: ${text.length} characters (limit ${MAX_CLIENT_MESSAGE})`)
    }
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (err) {
      return this.reject(undefined, `malformed message: not JSON (${(err as Error).message})`)
    }
    const parsed = clientMessageSchema.safeParse(data)
    if (!parsed.success) {
      const maybeId = (data as { id?: unknown } | null)?.id
      return this.reject(typeof maybeId === 'number' ? maybeId : undefined, `malformed message: ${describeIssues(parsed.error)}`)
    }
    const msg = parsed.data
    if (msg.t !== 'unsub') {
      const refused = this.refusal(msg.t === 'sub' && !this.subs.has(msg.id))
      if (refused) return this.emit({ t: 'result', id: msg.id, result: { ok: false, error: refused } })
    }
    switch (msg.t) {
      case 'call': {
        const result = await this.router.call(msg.name, msg.arg, this.caller)
        this.emit({ t: 'result', id: msg.id, result })
        return
      }
      case 'sub': {
        if (this.subs.has(msg.id)) return this.reject(msg.id, `subscription id ${msg.id} is already in use`)
        const result = this.router.subscribe(
          msg.topic,
          msg.params,
          (payload) => this.emit({ t: 'event', id: msg.id, payload }),
          (err) => {
            this.subs.delete(msg.id)
            this.emit(err ? { t: 'end', id: msg.id, error: err } : { t: 'end', id: msg.id })
          },
        )
        if (result.ok) this.subs.set(msg.id, result.value)
        this.emit({ t: 'result', id: msg.id, result: result.ok ? { ok: true, value: null } : result })
        return
      }
      case 'unsub': {
        const stop = this.subs.get(msg.id)
        this.subs.delete(msg.id)
        stop?.()
        this.emit({ t: 'result', id: msg.id, result: { ok: true, value: stop !== undefined } })
        return
      }
    }
  }

  close(): void {
    this.closed = true
    for (const stop of this.subs.values()) stop()
    this.subs.clear()
  }

  get subscriptionCount(): number {
    return this.subs.size
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
    if (!this.closed) this.send(message)
  }
}
