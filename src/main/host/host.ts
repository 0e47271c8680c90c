import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { BacklogLimits } from '../../shared/rpc/backlog'
import type { Router } from '../../shared/rpc/router'
import { RpcSession } from '../../shared/rpc/session'
import { MAX_CLIENT_MESSAGE } from '../../shared/rpc/textCodec'
import { API_SUBPROTOCOL, CLOSE_HOST_FULL, CLOSE_UNAUTHORIZED, hostFullReason } from '../../shared/rpc/protocol'
import type { Caller } from '../../shared/types/caller'
import { AllowedHosts, checkHostAndOrigin, hasToken, hostName, isWildcard, newToken } from './auth'
import { readStatic } from './static'
import { webSocketChannel } from './wsChannel'

export const API_PATH = '/api'

/** Served with every page; the renderer needs nothing beyond its own origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

export interface HostOptions {
  router: Router
  /** The built renderer (out/renderer). */
  staticDir: string
  port?: number
  host?: string
  token?: string
  maxConnections?: number
  /** Names the Host header may carry besides this machine's own (`--allow-host`). */
  allowHosts?: readonly string[]
  /** Live subscriptions one socket may hold (default 64). */
  maxSubscriptions?: number
  /** A ping this often; a socket that has not answered the previous one is dropped (default 20 s). */
  heartbeatMs?: number
  /**
   * Bytes queued for a socket past which its stream events are dropped and
   * its new calls refused with QUEUE_FULL (default 16 MiB).
   */
  maxBufferedBytes?: number
  /** Bytes queued for a socket past which it is dropped (default twice maxBufferedBytes). */
  dropBufferedBytes?: number
}

export interface RunningHost {
  url: string
  port: number
  token: string
  connections(): number
  /** The Host header values it answers to right now. */
  hostNames(): string[]
  close(): Promise<void>
}

const MIB = 1024 * 1024

/** Sockets accepted only to be told why they cannot be served: at most this many at once, each for at most this long. */
const MAX_TURNING_AWAY = 16
const TURN_AWAY_GRACE_MS = 2000

/**
 * The headless host: the engine's contract over WebSocket, and the built
 * renderer over HTTP, for browser mode and the CLI. Binds 127.0.0.1 unless
 * told otherwise. The UI's files are public code and served to anyone who
 * names this server in Host; the API (the WebSocket at /api) requires the
 * token, which the page takes from its URL's fragment and offers as a
 * subprotocol.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken()
  const bindHost = options.host ?? '127.0.0.1'
  const maxConnections = options.maxConnections ?? 32
  const maxSubscriptions = options.maxSubscriptions ?? 64
  const heartbeatMs = options.heartbeatMs ?? 20_000
  const softBuffer = options.maxBufferedBytes ?? 16 * MIB
  const backlog = new BacklogLimits(softBuffer, options.dropBufferedBytes ?? softBuffer * 2)
  let hosts = new AllowedHosts(bindHost, options.port ?? 0, options.allowHosts)

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE * 4,
    // Select the API's subprotocol; the token's is read in the upgrade and never echoed.
    handleProtocols: (offered) => (offered.has(API_SUBPROTOCOL) ? API_SUBPROTOCOL : false),
  })
  const sessions = new Map<WebSocket, RpcSession>()
  /** Sockets pinged and not yet answered. */
  const awaitingPong = new Set<WebSocket>()
  let turningAway = 0

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    const bad = checkHostAndOrigin(req, hosts)
    if (bad) return deny(res, 403, `Forbidden: ${bad}.`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.')
    if (url.pathname === API_PATH) return deny(res, 426, 'Upgrade required: the API is a WebSocket, authenticated by the token.')
    const file = await readStatic(options.staticDir, url.pathname)
    if (!file) return deny(res, 404, 'Not found.')
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    res.setHeader('Cache-Control', 'no-store')
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (checkHostAndOrigin(req, hosts)) return refuse(socket, 403, 'Forbidden')
    if (url.pathname !== API_PATH) return refuse(socket, 404, 'Not Found')
    if (!hasToken(req, token)) {
      return turnAway(req, socket, head, CLOSE_UNAUTHORIZED, 'unauthorized: the token is missing or wrong', 401, 'Unauthorized')
    }
    if (sessions.size >= maxConnections) {
      return turnAway(req, socket, head, CLOSE_HOST_FULL, hostFullReason(maxConnections), 503, 'Service Unavailable')
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, req))
  })

  /**
   * A browser cannot read the status of a refused upgrade: it only sees a
   * failed socket, as if no host were there. So a handshake that passed the
   * Host and Origin checks is accepted and closed at once with a code and a
   * reason the page can show. No message of such a socket is read.
   */
  function turnAway(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string, status: number, text: string): void {
    if (turningAway >= MAX_TURNING_AWAY) return refuse(socket, status, text)
    turningAway++
    const timer = setTimeout(() => socket.destroy(), TURN_AWAY_GRACE_MS)
    socket.once('close', () => {
      clearTimeout(timer)
      turningAway--
    })
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate())
      ws.close(code, reason)
    })
  }

  function attach(ws: WebSocket, req: IncomingMessage): void {
    const session = new RpcSession(options.router, webSocketChannel(ws, backlog), browserCaller(req), {
      maxSubscriptions,
      busy: () => backlog.refusal(ws.bufferedAmount),
    })
    sessions.set(ws, session)
    ws.on('pong', () => awaitingPong.delete(ws))
    ws.on('close', () => {
      sessions.delete(ws)
      awaitingPong.delete(ws)
    })
    ws.on('error', () => ws.terminate())
  }

  /**
   * Drops sockets whose peer vanished (a closed laptop, a dead tab) and so
   * frees their slots. A peer gets one interval to answer; one that far
   * behind its reading that the ping waits longer is dropped too.
   */
  function heartbeat(): void {
    for (const ws of sessions.keys()) {
      // Closing already: its 'close' event is on the way.
      if (ws.readyState !== ws.OPEN) continue
      if (awaitingPong.has(ws)) {
        ws.terminate()
        continue
      }
      awaitingPong.add(ws)
      ws.ping()
    }
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, bindHost, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    wss.close()
    throw listenError(err, bindHost, options.port ?? 0)
  }
  const port = (server.address() as AddressInfo).port
  hosts = new AllowedHosts(bindHost, port, options.allowHosts)
  const pinger = setInterval(heartbeat, heartbeatMs)
  pinger.unref()
  const shownHost = isWildcard(bindHost) ? '127.0.0.1' : hostName(bindHost)

  return {
    // The token in the fragment: browsers never send a fragment to any server.
    url: `http://${shownHost}:${port}/#token=${token}`,
    port,
    token,
    connections: () => sessions.size,
    hostNames: () => hosts.names(),
    close: async () => {
      clearInterval(pinger)
      for (const session of sessions.values()) session.close()
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The audit log names a browser session by the address and port it connected from. */
function browserCaller(req: IncomingMessage): Caller {
  const { remoteAddress, remotePort } = req.socket
  if (!remoteAddress) return { kind: 'browser', detail: 'unknown address' }
  return { kind: 'browser', detail: `${remoteAddress.includes(':') ? `[${remoteAddress}]` : remoteAddress}:${remotePort}` }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function deny(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(`${message}\n`)
}

const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'that address is not one of this machine’s',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved now',
  EAFNOSUPPORT: 'this machine does not support that address family',
}

/** A failed listen as one line that names the address and says why. */
function listenError(err: unknown, bindHost: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code ?? ''
  const why = LISTEN_REASONS[code] ?? (err as Error).message
  return Object.assign(new Error(`cannot listen on ${hostName(bindHost)}:${port}: ${why}`), { code })
}
