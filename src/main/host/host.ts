import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Router } from '../../shared/rpc/router'
import { RpcSession, MAX_CLIENT_MESSAGE } from '../../shared/rpc/session'
import type { ServerMessage } from '../../shared/rpc/protocol'
import { allowedHosts, checkHostAndOrigin, hasToken, newToken, TOKEN_COOKIE } from './auth'
import { readStatic } from './static'

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
}

export interface RunningHost {
  url: string
  port: number
  token: string
  connections(): number
  close(): Promise<void>
}

/** Drop stream events (never call results) for a client this far behind. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

/**
 * The headless host: the engine's contract over WebSocket, and the built
 * renderer over HTTP, for browser mode and the CLI. Binds 127.0.0.1 unless
 * told otherwise; every request and socket must carry the token.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken()
  const bindHost = options.host ?? '127.0.0.1'
  const maxConnections = options.maxConnections ?? 32
  let hosts = new Set<string>()

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE * 4 })
  const sessions = new Set<RpcSession>()

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
    if (!hasToken(req, url, token)) return deny(res, 401, 'Unauthorized: open the URL that `proctor serve` printed; it carries the token.')
    const bad = checkHostAndOrigin(req, hosts)
    if (bad) return deny(res, 403, `Forbidden: ${bad}.`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.')
    const file = await readStatic(options.staticDir, url.pathname)
    if (!file) return deny(res, 404, 'Not found.')
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    res.setHeader('Cache-Control', 'no-store')
    // The assets the page loads carry no query; the cookie lets them through.
    res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (!hasToken(req, url, token)) return refuse(401, 'Unauthorized')
    if (checkHostAndOrigin(req, hosts)) return refuse(403, 'Forbidden')
    if (url.pathname !== API_PATH) return refuse(404, 'Not Found')
    if (sessions.size >= maxConnections) return refuse(503, 'Service Unavailable')
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws))
  })

  function attach(ws: WebSocket): void {
    const session = new RpcSession(options.router, (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return
      if (message.t === 'event' && ws.bufferedAmount > MAX_BUFFERED_BYTES) return
      ws.send(JSON.stringify(message))
    })
    sessions.add(session)
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString()
      void session.receive(isBinary ? '\u0000binary' : text)
    })
    ws.on('close', () => {
      session.close()
      sessions.delete(session)
    })
    ws.on('error', () => ws.terminate())
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
  hosts = allowedHosts(bindHost, port)
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    connections: () => sessions.size,
    close: async () => {
      for (const session of sessions) session.close()
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
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
  const shown = bindHost.includes(':') ? `[${bindHost}]` : bindHost
  return Object.assign(new Error(`cannot listen on ${shown}:${port}: ${why}`), { code })
}
