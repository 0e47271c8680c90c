/**
 * Proctor's IPC client for Node programs: connect to the broker Proctor
 * told the program about (PROCTOR_IPC_SOCKET, PROCTOR_IPC_TOKEN), then
 * send, request, answer requests, broadcast, heartbeat and say ready.
 * Dependency-free (Node's own modules and the pure frame codec); built by
 * `npm run build` into out/client/proctor-ipc.cjs (require) and
 * out/client/proctor-ipc.mjs (import). The wire protocol it speaks:
 * docs/ipc-protocol.md.
 *
 *   const { connect } = require('/path/to/out/client/proctor-ipc.cjs')
 *   const ipc = await connect({ heartbeatInterval: 5000 })
 *   ipc.onRequest(async (payload, from) => ({ echo: payload }))
 *   ipc.ready()
 */
import { connect as netConnect, type Socket } from 'node:net'
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, FrameDecoder } from '../shared/broker/frameCodec'

export interface ConnectOptions {
  /** The broker's socket; default process.env.PROCTOR_IPC_SOCKET. */
  socket?: string
  /** This program's token; default process.env.PROCTOR_IPC_TOKEN. */
  token?: string
  /** First wait before reconnecting, ms, doubled each attempt (capped at 30 s); default the broker's ipcConfig.reconnectInterval, else 1000. */
  reconnectInterval?: number
  /** Attempts after a lost connection before giving up; default the broker's ipcConfig.maxReconnectAttempts, else 3. */
  maxReconnectAttempts?: number
  /** Sends a heartbeat every this many ms while connected (for Proctor's IPC heartbeat health check); off when unset or 0. */
  heartbeatInterval?: number
}

export interface RequestOptions {
  /** The broker answers TIMEOUT after this; default its ipcConfig.messageTimeout. */
  timeoutMs?: number
}

export interface MessageMeta {
  /** Sent to every endpoint rather than to this one. */
  broadcast: boolean
}

export type ClientState = 'connected' | 'reconnecting' | 'closed'

/** An error from the broker or from the other end: `code` is a wire error code (docs/ipc-protocol.md) or DISCONNECTED / CLOSED. */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'IpcError'
  }
}

/** Codes after which a reconnect cannot succeed: the token is no good any more. */
const FINAL_CODES = new Set(['UNAUTHORIZED', 'STALE_PROCESS', 'REVOKED', 'HANDSHAKE_REQUIRED'])
const MAX_BACKOFF_MS = 30_000

type Msg = Record<string, unknown>
type MessageHandler = (payload: unknown, from: string, meta: MessageMeta) => void
type RequestHandler = (payload: unknown, from: string) => unknown

function frame(message: unknown): Buffer {
  const text = JSON.stringify(message)
  const n = Buffer.byteLength(text)
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + n)
  out.writeUInt32BE(n, 0)
  out.write(text, FRAME_HEADER_BYTES, 'utf8')
  return out
}

/** Connects and shakes hands; resolves once the broker welcomed this program, rejects with an IpcError if it cannot. */
export function connect(options: ConnectOptions = {}): Promise<ProctorIpc> {
  const client = new ProctorIpc(options)
  return client.opened.then(() => client)
}

export class ProctorIpc {
  /** This program's endpoint id (`p:<name>`, `r:<n>`), once welcomed. */
  id = ''
  name = ''
  /** Resolves on the first welcome. */
  readonly opened: Promise<void>
  private socket: Socket | undefined
  private decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES)
  private state: ClientState | 'connecting' = 'connecting'
  private welcomed = false
  private attempts = 0
  private lastFatal: IpcError | undefined
  private readyOnce = false
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: IpcError) => void }>()
  private readonly messageHandlers = new Set<MessageHandler>()
  private requestHandler: RequestHandler | undefined
  private readonly stateListeners = new Set<(state: ClientState, reason?: string) => void>()
  private readonly errorListeners = new Set<(err: IpcError) => void>()
  private heartbeatTimer: NodeJS.Timeout | undefined
  private reconnectTimer: NodeJS.Timeout | undefined
  private corked = false
  private resolveOpened!: () => void
  private rejectOpened!: (e: IpcError) => void
  private readonly path: string
  private readonly token: string
  private reconnectInterval: number
  private maxReconnectAttempts: number

  constructor(private readonly options: ConnectOptions = {}) {
    this.opened = new Promise((resolve, reject) => {
      this.resolveOpened = resolve
      this.rejectOpened = reject
    })
    // Unhandled when only events are used (new ProctorIpc() without awaiting opened): not an unhandled rejection.
    this.opened.catch(() => {})
    const path = options.socket ?? process.env.PROCTOR_IPC_SOCKET
    const token = options.token ?? process.env.PROCTOR_IPC_TOKEN
    this.reconnectInterval = options.reconnectInterval ?? 1000
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? 3
    if (!path || !token) {
      this.path = ''
      this.token = ''
      this.state = 'closed'
      this.rejectOpened(new IpcError('CLOSED', 'no broker to connect to: PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN are not set (is enableIPC on in Proctor, and was this program started by it?)'))
      return
    }
    this.path = path
    this.token = token
    this.open()
  }

  get connected(): boolean {
    return this.state === 'connected'
  }

  /** A message to an endpoint (an id such as `p:web`, a program's name, or `proctor`). False: the socket's buffer is full, await drain() before sending more. */
  send(to: string, payload: unknown): boolean {
    return this.write({ t: 'send', to, payload })
  }

  broadcast(payload: unknown): boolean {
    return this.write({ t: 'broadcast', payload })
  }

  /** A request; resolves with the response's payload, rejects with an IpcError (NOT_FOUND, TIMEOUT, HANDLER_ERROR with the handler's message, DISCONNECTED, ...). */
  request(to: string, payload: unknown, options: RequestOptions = {}): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      // Payload last, compact: the form the broker forwards without serializing the payload again.
      this.write({ t: 'request', to, id, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), payload })
      this.pending.set(id, { resolve, reject })
    })
  }

  onMessage(handler: MessageHandler): () => void {
    this.messageHandlers.add(handler)
    return () => this.messageHandlers.delete(handler)
  }

  /** The one handler of requests to this program; what it returns (or resolves to) is the response, what it throws goes back as HANDLER_ERROR with its message. */
  onRequest(handler: RequestHandler): () => void {
    this.requestHandler = handler
    return () => {
      if (this.requestHandler === handler) this.requestHandler = undefined
    }
  }

  /** Errors the broker reports that belong to no request (a send to an unknown endpoint, a malformed message). */
  onError(listener: (err: IpcError) => void): () => void {
    this.errorListeners.add(listener)
    return () => this.errorListeners.delete(listener)
  }

  onState(listener: (state: ClientState, reason?: string) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /**
   * One heartbeat (for Proctor's ipc health check). Never throws: while
   * disconnected the beat is missed, which is what the check should see,
   * and false says so; a program beating on a timer survives a broker restart.
   */
  heartbeat(): boolean {
    return this.state === 'connected' && this.write({ t: 'heartbeat' })
  }

  /** Tells Proctor this program is ready (its readiness check); said again after each reconnect, so while disconnected it is said then. */
  ready(): void {
    this.readyOnce = true
    if (this.state === 'connected') this.write({ t: 'ready' })
  }

  /** Resolves once the socket's buffer has room again (after send() returned false). */
  drain(): Promise<void> {
    const s = this.socket
    if (!s || !s.writableNeedDrain) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        s.off('drain', done)
        s.off('close', done)
        resolve()
      }
      s.once('drain', done)
      s.once('close', done)
    })
  }

  /** Closes for good: no reconnect; waiting requests fail with CLOSED. */
  close(): Promise<void> {
    const s = this.socket
    this.finish('closed by the program')
    if (!s || s.destroyed) return Promise.resolve()
    return new Promise((resolve) => {
      s.once('close', () => resolve())
      s.end()
      setTimeout(() => s.destroy(), 1000).unref()
    })
  }

  // ------------------------------------------------------------ internals

  private write(message: Msg): boolean {
    const s = this.socket
    if (this.state !== 'connected' || !s) {
      throw new IpcError(this.state === 'closed' ? 'CLOSED' : 'DISCONNECTED', `not connected to the broker (${this.state})`)
    }
    // Frames written in one turn of the event loop leave in one writev.
    if (!this.corked) {
      this.corked = true
      s.cork()
      process.nextTick(() => {
        this.corked = false
        s.uncork()
      })
    }
    return s.write(frame(message))
  }

  private open(): void {
    this.state = this.welcomed ? 'reconnecting' : 'connecting'
    this.decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES)
    this.lastFatal = undefined
    const socket = netConnect(this.path)
    this.socket = socket
    socket.setNoDelay(true)
    socket.on('connect', () => socket.write(frame({ t: 'hello', token: this.token, v: 1, pid: process.pid })))
    socket.on('data', (chunk: Buffer) => {
      let texts: string[]
      try {
        texts = this.decoder.push(chunk)
      } catch (err) {
        this.lastFatal = new IpcError('BAD_FRAME', `the broker sent a bad frame: ${(err as Error).message}`)
        return void socket.destroy()
      }
      for (const text of texts) this.onFrame(text)
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.lastFatal ??= new IpcError('DISCONNECTED', `cannot reach the broker at ${this.path}: ${err.code ?? err.message}`)
    })
    socket.on('close', () => {
      if (this.socket !== socket) return
      this.socket = undefined
      this.lost()
    })
  }

  private onFrame(text: string): void {
    let m: Msg
    try {
      m = JSON.parse(text) as Msg
    } catch {
      return
    }
    switch (m.t) {
      case 'welcome':
        return this.onWelcome(m)
      case 'message':
        for (const h of [...this.messageHandlers]) h(m.payload, String(m.from), { broadcast: m.broadcast === true })
        return
      case 'request':
        return void this.answer(m)
      case 'response': {
        const p = typeof m.id === 'number' ? this.pending.get(m.id) : undefined
        if (!p) return
        this.pending.delete(m.id as number)
        const e = m.error as { code?: string; message?: string } | undefined
        if (e) p.reject(new IpcError(String(e.code ?? 'HANDLER_ERROR'), String(e.message ?? 'the request failed')))
        else p.resolve(m.payload)
        return
      }
      case 'error': {
        const err = new IpcError(String(m.code), String(m.message))
        if (m.fatal) {
          this.lastFatal = err
          return
        }
        if (this.errorListeners.size === 0) process.emitWarning(`Proctor IPC: ${err.code}: ${err.message}`)
        for (const l of [...this.errorListeners]) l(err)
        return
      }
    }
  }

  private onWelcome(m: Msg): void {
    this.id = String(m.id)
    this.name = String(m.name)
    if (this.options.reconnectInterval === undefined && typeof m.reconnectInterval === 'number') this.reconnectInterval = m.reconnectInterval
    if (this.options.maxReconnectAttempts === undefined && typeof m.maxReconnectAttempts === 'number') this.maxReconnectAttempts = m.maxReconnectAttempts
    this.attempts = 0
    this.state = 'connected'
    if (this.readyOnce) this.write({ t: 'ready' })
    const every = this.options.heartbeatInterval
    if (every && every > 0 && !this.heartbeatTimer) {
      this.heartbeatTimer = setInterval(() => {
        if (this.state === 'connected') this.heartbeat()
      }, every)
      this.heartbeatTimer.unref()
    }
    if (!this.welcomed) {
      this.welcomed = true
      this.resolveOpened()
    }
    this.emitState('connected')
  }

  private async answer(m: Msg): Promise<void> {
    const id = m.id
    let reply: Msg
    try {
      if (!this.requestHandler) throw new Error('this program has no request handler (onRequest)')
      const payload = await this.requestHandler(m.payload, String(m.from))
      reply = { t: 'response', id, payload: payload === undefined ? null : payload }
    } catch (err) {
      reply = { t: 'response', id, error: { code: 'HANDLER_ERROR', message: err instanceof Error ? err.message : String(err) } }
    }
    if (this.state !== 'connected') return
    try {
      this.write(reply)
    } catch (err) {
      // A response that cannot be written (not JSON, too large) is reported as the handler's error.
      if (err instanceof IpcError) return
      this.write({ t: 'response', id, error: { code: 'HANDLER_ERROR', message: `the response could not be sent: ${(err as Error).message}` } })
    }
  }

  private lost(): void {
    for (const p of this.pending.values()) p.reject(new IpcError('DISCONNECTED', 'the connection to the broker was lost before the response came'))
    this.pending.clear()
    if (this.state === 'closed') return
    const why = this.lastFatal
    const reason = why ? `${why.code}: ${why.message}` : 'the broker closed the connection'
    if ((why && FINAL_CODES.has(why.code)) || this.attempts >= this.maxReconnectAttempts) {
      const final = why ?? new IpcError('DISCONNECTED', reason)
      this.finish(this.attempts > 0 ? `${reason} (after ${this.attempts} reconnect attempts)` : reason, final)
      return
    }
    const delay = Math.min(MAX_BACKOFF_MS, this.reconnectInterval * 2 ** this.attempts)
    this.attempts++
    this.state = 'reconnecting'
    this.emitState('reconnecting', reason)
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined
      if (this.state === 'reconnecting') this.open()
    }, delay)
  }

  private finish(reason: string, err?: IpcError): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.heartbeatTimer = this.reconnectTimer = undefined
    for (const p of this.pending.values()) p.reject(new IpcError('CLOSED', reason))
    this.pending.clear()
    if (!this.welcomed) this.rejectOpened(err ?? new IpcError('CLOSED', reason))
    this.emitState('closed', reason)
  }

  private emitState(state: ClientState, reason?: string): void {
    for (const l of [...this.stateListeners]) l(state, reason)
  }
}
export { serveTasks, type ServeTasksOptions, type TaskHandler, type TaskInfo } from './serveTasks'
