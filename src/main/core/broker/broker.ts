import type { Server, Socket } from 'node:net'
import { FrameError } from '../../../shared/broker/frameCodec'
import { previewJson } from '../../../shared/broker/preview'
import { errorFrame, helloSchema, PROTOCOL_VERSION, type WireErrorCode } from '../../../shared/broker/protocol'
import type { IPCConnection, IPCTrafficEvent } from '../../../shared/broker/status'
import { ProctorError } from '../../../shared/errors'
import { Connection } from './connection'
import { Deadlines } from './deadlines'
import type { Identities, Identity } from './identities'
import { listenOnSocketFile, removeSocketFile } from './socketFile'
import type { TrafficLog } from './traffic'
import { frameBuffer, frameTextBuffer } from './wire'

/**
 * The broker itself: a Unix socket server that authenticates each
 * connection by its token and routes framed messages between endpoints
 * (managed programs, registered processes, and Proctor).
 *
 * Hot path (send, request, response): the frame is parsed with JSON.parse
 * and its few fields checked by hand, not with the zod schemas of
 * src/shared/broker/protocol.ts. Measured on this project's 2-core machine
 * with a 1 KiB payload: the send schema's parse took about 4 us on top of
 * JSON.parse's 1 us, where routing a message costs the broker about 5.6 us
 * of CPU in all (bench/broker.ts, broker_cpu_us_per_message): zod would
 * have made each message some 70 % dearer. The hello, rare and
 * security-relevant, goes through zod.
 *
 * Memory: a connection's decoder holds at most one frame (maxFrameBytes);
 * the broker queues nothing of its own, only the socket's writable buffer,
 * which is capped per connection (maxQueuedBytes: past it the consumer is
 * dropped as slow). A sender whose target's queue is past a quarter of the
 * cap is paused (TCP's own backpressure, passed on) until the target
 * drains; a target that does not drain within stallMs is dropped as slow.
 */

export const PROCTOR_ENDPOINT = 'proctor'
export const HANDSHAKE_TIMEOUT_MS = 2000
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024
export const STALL_MS = 10_000
/** A refused client that does not take its refusal is not waited for. */
const LINGER_MS = 1000

export interface BrokerLimits {
  maxConnections: number
  messageTimeout: number
  reconnectInterval: number
  maxReconnectAttempts: number
}

export interface BrokerOptions {
  dir: string
  identities: Identities
  traffic: TrafficLog
  /** Read on each use, so settings changes apply at once. */
  limits: () => BrokerLimits
  maxFrameBytes: number
  maxQueuedBytes?: number
  handshakeTimeoutMs?: number
  stallMs?: number
  /** Whether a registered process still runs: the same pid with the same start time. */
  processAlive: (pid: number, startTime: number | undefined) => boolean
  onReady?: (identity: Identity) => void
  /** An endpoint connected or disconnected. */
  onChange?: () => void
  /** An identity revoked by the broker itself (a registered process found gone at its handshake). */
  onRevoked?: (identity: Identity) => void
  /** Where the broker reports its own failures. */
  log?: (message: string) => void
  /** Counters to add to (kept by the service across restarts of the broker). */
  totals?: BrokerTotals
}

export interface BrokerTotals {
  messages: number
  bytes: number
  rejected: number
}

export interface ProctorResponse {
  from: string
  payload: unknown
  durationMs: number
}

interface Pending {
  target: Connection
  /** The requester: a connection, or Proctor waiting on a promise. */
  origin: Connection | { resolve: (r: ProctorResponse) => void; reject: (e: ProctorError) => void }
  originId: string | number
  startedAt: number
  timeoutMs: number
}

type Msg = Record<string, unknown>
type Refusal = { code: WireErrorCode; message: string }
const isRefusal = (x: Buffer | Refusal): x is Refusal => !Buffer.isBuffer(x)

/**
 * The payload's JSON text, cut out of the frame instead of serialized
 * again: when the frame is exactly `prefix` + payload + `}` (the compact
 * form the client modules write, payload last) and the parsed message has
 * exactly `keys` keys. JSON.parse has already checked the whole frame, so
 * what follows the prefix is the payload's value, maybe with more members
 * after it that repeat a key of the prefix with the same value (else the
 * prefix, built from the parsed values, would not match): the forwarded
 * frame puts its own "t" last, so such a repeat cannot change its type.
 * Measured on 1 KiB payloads: re-serializing was the largest single cost
 * of routing a message (bench/broker.ts); any other form of frame takes
 * the general path.
 */
function rawPayload(text: string, prefix: string, m: Msg, keys: number): string | undefined {
  if (text.charCodeAt(text.length - 1) !== 0x7d || !text.startsWith(prefix)) return undefined
  let n = 0
  for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) n++
  return n === keys ? text.slice(prefix.length, -1) : undefined
}

function validRequestId(id: unknown): id is string | number {
  return typeof id === 'string' ? id.length > 0 && id.length <= 100 : typeof id === 'number' && Number.isInteger(id) && id >= 0
}

function validEndpoint(to: unknown): to is string {
  return typeof to === 'string' && to.length > 0 && to.length <= 200
}

export class Broker {
  readonly path: string
  readonly maxFrameBytes: number
  readonly maxQueuedBytes: number
  readonly handshakeTimeoutMs: number
  readonly totals: BrokerTotals
  private readonly highWater: number
  private readonly stallMs: number
  private readonly pendingConns = new Set<Connection>()
  private readonly byId = new Map<string, Connection>()
  private readonly pending = new Map<number, Pending>()
  /** The timeouts of `pending`: one timer for all (see Deadlines for why). */
  private readonly deadlines = new Deadlines(this.pending, (key) => this.expire(key))
  private seq = 0
  private batching = false
  private readonly corked: Connection[] = []
  private closed = false

  private constructor(
    private readonly options: BrokerOptions,
    private readonly server: Server,
    path: string,
  ) {
    this.path = path
    this.totals = options.totals ?? { messages: 0, bytes: 0, rejected: 0 }
    this.maxFrameBytes = options.maxFrameBytes
    this.maxQueuedBytes = options.maxQueuedBytes ?? MAX_QUEUED_BYTES
    this.highWater = Math.max(64 * 1024, Math.floor(this.maxQueuedBytes / 4))
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS
    this.stallMs = options.stallMs ?? STALL_MS
  }

  /** Listens on `<dir>/ipc-broker.sock`; throws an Error saying what stands in the way. */
  static async start(options: BrokerOptions): Promise<Broker> {
    // The server exists before the broker that serves it: connections go to it once it does.
    const made: { broker?: Broker } = {}
    const { server, path } = await listenOnSocketFile(options.dir, (socket) => {
      if (made.broker) made.broker.accept(socket)
      else socket.destroy()
    })
    made.broker = new Broker(options, server, path)
    return made.broker
  }

  /** Connections that have not shaken hands yet. */
  get pendingHandshakes(): number {
    return this.pendingConns.size
  }

  connections(): IPCConnection[] {
    return [...this.byId.values()].map((c) => c.view())
  }

  connection(id: string): Connection | undefined {
    return this.byId.get(id)
  }

  isConnected(id: string): boolean {
    return this.byId.has(id)
  }

  /** Closes the identity's connection with a reason; whether one was connected. */
  disconnect(id: string, code: WireErrorCode, message: string): boolean {
    const conn = this.byId.get(id)
    if (!conn) return false
    this.fatal(conn, code, message)
    return true
  }

  /** A message from Proctor; the target's id. */
  sendFromProctor(to: string, payload: unknown): string {
    const target = this.target(to)
    const bytes = this.proctorWrite(target, { t: 'message', from: PROCTOR_ENDPOINT, payload })
    this.log('send', PROCTOR_ENDPOINT, target.id, payload, bytes)
    return target.id
  }

  requestFromProctor(to: string, payload: unknown, timeoutMs: number): Promise<ProctorResponse> {
    const target = this.target(to)
    return new Promise((resolve, reject) => {
      // Proctor's own requests are known by the broker's key: their log entries, request and answer, share it.
      const key = this.open(target, { resolve, reject }, undefined, timeoutMs)
      let bytes: number
      try {
        bytes = this.proctorWrite(target, { t: 'request', from: PROCTOR_ENDPOINT, id: key, payload })
      } catch (err) {
        this.closePending(key)
        throw err
      }
      this.log('request', PROCTOR_ENDPOINT, target.id, payload, bytes, String(key))
    })
  }

  /** A message from Proctor to every connected endpoint; how many got it. */
  broadcastFromProctor(payload: unknown): number {
    const frame = this.encodeForProctor({ t: 'message', from: PROCTOR_ENDPOINT, payload, broadcast: true })
    let n = 0
    for (const conn of this.byId.values()) {
      if (this.write(conn, frame)) n++
    }
    this.log('broadcast', PROCTOR_ENDPOINT, '*', payload, frame.length)
    return n
  }

  /** Stops listening, closes every connection with a reason, removes the socket file. */
  close(message = 'the broker stops'): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closed = true
    for (const conn of [...this.pendingConns, ...this.byId.values()]) this.fatal(conn, 'SHUTTING_DOWN', message)
    for (const [key, p] of this.pending) {
      if (!(p.origin instanceof Connection)) p.origin.reject(new ProctorError('UNAVAILABLE', `the broker stopped before ${p.target.id} answered`))
      this.closePending(key)
    }
    this.deadlines.clear()
    // Resolves once every socket is gone: each was told why and is destroyed within LINGER_MS if its peer does not close first.
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()))
    removeSocketFile(this.path)
    return done
  }

  // ------------------------------------------------------------ accepting

  private accept(socket: Socket): void {
    if (this.closed) return void socket.destroy()
    socket.on('error', () => socket.destroy())
    const { maxConnections } = this.options.limits()
    if (this.pendingConns.size + this.byId.size >= maxConnections) {
      this.totals.rejected++
      const reason = `the broker serves ${maxConnections} connections, its limit (ipcConfig.maxConnections); try again later`
      this.refuse(socket, frameBuffer(errorFrame('TOO_MANY_CONNECTIONS', reason, { fatal: true }), this.maxFrameBytes))
      this.traffic({ kind: 'rejected', text: `TOO_MANY_CONNECTIONS: ${reason}` })
      return
    }
    const conn = new Connection(socket, this.maxFrameBytes)
    this.pendingConns.add(conn)
    conn.handshakeTimer = setTimeout(
      () => this.fatal(conn, 'HANDSHAKE_TIMEOUT', `no hello with a token within ${this.handshakeTimeoutMs} ms of connecting; the connection is closed`),
      this.handshakeTimeoutMs,
    )
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk))
    socket.once('close', () => this.detach(conn, 'closed by the peer'))
    socket.on('drain', () => this.drained(conn))
  }

  private refuse(socket: Socket, frame: Buffer): void {
    socket.end(frame)
    setTimeout(() => socket.destroy(), LINGER_MS).unref()
  }

  private onData(conn: Connection, chunk: Buffer): void {
    if (conn.closing) return
    conn.bytesIn += chunk.length
    this.totals.bytes += chunk.length
    conn.lastSeen = Date.now()
    let frames: string[]
    try {
      frames = conn.decoder.push(chunk)
    } catch (err) {
      const e = err as FrameError
      return this.fatal(conn, e.code ?? 'BAD_FRAME', e.message)
    }
    if (frames.length === 0) return
    this.batching = true
    try {
      for (const text of frames) {
        if (conn.closing) break
        this.onFrame(conn, text)
      }
    } catch (err) {
      // A bug must not take the owner down with it: this connection is closed, the others go on.
      this.options.log?.(`IPC broker: failed on a frame from ${conn.id || 'a connection before its handshake'}: ${(err as Error).stack ?? String(err)}`)
      this.fatal(conn, 'INTERNAL', 'the broker failed on a frame of this connection (a bug in Proctor); the connection is closed')
    } finally {
      this.batching = false
      for (const c of this.corked) {
        c.corked = false
        c.socket.uncork()
      }
      this.corked.length = 0
    }
  }

  private onFrame(conn: Connection, text: string): void {
    let msg: unknown
    try {
      msg = JSON.parse(text)
    } catch (err) {
      return this.fatal(conn, 'BAD_FRAME', `the frame is not JSON (${(err as Error).message})`)
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof (msg as Msg).t !== 'string') {
      return this.fatal(conn, 'BAD_FRAME', 'a frame must hold a JSON object with a string "t" (its type)')
    }
    const m = msg as Msg
    if (!conn.authenticated) return this.hello(conn, m)
    conn.messagesIn++
    this.totals.messages++
    switch (m.t) {
      case 'send':
        return this.onSend(conn, m, text)
      case 'request':
        return this.onRequest(conn, m, text)
      case 'response':
        return this.onResponse(conn, m, text)
      case 'broadcast':
        return this.onBroadcast(conn, m)
      case 'heartbeat':
        conn.lastHeartbeat = Date.now()
        return this.traffic({ kind: 'heartbeat', from: conn.id, text: '' })
      case 'ready':
        conn.ready = true
        this.options.onReady?.(conn.identity!)
        return this.traffic({ kind: 'ready', from: conn.id, text: '' })
      case 'hello':
        return this.bad(conn, 'this connection has shaken hands already; a second hello is ignored')
      default:
        return this.bad(conn, `unknown message type ${JSON.stringify(m.t).slice(0, 100)} (known: send, request, response, broadcast, heartbeat, ready)`)
    }
  }

  private hello(conn: Connection, m: Msg): void {
    if (m.t !== 'hello') return this.fatal(conn, 'HANDSHAKE_REQUIRED', 'the first frame must be a hello: { "t": "hello", "token": "<PROCTOR_IPC_TOKEN>" }')
    const hello = helloSchema.safeParse(m)
    if (!hello.success) return this.fatal(conn, 'UNAUTHORIZED', 'the hello has no token, or a malformed one: { "t": "hello", "token": "<PROCTOR_IPC_TOKEN>" }')
    const identity = this.options.identities.find(hello.data.token)
    if (!identity) {
      return this.fatal(conn, 'UNAUTHORIZED', 'the token is unknown or revoked (each run of a program gets a fresh one in PROCTOR_IPC_TOKEN; registerProcessForIPC issues others)')
    }
    if (identity.kind === 'registered' && !this.options.processAlive(identity.pid!, identity.startTime)) {
      this.options.identities.revoke(identity.id)
      this.options.onRevoked?.(identity)
      return this.fatal(
        conn,
        'STALE_PROCESS',
        `the token of ${identity.id} was issued to pid ${identity.pid}, started ${new Date(identity.startTime ?? 0).toISOString()}, which no longer runs (the pid may be another process now): the token is revoked`,
      )
    }
    if (this.byId.has(identity.id)) return this.fatal(conn, 'ALREADY_CONNECTED', `${identity.id} is connected already; one connection per identity`)
    clearTimeout(conn.handshakeTimer)
    conn.handshakeTimer = undefined
    this.pendingConns.delete(conn)
    conn.identity = identity
    conn.id = identity.id
    conn.pid = identity.kind === 'registered' ? identity.pid : hello.data.pid
    this.byId.set(conn.id, conn)
    const limits = this.options.limits()
    this.write(
      conn,
      frameBuffer(
        {
          t: 'welcome',
          v: PROTOCOL_VERSION,
          id: conn.id,
          name: identity.name,
          maxFrameBytes: this.maxFrameBytes,
          reconnectInterval: limits.reconnectInterval,
          maxReconnectAttempts: limits.maxReconnectAttempts,
          messageTimeout: limits.messageTimeout,
        },
        this.maxFrameBytes,
      ),
    )
    this.traffic({ kind: 'connect', from: conn.id, text: `${identity.name}${conn.pid !== undefined ? ` (pid ${conn.pid})` : ''}` })
    this.options.onChange?.()
  }

  // -------------------------------------------------------------- routing

  private onSend(conn: Connection, m: Msg, text: string): void {
    const re = validRequestId(m.id) ? m.id : undefined
    if (!validEndpoint(m.to) || !('payload' in m)) return this.bad(conn, 'a send needs "to" (an endpoint id or a program name) and "payload"', re)
    if (m.to === PROCTOR_ENDPOINT) return this.log('send', conn.id, PROCTOR_ENDPOINT, m.payload, text.length)
    const target = this.resolve(m.to)
    if (!target) return this.error(conn, 'NOT_FOUND', this.notFound(m.to), re)
    const raw = rawPayload(text, `{"t":"send","to":${JSON.stringify(m.to)},"payload":`, m, 3)
    const frame = this.frameFor(raw !== undefined ? `{"from":${JSON.stringify(conn.id)},"payload":${raw},"t":"message"}` : { t: 'message', from: conn.id, payload: m.payload })
    if (isRefusal(frame)) return this.error(conn, frame.code, frame.message, re)
    this.write(target, frame)
    this.backpressure(conn, target)
    this.log('send', conn.id, target.id, m.payload, frame.length)
  }

  private onRequest(conn: Connection, m: Msg, text: string): void {
    const id = m.id
    if (!validRequestId(id)) return this.bad(conn, 'a request needs an "id" (a string of up to 100 characters, or a non-negative integer)')
    if (!validEndpoint(m.to) || !('payload' in m)) return this.respondError(conn, id, 'BAD_MESSAGE', 'a request needs "to" (an endpoint id or a program name) and "payload"')
    const t = m.timeoutMs
    if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= 600_000)) {
      return this.respondError(conn, id, 'BAD_MESSAGE', '"timeoutMs" must be an integer from 1 to 600000')
    }
    if (m.to === PROCTOR_ENDPOINT) return this.proctorAnswers(conn, id, m.payload)
    const target = this.resolve(m.to)
    if (!target) return this.respondError(conn, id, 'NOT_FOUND', this.notFound(m.to))
    const key = this.open(target, conn, id, t ?? this.options.limits().messageTimeout)
    const raw = rawPayload(text, `{"t":"request","to":${JSON.stringify(m.to)},"id":${JSON.stringify(id)},${t !== undefined ? `"timeoutMs":${t},` : ''}"payload":`, m, t !== undefined ? 5 : 4)
    const frame = this.frameFor(raw !== undefined ? `{"from":${JSON.stringify(conn.id)},"id":${key},"payload":${raw},"t":"request"}` : { t: 'request', from: conn.id, id: key, payload: m.payload })
    if (isRefusal(frame)) {
      this.closePending(key)
      return this.respondError(conn, id, frame.code, frame.message)
    }
    this.write(target, frame)
    this.backpressure(conn, target)
    this.log('request', conn.id, target.id, m.payload, frame.length, String(id))
  }

  private onResponse(conn: Connection, m: Msg, text: string): void {
    const p = typeof m.id === 'number' ? this.pending.get(m.id) : undefined
    // A response to no waiting request (it timed out, or was never made) is dropped.
    if (!p || p.target !== conn) return this.traffic({ kind: 'error', from: conn.id, text: `a response to no waiting request (id ${String(m.id).slice(0, 40)}) was dropped` })
    const e = m.error as Msg | undefined
    const error =
      e === undefined
        ? undefined
        : { code: typeof e?.code === 'string' ? e.code.slice(0, 100) : 'HANDLER_ERROR', message: typeof e?.message === 'string' ? e.message.slice(0, 10_000) : 'the handler failed' }
    if (!error && !('payload' in m)) return this.bad(conn, 'a response needs "payload" or "error": { "code", "message" }')
    this.closePending(m.id as number)
    const to = p.origin instanceof Connection ? p.origin : undefined
    this.log('response', conn.id, to ? to.id : PROCTOR_ENDPOINT, error ?? m.payload, text.length, String(p.originId))
    if (to) {
      const raw = error ? undefined : rawPayload(text, `{"t":"response","id":${m.id as number},"payload":`, m, 3)
      const frame = this.frameFor(
        raw !== undefined
          ? `{"id":${JSON.stringify(p.originId)},"from":${JSON.stringify(conn.id)},"payload":${raw},"t":"response"}`
          : { t: 'response', id: p.originId, from: conn.id, ...(error ? { error } : { payload: m.payload }) },
      )
      if (isRefusal(frame)) return this.respondError(to, p.originId, frame.code, `the response of ${conn.id}: ${frame.message}`, conn.id)
      this.write(to, frame)
      this.backpressure(conn, to)
      return
    }
    const origin = p.origin as Exclude<Pending['origin'], Connection>
    if (error) origin.reject(new ProctorError('INTERNAL', `${conn.id} answered with an error: ${error.message}`, { remoteError: error }))
    else origin.resolve({ from: conn.id, payload: m.payload, durationMs: Date.now() - p.startedAt })
  }

  private onBroadcast(conn: Connection, m: Msg): void {
    if (!('payload' in m)) return this.bad(conn, 'a broadcast needs "payload"')
    const frame = this.frameFor({ t: 'message', from: conn.id, payload: m.payload, broadcast: true })
    if (isRefusal(frame)) return this.error(conn, frame.code, frame.message)
    for (const target of this.byId.values()) {
      if (target !== conn) this.write(target, frame)
    }
    this.log('broadcast', conn.id, '*', m.payload, frame.length)
  }

  /** Proctor's own answers: `{ "ping": ... }` gets `{ "pong": true }`; anything else an error saying so. */
  private proctorAnswers(conn: Connection, id: string | number, payload: unknown): void {
    this.log('request', conn.id, PROCTOR_ENDPOINT, payload, 0, String(id))
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload) && 'ping' in payload) {
      this.write(conn, frameBuffer({ t: 'response', id, from: PROCTOR_ENDPOINT, payload: { pong: true } }, this.maxFrameBytes))
    } else {
      this.respondError(conn, id, 'HANDLER_ERROR', 'Proctor answers only { "ping": ... } requests (with { "pong": true })', PROCTOR_ENDPOINT)
    }
  }

  private resolve(to: string): Connection | undefined {
    return this.byId.get(to) ?? this.byId.get(`p:${to}`)
  }

  private target(to: string): Connection {
    const target = this.resolve(to)
    if (!target) throw new ProctorError('NOT_FOUND', this.notFound(to), { target: to })
    return target
  }

  private notFound(to: string): string {
    const ids = [...this.byId.keys()]
    const shown = ids.slice(0, 10).join(', ') + (ids.length > 10 ? `, and ${ids.length - 10} more` : '')
    return `no endpoint ${JSON.stringify(to.slice(0, 200))} is connected (connected: ${shown || 'none'})`
  }

  // ------------------------------------------------------------- requests

  /** A request waiting for its answer, under a key of the broker's; `originId` is the asker's own id (the key when Proctor asks). */
  private open(target: Connection, origin: Pending['origin'], originId: string | number | undefined, timeoutMs: number): number {
    const key = ++this.seq
    const p: Pending = { target, origin, originId: originId ?? key, startedAt: Date.now(), timeoutMs }
    this.pending.set(key, p)
    this.deadlines.add(key, p, timeoutMs)
    return key
  }

  /** The request settled: out of `pending`, which is all its deadline needs to lapse. */
  private closePending(key: number): void {
    this.pending.delete(key)
  }

  private expire(key: number): void {
    const p = this.pending.get(key)
    if (!p) return
    this.pending.delete(key)
    const message = `no response from ${p.target.id} within ${p.timeoutMs} ms`
    this.traffic({ kind: 'error', from: p.target.id, requestId: String(p.originId), text: `TIMEOUT: ${message}` })
    if (p.origin instanceof Connection) this.respondError(p.origin, p.originId, 'TIMEOUT', message, p.target.id)
    else p.origin.reject(new ProctorError('TIMEOUT', message, { target: p.target.id, timeoutMs: p.timeoutMs }))
  }

  // --------------------------------------------------------------- output

  /**
   * The frame of a message to route, or why it cannot be made: over the
   * frame limit once forwarded, or a payload JSON.parse took but
   * JSON.stringify cannot write again (nested too deeply for the stack).
   */
  private frameFor(message: Msg | string): Buffer | Refusal {
    try {
      return typeof message === 'string' ? frameTextBuffer(message, this.maxFrameBytes) : frameBuffer(message, this.maxFrameBytes)
    } catch (err) {
      if (err instanceof FrameError) return { code: 'FRAME_TOO_LARGE', message: `the message, forwarded, would be over the ${this.maxFrameBytes}-byte frame limit` }
      return { code: 'BAD_MESSAGE', message: `the payload cannot be forwarded: ${(err as Error).message}` }
    }
  }

  private encodeForProctor(message: Msg): Buffer {
    try {
      return frameBuffer(message, this.maxFrameBytes)
    } catch (err) {
      if (err instanceof FrameError) throw new ProctorError('INVALID_ARGUMENT', `the payload is too large for the broker: ${err.message}`)
      throw new ProctorError('INVALID_ARGUMENT', `the payload cannot be sent: ${(err as Error).message}`)
    }
  }

  /** Writes Proctor's own message; its frame's length. */
  private proctorWrite(target: Connection, message: Msg): number {
    const frame = this.encodeForProctor(message)
    this.write(target, frame)
    return frame.length
  }

  /** Queues a frame to `conn`; false when it is closing. Past maxQueuedBytes it is dropped as a slow consumer. */
  private write(conn: Connection, frame: Buffer): boolean {
    if (conn.closing) return false
    if (this.batching && !conn.corked) {
      conn.socket.cork()
      conn.corked = true
      this.corked.push(conn)
    }
    conn.socket.write(frame)
    conn.messagesOut++
    conn.bytesOut += frame.length
    if (conn.socket.writableLength > this.maxQueuedBytes) {
      this.fatal(conn, 'SLOW_CONSUMER', `more than ${this.maxQueuedBytes} bytes queued to this connection and not read: it is closed`)
      return false
    }
    return true
  }

  /** Pauses `source` while `target` has more than the high-water mark queued. */
  private backpressure(source: Connection, target: Connection): void {
    if (target.closing || source === target || target.socket.writableLength <= this.highWater || target.waiters.has(source)) return
    target.waiters.add(source)
    source.pausedBy++
    source.socket.pause()
    target.stallTimer ??= setTimeout(
      () => this.fatal(target, 'SLOW_CONSUMER', `more than ${this.highWater} bytes stayed queued to this connection for ${this.stallMs} ms: it is closed`),
      this.stallMs,
    )
  }

  private drained(conn: Connection): void {
    if (conn.stallTimer) clearTimeout(conn.stallTimer)
    conn.stallTimer = undefined
    this.release(conn)
  }

  private release(conn: Connection): void {
    for (const waiter of conn.waiters) {
      if (--waiter.pausedBy === 0 && !waiter.closing) waiter.socket.resume()
    }
    conn.waiters.clear()
  }

  private error(conn: Connection, code: WireErrorCode, message: string, re?: string | number): void {
    this.write(conn, frameBuffer(errorFrame(code, message, re !== undefined ? { re } : {}), this.maxFrameBytes))
  }

  private bad(conn: Connection, message: string, re?: string | number): void {
    this.error(conn, 'BAD_MESSAGE', message, re)
  }

  private respondError(conn: Connection, id: string | number, code: WireErrorCode, message: string, from?: string): void {
    this.write(conn, frameBuffer({ t: 'response', id, ...(from ? { from } : {}), error: { code, message } }, this.maxFrameBytes))
  }

  /** Tells `conn` why in an error frame, then closes it. */
  private fatal(conn: Connection, code: WireErrorCode, message: string): void {
    if (conn.closing) return
    const authenticated = conn.authenticated
    if (!authenticated) this.totals.rejected++
    if (conn.corked) {
      conn.corked = false
      conn.socket.uncork()
    }
    conn.closing = true
    this.traffic({ kind: authenticated ? 'disconnect' : 'rejected', ...(authenticated ? { from: conn.id } : {}), text: `${code}: ${message}` })
    this.detach(conn, `${code}: ${message}`, true)
    this.refuse(conn.socket, frameBuffer(errorFrame(code, message, { fatal: true }), this.maxFrameBytes))
  }

  /** Takes `conn` out of routing, once: its requests fail, the senders waiting on it resume. */
  private detach(conn: Connection, reason: string, told = false): void {
    if (conn.handshakeTimer) clearTimeout(conn.handshakeTimer)
    if (conn.stallTimer) clearTimeout(conn.stallTimer)
    conn.handshakeTimer = conn.stallTimer = undefined
    this.pendingConns.delete(conn)
    const wasRouted = conn.id !== '' && this.byId.get(conn.id) === conn
    if (!wasRouted) return
    conn.closing = true
    this.byId.delete(conn.id)
    this.release(conn)
    for (const [key, p] of this.pending) {
      if (p.target === conn) {
        this.closePending(key)
        const message = `${conn.id} disconnected before it answered`
        if (p.origin instanceof Connection) this.respondError(p.origin, p.originId, 'PEER_GONE', message, conn.id)
        else p.origin.reject(new ProctorError('UNAVAILABLE', message, { target: conn.id }))
      } else if (p.origin === conn) {
        this.closePending(key)
      }
    }
    if (!told) this.traffic({ kind: 'disconnect', from: conn.id, text: reason })
    this.options.onChange?.()
  }

  // -------------------------------------------------------------- traffic

  private traffic(event: Omit<IPCTrafficEvent, 'at' | 'bytes'> & { bytes?: number }): void {
    if (!this.options.traffic.active) return
    this.options.traffic.add({ at: Date.now(), bytes: 0, ...event })
  }

  /** A message in the traffic log; built only while someone watches. */
  private log(kind: IPCTrafficEvent['kind'], from: string, to: string, payload: unknown, bytes: number, requestId?: string): void {
    if (!this.options.traffic.active) return
    this.options.traffic.add({ at: Date.now(), kind, from, to, ...(requestId !== undefined ? { requestId } : {}), bytes, text: previewJson(payload) })
  }
}
