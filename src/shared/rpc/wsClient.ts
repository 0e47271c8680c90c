import { Inbox, type Channel } from './channel'
import type { ClientTransport } from './client'
import type { ClientMessage } from './protocol'
import { RpcClient } from './rpcClient'
import { BINARY_FRAME, encodeMessage, receiveText } from './textCodec'

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

const OPEN = 1

/** The client's end of a socket: JSON text frames. A socket that is not open drops what it is given; its 'close' follows. */
export function socketChannel(ws: SocketLike): Channel<ClientMessage> {
  const inbox = new Inbox()
  ws.addEventListener('message', (event) => {
    if (typeof event.data === 'string') receiveText(inbox, event.data)
    else inbox.unreadable(BINARY_FRAME)
  })
  ws.addEventListener('close', () => inbox.closed())
  ws.addEventListener('error', () => {
    // 'close' follows and handles it.
  })
  return {
    send: (message) => {
      if (ws.readyState === OPEN) ws.send(encodeMessage(message))
    },
    receive: (receiver) => inbox.set(receiver),
    close: () => ws.close(),
  }
}

/**
 * Client side of the headless host's WebSocket API: the one RpcClient over
 * a socket channel, plus the reconnect policy. Reconnects with backoff; the
 * client opens every live subscription again, so a UI survives a host
 * restart. A socket counts as open once the host says 'ready'.
 */
export function webSocketTransport(options: WebSocketTransportOptions): ClientTransport & { close(): void } {
  const minDelay = options.reconnectMinMs ?? 500
  const maxDelay = options.reconnectMaxMs ?? 10_000
  const client = new RpcClient('the Proctor host')
  let socket: SocketLike | undefined
  let delay = minDelay
  let stopped = false

  const status = (s: ConnectionStatus, close?: CloseInfo) => options.onStatus?.(s, close)

  function open(): void {
    status('connecting')
    const ws = options.connect()
    socket = ws
    client.connect(socketChannel(ws), {
      awaitReady: true,
      onReady: () => {
        delay = minDelay
        status('open')
      },
    })
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return
      socket = undefined
      status('closed', { code: event.code, reason: event.reason })
      if (!stopped && minDelay > 0) {
        setTimeout(open, delay)
        delay = Math.min(maxDelay, delay * 2)
      }
    })
  }

  open()

  return {
    call: (name, arg) => client.call(name, arg),
    subscribe: (topic, params, onEvent, onEnd, onResync) => client.subscribe(topic, params, onEvent, onEnd, onResync),
    close() {
      stopped = true
      client.close()
    },
  }
}
