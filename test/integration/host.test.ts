import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { startHost, type HostOptions, type RunningHost } from '../../src/main/host/host'
import { apiSubprotocols, API_SUBPROTOCOL, CLOSE_HOST_FULL, CLOSE_UNAUTHORIZED, type ServerMessage } from '../../src/shared/rpc/protocol'
import { createApi } from '../../src/shared/rpc/client'
import { webSocketTransport, type SocketLike } from '../../src/shared/rpc/wsClient'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', address = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

interface Opened {
  ws?: WebSocket
  /** The HTTP status of a refused upgrade. */
  status?: number
  /** Whether the host said it serves the socket (its first message); a socket turned away is closed instead. */
  ready?: boolean
}

/** Opens a socket and waits for the host's first word: 'ready', a close, or an HTTP refusal. */
function openSocket(url: string, protocols: string[] = [], headers: Record<string, string> = {}): Promise<Opened> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers })
    ws.once('message', (d) => resolve({ ws, ready: (JSON.parse(d.toString()) as ServerMessage).t === 'ready' }))
    ws.once('close', () => resolve({ ws, ready: false }))
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    ws.once('error', () => resolve({}))
  })
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) throw new Error('already closed')
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

function nextMessage(ws: WebSocket): Promise<ServerMessage> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()) as ServerMessage)))
}

/** Sends one call and waits for its result (messages of other ids are skipped). */
function call(ws: WebSocket, id: number, name: string, arg?: unknown): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const msg = JSON.parse(d.toString()) as ServerMessage
      if ((msg.t === 'result' || msg.t === 'error') && msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ t: 'call', id, name, arg }))
  })
}

function uiFolder(): string {
  const staticDir = tempDir('proctor-static-')
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Proctor</title>')
  mkdirSync(join(staticDir, 'assets'))
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(staticDir, '..', 'secret.txt'), 'do not serve')
  return staticDir
}

describe('the headless host', () => {
  let engine: Engine
  let host: RunningHost
  let api: string
  let token: string[]
  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    host = await startHost({ router: engine.router, staticDir: uiFolder(), port: 0, maxConnections: 3 })
    api = `ws://127.0.0.1:${host.port}/api`
    token = apiSubprotocols(host.token)
  })
  afterAll(async () => {
    await host.close()
    engine.close()
  })

  /** Another host on the same engine, for the tests that change its limits. */
  async function withHost<T>(options: Partial<HostOptions>, run: (other: RunningHost) => Promise<T>): Promise<T> {
    const other = await startHost({ router: engine.router, staticDir: uiFolder(), port: 0, ...options })
    try {
      return await run(other)
    } finally {
      await other.close()
    }
  }

  it('prints a loopback URL with a fresh random token in the fragment, which browsers never send', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('serves the UI, public code, without the token, with a CSP, and never sets a cookie', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', `/?token=${host.token}`]) {
      const res = await get(host.port, path)
      expect(res.status, path).toBe(200)
      expect(res.headers['set-cookie'], path).toBeUndefined()
      expect(res.headers['content-security-policy']).toContain("default-src 'self'")
      expect(res.headers['referrer-policy']).toBe('no-referrer')
    }
    expect((await get(host.port, '/')).body).toContain('<title>Proctor</title>')
    expect((await get(host.port, '/assets/app.js')).headers['content-type']).toContain('text/javascript')
  })

  it('answers plain HTTP at /api with 426, whatever token the query or a cookie carries', async () => {
    for (const [path, headers] of [
      ['/api', {}],
      [`/api?token=${host.token}`, {}],
      ['/api', { Cookie: `proctor_token=${host.token}` }],
    ] as const) {
      const res = await get(host.port, path, headers)
      expect(res.status, path).toBe(426)
      expect(res.body).toContain('WebSocket')
    }
  })

  it('never serves files outside the UI folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await get(host.port, path)
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('do not serve')
    }
  })

  it('refuses a foreign Host (DNS rebinding) or Origin, to pages and to the API', async () => {
    const rebound = await get(host.port, '/', { Host: `evil.example:${host.port}` })
    expect(rebound.status).toBe(403)
    expect(rebound.body).toContain('evil.example')
    expect((await get(host.port, '/', { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await get(host.port, '/', { Host: `192.0.2.2:${host.port}` })).status).toBe(403)
    const ok = await get(host.port, '/', { Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` })
    expect(ok.status).toBe(200)
    expect((await get(host.port, '/', {}, 'POST')).status).toBe(405)
    expect((await openSocket(api, token, { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await openSocket(api, token, { Host: `evil.example:${host.port}` })).status).toBe(403)
    expect((await openSocket(`ws://127.0.0.1:${host.port}/elsewhere`, token)).status).toBe(404)
  })

  it('opens the API to the token offered as a subprotocol, and selects only the API’s subprotocol', async () => {
    const { ws, ready } = await openSocket(api, token, { Origin: `http://127.0.0.1:${host.port}` })
    if (!ws) throw new Error('no socket')
    expect(ready).toBe(true)
    expect(ws.protocol).toBe(API_SUBPROTOCOL)
    expect(await call(ws, 1, 'getSettings')).toMatchObject({ t: 'result', id: 1, result: { ok: true } })
    ws.close()
  })

  it('turns a socket without the right token away with 4401 and reads none of its messages', async () => {
    const cases: [string, string[], Record<string, string>][] = [
      ['no token', [API_SUBPROTOCOL], {}],
      ['a wrong token', apiSubprotocols('x'.repeat(32)), {}],
      ['the token in the query (the old way)', [API_SUBPROTOCOL], {}],
      ['the token in a cookie (the old way)', [API_SUBPROTOCOL], { Cookie: `proctor_token=${host.token}` }],
      ['no subprotocol at all', [], {}],
    ]
    for (const [what, protocols, headers] of cases) {
      const url = what.includes('query') ? `${api}?token=${host.token}` : api
      const ws = new WebSocket(url, protocols, { headers })
      const messages: string[] = []
      ws.on('message', (d) => messages.push(d.toString()))
      ws.once('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, name: 'getSettings' }), () => {}))
      expect(await closed(ws), what).toEqual({ code: CLOSE_UNAUTHORIZED, reason: 'unauthorized: the token is missing or wrong' })
      // Not even 'ready', and no answer to the call.
      expect(messages, what).toEqual([])
    }
    expect(host.connections()).toBe(0)
  })

  it('answers malformed messages with an error and keeps the connection and the host alive', async () => {
    const { ws } = await openSocket(api, token)
    if (!ws) throw new Error('no socket')
    const cases: [string | Buffer, RegExp][] = [
      ['not json', /not JSON/],
      ['{"t":"call"}', /malformed message: .*(id|name)/],
      ['{"t":"teleport","id":1}', /malformed message/],
      ['[]', /malformed message/],
      ['null', /malformed message/],
      [JSON.stringify({ t: 'call', id: 1, name: 'getSettings', extra: 1 }), /extra/],
      ['x'.repeat(1.5 * 1024 * 1024), /too large/],
    ]
    for (const [text, pattern] of cases) {
      const reply = nextMessage(ws)
      ws.send(text)
      const msg = await reply
      expect(msg.t).toBe('error')
      expect(msg.t === 'error' && msg.error.code).toBe('INVALID_ARGUMENT')
      expect(msg.t === 'error' && msg.error.message).toMatch(pattern)
    }
    expect(await call(ws, 7, 'getSettings')).toMatchObject({ t: 'result', id: 7, result: { ok: true } })
    ws.close()
  })

  it('ends a client’s streams when it disconnects', async () => {
    const { ws } = await openSocket(api, token)
    if (!ws) throw new Error('no socket')
    const first = nextMessage(ws)
    ws.send(JSON.stringify({ t: 'sub', id: 1, topic: 'subscribeToProcessUpdates' }))
    expect(await first).toMatchObject({ t: 'result', id: 1, result: { ok: true } })
    expect(engine.processes.stream.subscribers).toBe(1)
    ws.terminate()
    await waitFor(() => engine.processes.stream.subscribers === 0, 3000, 'the stream to end')
  })

  it('caps the number of connections, and tells the one turned away why with 1013 and the cap', async () => {
    const open = await Promise.all([openSocket(api, token), openSocket(api, token), openSocket(api, token)])
    expect(open.every((o) => o.ready)).toBe(true)
    const extra = new WebSocket(api, token)
    const messages: string[] = []
    extra.on('message', (d) => messages.push(d.toString()))
    // Accepted only to be told why: a browser cannot read the status of a refused upgrade.
    expect(await closed(extra)).toEqual({ code: CLOSE_HOST_FULL, reason: 'host full: 3 connections' })
    expect(messages).toEqual([])
    expect(host.connections()).toBe(3)
    const firstGone = closed(open[0].ws!)
    open[0].ws!.close()
    await firstGone
    await waitFor(() => host.connections() === 2, 3000, 'the slot to free')
    const { ws: again } = await openSocket(api, token)
    expect(again && (await call(again, 1, 'getSettings'))).toMatchObject({ result: { ok: true } })
    for (const ws of [again, open[1].ws, open[2].ws]) ws?.close()
    await waitFor(() => host.connections() === 0, 3000, 'every slot to free')
  })

  it('caps live subscriptions per socket at 64 with QUEUE_FULL naming the cap; the socket keeps serving', async () => {
    const { ws } = await openSocket(api, token)
    if (!ws) throw new Error('no socket')
    const replies = new Map<number, ServerMessage>()
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as ServerMessage
      if (msg.t === 'result') replies.set(msg.id, msg)
    })
    for (let id = 1; id <= 65; id++) ws.send(JSON.stringify({ t: 'sub', id, topic: 'subscribeToMetrics' }))
    await waitFor(() => replies.size === 65, 5000, '65 replies')
    expect([...replies.values()].filter((r) => r.t === 'result' && r.result.ok)).toHaveLength(64)
    const refused = replies.get(65)
    expect(refused).toMatchObject({ t: 'result', id: 65, result: { ok: false, error: { code: 'QUEUE_FULL', details: { limit: 64 } } } })
    expect(refused?.t === 'result' && !refused.result.ok && refused.result.error.message).toMatch(/too many subscriptions.*limit is 64/)
    // Still serving: calls answer, and ending one subscription makes room for another.
    expect(await call(ws, 100, 'getSettings')).toMatchObject({ result: { ok: true } })
    ws.send(JSON.stringify({ t: 'unsub', id: 1 }))
    ws.send(JSON.stringify({ t: 'sub', id: 101, topic: 'subscribeToMetrics' }))
    await waitFor(() => replies.get(101), 5000, 'the new subscription')
    expect(replies.get(101)).toMatchObject({ result: { ok: true } })
    const gone = closed(ws)
    ws.close()
    await gone
  })

  it('pings every socket and drops one whose peer stopped answering, freeing its slot', async () => {
    await withHost({ heartbeatMs: 300, maxConnections: 2 }, async (other) => {
      // A live client (ws answers pings by itself) ...
      const { ws: live } = await openSocket(`ws://127.0.0.1:${other.port}/api`, apiSubprotocols(other.token))
      if (!live) throw new Error('no socket')
      // ... and a peer that completed the handshake, then went silent: it reads nothing, so it never answers a ping.
      const dead = connect(other.port, '127.0.0.1')
      dead.write(
        'GET /api HTTP/1.1\r\n' +
          `Host: 127.0.0.1:${other.port}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
          `Sec-WebSocket-Protocol: ${apiSubprotocols(other.token).join(', ')}\r\n\r\n`,
      )
      const handshake = await new Promise<string>((resolve) => dead.once('data', (d: Buffer) => resolve(d.toString())))
      expect(handshake).toMatch(/^HTTP\/1\.1 101/)
      dead.pause()
      expect(other.connections()).toBe(2)
      await waitFor(() => other.connections() === 1, 5000, 'the silent peer to be dropped')
      dead.destroy()
      // The live one answered every ping and is still served.
      await new Promise((r) => setTimeout(r, 1000))
      expect(live.readyState).toBe(WebSocket.OPEN)
      expect(await call(live, 1, 'getSettings')).toMatchObject({ result: { ok: true } })
      live.close()
    })
  })

  it('refuses new calls with QUEUE_FULL while a client is far behind on its results, and serves it again once it reads', async () => {
    await withHost({ maxBufferedBytes: 256 * 1024, dropBufferedBytes: 64 * 1024 * 1024 }, async (other) => {
      const { ws } = await openSocket(`ws://127.0.0.1:${other.port}/api`, apiSubprotocols(other.token))
      if (!ws) throw new Error('no socket')
      const results: ServerMessage[] = []
      ws.on('message', (d) => results.push(JSON.parse(d.toString()) as ServerMessage))
      // Not reading: the results (about 1 KB each, 20 MB in all) fill the kernel's buffers, then the host's.
      ws.pause()
      const calls = 20_000
      for (let id = 1; id <= calls; id++) {
        ws.send(JSON.stringify({ t: 'call', id, name: 'getSettings' }))
        if (id % 500 === 0) await new Promise((r) => setTimeout(r, 10))
      }
      await new Promise((r) => setTimeout(r, 500))
      ws.resume()
      await waitFor(() => results.length === calls, 20_000, 'every answer')
      const refused = results.filter((r) => r.t === 'result' && !r.result.ok)
      const firstRefused = results.findIndex((r) => r.t === 'result' && !r.result.ok)
      expect(firstRefused).toBeGreaterThan(0)
      // Answered in order until it fell behind, refused from then on.
      expect(refused).toHaveLength(calls - firstRefused)
      expect(refused[0]).toMatchObject({ result: { ok: false, error: { code: 'QUEUE_FULL', details: { limit: 256 * 1024 } } } })
      const first = refused[0]
      expect(first?.t === 'result' && !first.result.ok && first.result.error.message).toMatch(/not read \(the limit is 256 KiB\)/)
      // Caught up: served again, on the same socket.
      expect(ws.readyState).toBe(WebSocket.OPEN)
      expect(await call(ws, calls + 1, 'getSettings')).toMatchObject({ result: { ok: true } })
      ws.close()
    })
  })

  it('drops a client that keeps calling and never reads, so its backlog cannot grow without bound', async () => {
    await withHost({ maxBufferedBytes: 256 * 1024, dropBufferedBytes: 1024 * 1024 }, async (other) => {
      const { ws } = await openSocket(`ws://127.0.0.1:${other.port}/api`, apiSubprotocols(other.token))
      if (!ws) throw new Error('no socket')
      ws.pause()
      let sent = 0
      // Past the kernel's buffers (a few MB), the host's backlog grows by each answer until the cap.
      while (other.connections() === 1 && sent < 200_000) {
        for (let i = 0; i < 500; i++) ws.send(JSON.stringify({ t: 'call', id: ++sent, name: 'getSettings' }))
        await new Promise((r) => setTimeout(r, 10))
      }
      expect(other.connections()).toBe(0)
      ws.terminate()
      // Everyone else is still served.
      const { ws: next } = await openSocket(`ws://127.0.0.1:${other.port}/api`, apiSubprotocols(other.token))
      expect(next && (await call(next, 1, 'getSettings'))).toMatchObject({ result: { ok: true } })
      next?.close()
    })
  })
})

/** This machine's addresses that are not loopback, as Host header values. */
function interfaceHosts(): { ipv4?: string; all: string[] } {
  const all: string[] = []
  let ipv4: string | undefined
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.internal) continue
      if (info.family === 'IPv4') {
        ipv4 ??= info.address
        all.push(info.address)
      } else if (!info.address.startsWith('fe80:')) all.push(`[${info.address}]`)
    }
  }
  return { ipv4, all }
}

describe('the headless host bound to every interface (--host 0.0.0.0)', () => {
  let engine: Engine
  let host: RunningHost
  const { ipv4, all } = interfaceHosts()
  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    host = await startHost({ router: engine.router, staticDir: uiFolder(), port: 0, host: '0.0.0.0', allowHosts: ['proctor.example'] })
  })
  afterAll(async () => {
    await host.close()
    engine.close()
  })

  it.skipIf(all.length === 0)('answers requests naming any of this machine’s own addresses, with its port', async () => {
    for (const name of all) {
      const res = await get(host.port, '/', { Host: `${name}:${host.port}`, Origin: `http://${name}:${host.port}` })
      expect(res.status, name).toBe(200)
    }
    expect(host.hostNames()).toEqual(expect.arrayContaining(all.map((name) => `${name}:${host.port}`)))
  })

  it.skipIf(ipv4 === undefined)('is reached for real on a non-loopback address of this machine, pages and API', async () => {
    const address = ipv4!
    const page = await get(host.port, '/', {}, 'GET', address)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Proctor</title>')
    const { ws } = await openSocket(`ws://${address}:${host.port}/api`, apiSubprotocols(host.token), { Origin: `http://${address}:${host.port}` })
    if (!ws) throw new Error('no socket')
    expect(await call(ws, 1, 'getSettings')).toMatchObject({ result: { ok: true } })
    ws.close()
  })

  it('answers names given with --allow-host, and still refuses every other name and port', async () => {
    expect((await get(host.port, '/', { Host: `proctor.example:${host.port}`, Origin: `http://proctor.example:${host.port}` })).status).toBe(200)
    expect((await get(host.port, '/', { Host: `PROCTOR.example:${host.port}` })).status).toBe(200)
    for (const bad of [`evil.example:${host.port}`, `proctor.example:${host.port + 1}`, `${ipv4 ?? '127.0.0.1'}:${host.port + 1}`, '203.0.113.9:80', 'proctor.example']) {
      const res = await get(host.port, '/', { Host: bad })
      expect(res.status, bad).toBe(403)
      expect(res.body).toContain('is not this server')
    }
    const crossSite = await get(host.port, '/', { Origin: `http://evil.example:${host.port}` })
    expect(crossSite.status).toBe(403)
  })
})

describe('the WebSocket client against a host that turns it away', () => {
  let engine: Engine
  let host: RunningHost
  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    host = await startHost({ router: engine.router, staticDir: uiFolder(), port: 0, maxConnections: 1 })
  })
  afterAll(async () => {
    await host.close()
    engine.close()
  })

  it('never counts a turned-away socket as open, reports why, and never runs later a call it answered as failed', async () => {
    const { ws: holder } = await openSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token))
    if (!holder) throw new Error('no socket')
    const statuses: string[] = []
    const transport = webSocketTransport({
      connect: () => new WebSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token)) as unknown as SocketLike,
      onStatus: (status, close) => statuses.push(close ? `${status} ${close.code} ${close.reason}` : status),
      reconnectMinMs: 100,
      reconnectMaxMs: 200,
    })
    const client = createApi(transport)
    try {
      const before = (await engine.router.call('getSettings', undefined)) as { ok: true; value: { refreshInterval: number } }
      // Made while the host is full: it fails, and must not run once a slot frees.
      await expect(client.updateSettings({ refreshInterval: before.value.refreshInterval + 500 })).rejects.toMatchObject({ code: 'UNAVAILABLE' })
      await waitFor(() => statuses.filter((s) => s.startsWith('closed')).length >= 2, 5000, 'two refusals')
      expect(statuses).not.toContain('open')
      expect(statuses).toContain(`closed ${CLOSE_HOST_FULL} host full: 1 connection`)

      holder.close()
      await waitFor(() => statuses.includes('open'), 5000, 'the client to be served')
      const now = await client.getSettings()
      expect(now.refreshInterval).toBe(before.value.refreshInterval)
    } finally {
      transport.close()
    }
  })
})
