import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

/** Real servers for the health tests, closed after each test. */
const open: { close(): void }[] = []

afterEach(() => {
  for (const s of open.splice(0)) s.close()
})

/** An HTTP server answering `status` (changeable), counting requests and open connections. */
export async function httpServer(initial = 200): Promise<{ url: string; port: number; status: number; requests: number; server: Server }> {
  const state = { url: '', port: 0, status: initial, requests: 0, server: createHttpServer((_req, res) => {
    state.requests += 1
    res.writeHead(state.status, { 'content-type': 'text/plain' })
    res.end('x'.repeat(64 * 1024))
  }) }
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve))
  state.port = (state.server.address() as AddressInfo).port
  state.url = `http://127.0.0.1:${state.port}/health`
  open.push({ close: () => state.server.close() })
  return state
}

/** Open connections on a server now. */
export function connections(server: { getConnections(cb: (err: Error | null, n: number) => void): void }): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))))
}

/** A TCP server accepting connections on 127.0.0.1, counting them. */
export async function tcpServer(port = 0): Promise<{ port: number; accepted: number }> {
  const state = { port: 0, accepted: 0 }
  const server = createTcpServer((socket) => {
    state.accepted += 1
    socket.on('error', () => {})
    socket.end()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  state.port = (server.address() as AddressInfo).port
  open.push({ close: () => server.close() })
  return state
}

/** A port nothing listens on: one the kernel gave out and took back. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
