import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hasBearer } from './token'

export interface MetricsListenerOptions {
  address: string
  port: number
  token: string
  contentType: () => string
  scrape: () => Promise<string>
  log: (message: string) => void
}

export interface MetricsListener {
  readonly url: string
  close(): Promise<void>
}

/**
 * The HTTP side of /metrics: GET /metrics with `Authorization: Bearer
 * <token>`, nothing else. No Host or Origin check is needed, unlike the
 * headless host's: a browser never sends a bearer token by itself, so a web
 * page (or a DNS-rebound name) cannot read these metrics without the token.
 */
export async function listenForScrapes(options: MetricsListenerOptions): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers })
      res.end(`${text}\n`)
    }
    if (path !== '/metrics') return reply(404, `not found: this endpoint serves GET /metrics only`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, `method ${req.method ?? ''} not allowed: use GET`, { allow: 'GET, HEAD' })
    if (!hasBearer(req.headers.authorization, options.token)) {
      return reply(401, 'unauthorized: send the token as "Authorization: Bearer <token>" (see metrics.token in the data folder, or PROCTOR_TOKEN)', {
        'www-authenticate': 'Bearer realm="proctor"',
      })
    }
    options.scrape().then(
      (body) => {
        res.writeHead(200, { 'content-type': options.contentType(), 'cache-control': 'no-store' })
        res.end(req.method === 'HEAD' ? undefined : body)
      },
      (err: unknown) => {
        options.log(`metrics: a scrape failed: ${(err as Error).message}`)
        reply(500, `the metrics could not be read: ${(err as Error).message}`)
      },
    )
  })
  // A scrape is one short request: idle keep-alive sockets must not hold the owner's exit.
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.address, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
