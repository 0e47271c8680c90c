import type { ClientTransport } from './client'
import type { ClientMessage, ServerMessage } from './protocol'
import type { Envelope, ErrorInfo } from '../errors'

/** The part of the WebSocket API used here: the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(): void
  addEventListener(type: 'open' | 'error', listener: () => void): void
  addEventListener(type: 'close', listener: (event: CloseInfo) => void): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed'

/** How a socket closed: the host says why it turned a socket away (CLOSE_HOST_FULL, CLOSE_UNAUTHORIZED). */
export interface CloseInfo {
  code: number
  reason: string
}

export interface WebSocketTransportOptions {
  /** Opens a socket to the host (offering the token, see apiSubprotocols). */
  connect: () => SocketLike
  /** Each change of state; with 'closed', how the socket closed. */
  onStatus?: (status: ConnectionStatus, close?: CloseInfo) => void
  /** Reconnect delays grow from min to max; 0 disables reconnecting. */
  reconnectMinMs?: number
  reconnectMaxMs?: number
}

interface Subscription {
  topic: string
  params: unknown
  onEvent: (payload: unknown) => void
  onEnd: (error?: ErrorInfo) => void
}

const OPEN = 1
const unavailable = (message: string): Envelope<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } })

/**
 * Client side of the headless host's WebSocket API. Reconnects with backoff
 * and re-opens every live subscription, so a UI survives a host restart.
 * A socket counts as open once the host says 'ready': the host accepts a
 * socket it cannot serve too, only to close it with a reason.
 */
export function webSocketTransport(options: WebSocketTransportOptions): ClientTransport & { close(): void } {
  const minDelay = options.reconnectMinMs ?? 500
  const maxDelay = options.reconnectMaxMs ?? 10_000
  const pending = new Map<number, (result: Envelope<unknown>) => void>()
  const subs = new Map<number, Subscription>()
  let queue: ClientMessage[] = []
  let nextId = 1
  let socket: SocketLike | undefined
  /** The socket, once the host has said it serves it. */
  let serving: SocketLike | undefined
  let delay = minDelay
  let stopped = false

  const status = (s: ConnectionStatus, close?: CloseInfo) => options.onStatus?.(s, close)

  function open(): void {
    status('connecting')
    const ws = options.connect()
    socket = ws
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return
      const msg = JSON.parse(event.data) as ServerMessage
      if (msg.t === 'ready') ready(ws)
      else handle(msg)
    })
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return
      socket = undefined
      serving = undefined
      status('closed', { code: event.code, reason: event.reason })
      for (const resolve of pending.values()) resolve(unavailable('connection to the Proctor host was lost'))
      pending.clear()
      // Those calls were answered as failed just now: they must not run on the next connection.
      queue = []
      if (!stopped && minDelay > 0) {
        setTimeout(open, delay)
        delay = Math.min(maxDelay, delay * 2)
      }
    })
    ws.addEventListener('error', () => {
      // 'close' follows and handles it.
    })
  }

  function ready(ws: SocketLike): void {
    if (socket !== ws || serving === ws) return
    serving = ws
    delay = minDelay
    status('open')
    for (const [id, sub] of subs) ws.send(JSON.stringify({ t: 'sub', id, topic: sub.topic, params: sub.params }))
    const queued = queue
    queue = []
    for (const msg of queued) ws.send(JSON.stringify(msg))
  }

  function handle(msg: Exclude<ServerMessage, { t: 'ready' }>): void {
    switch (msg.t) {
      case 'result': {
        const resolve = pending.get(msg.id)
        pending.delete(msg.id)
        resolve?.(msg.result)
        if (!resolve && !msg.result.ok) endSub(msg.id, msg.result.error)
        return
      }
      case 'event':
        subs.get(msg.id)?.onEvent(msg.payload)
        return
      case 'end':
        endSub(msg.id, msg.error)
        return
      case 'error': {
        if (msg.id === undefined) return
        const resolve = pending.get(msg.id)
        pending.delete(msg.id)
        if (resolve) resolve({ ok: false, error: msg.error })
        else endSub(msg.id, msg.error)
      }
    }
  }

  function endSub(id: number, error?: ErrorInfo): void {
    const sub = subs.get(id)
    subs.delete(id)
    sub?.onEnd(error)
  }

  function post(msg: ClientMessage): void {
    if (serving && serving.readyState === OPEN) serving.send(JSON.stringify(msg))
    else queue.push(msg)
  }

  open()

  return {
    call(name, arg) {
      if (stopped) return Promise.resolve(unavailable('the connection is closed'))
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        post({ t: 'call', id, name, arg })
      })
    },
    subscribe(topic, params, onEvent, onEnd) {
      const id = nextId++
      subs.set(id, { topic, params, onEvent, onEnd })
      // Sent on 'ready' for every live subscription; send now only if already served.
      if (serving && serving.readyState === OPEN) serving.send(JSON.stringify({ t: 'sub', id, topic, params }))
      return () => {
        if (!subs.delete(id)) return
        if (serving && serving.readyState === OPEN) serving.send(JSON.stringify({ t: 'unsub', id }))
      }
    },
    close() {
      stopped = true
      socket?.close()
      for (const resolve of pending.values()) resolve(unavailable('the connection is closed'))
      pending.clear()
    },
  }
}
