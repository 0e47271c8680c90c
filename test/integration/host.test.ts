import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { startHost, type RunningHost } from '../../src/main/host/host'
import type { ServerMessage } from '../../src/shared/rpc/protocol'
import { tempDir } from '../helpers/tempDir'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    ws.once('error', () => resolve({}))
  })
}

function nextMessage(ws: WebSocket): Promise<ServerMessage> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()) as ServerMessage)))
}

describe('the headless host', () => {
  let engine: Engine
  let host: RunningHost
  let api: string
  beforeAll(async () => {
    const staticDir = tempDir('proctor-static-')
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Proctor</title>')
    mkdirSync(join(staticDir, 'assets'))
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(staticDir, '..', 'secret.txt'), 'do not serve')
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    host = await startHost({ router: engine.router, staticDir, port: 0, maxConnections: 3 })
    api = `ws://127.0.0.1:${host.port}/api?token=${host.token}`
  })
  afterAll(async () => {
    await host.close()
    engine.close()
  })

  it('prints a loopback URL that carries a fresh random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('answers every HTTP request without the token with 401 and nothing else', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/api', '/?token=wrong', '/?token=']) {
      const res = await get(host.port, path)
      expect(res.status, path).toBe(401)
      expect(res.body).not.toContain('Proctor</title>')
      expect(res.headers['set-cookie']).toBeUndefined()
    }
  })

  it('serves the UI with the token, with a CSP and a cookie for the assets', async () => {
    const res = await get(host.port, `/?token=${host.token}`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>Proctor</title>')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toContain(`proctor_token=${host.token}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const asset = await get(host.port, '/assets/app.js', { Cookie: `proctor_token=${host.token}` })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toContain('text/javascript')
  })

  it('never serves files outside the UI folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await get(host.port, `${path}${path.includes('?') ? '&' : '?'}token=${host.token}`)
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('do not serve')
    }
  })

  it('refuses a foreign Host (DNS rebinding) or Origin even with the token', async () => {
    const rebound = await get(host.port, `/?token=${host.token}`, { Host: `evil.example:${host.port}` })
    expect(rebound.status).toBe(403)
    const crossSite = await get(host.port, `/?token=${host.token}`, { Origin: 'http://evil.example' })
    expect(crossSite.status).toBe(403)
    const ok = await get(host.port, `/?token=${host.token}`, { Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` })
    expect(ok.status).toBe(200)
    expect((await get(host.port, `/?token=${host.token}`, {}, 'POST')).status).toBe(405)
  })

  it('answers a WebSocket without the token with 401, and a foreign Origin with 403', async () => {
    expect((await openSocket(`ws://127.0.0.1:${host.port}/api`)).status).toBe(401)
    expect((await openSocket(`ws://127.0.0.1:${host.port}/api?token=nope`)).status).toBe(401)
    expect((await openSocket(api, { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await openSocket(`ws://127.0.0.1:${host.port}/elsewhere?token=${host.token}`)).status).toBe(404)
  })

  it('answers malformed messages with an error and keeps the connection and the host alive', async () => {
    const { ws } = await openSocket(api)
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
    const reply = nextMessage(ws)
    ws.send(JSON.stringify({ t: 'call', id: 7, name: 'getSettings' }))
    const msg = await reply
    expect(msg).toMatchObject({ t: 'result', id: 7, result: { ok: true } })
    ws.close()
  })

  it('ends a client’s streams when it disconnects', async () => {
    const { ws } = await openSocket(api)
    if (!ws) throw new Error('no socket')
    const first = nextMessage(ws)
    ws.send(JSON.stringify({ t: 'sub', id: 1, topic: 'subscribeToProcessUpdates' }))
    expect(await first).toMatchObject({ t: 'result', id: 1, result: { ok: true } })
    expect(engine.processes.subscribers).toBe(1)
    ws.terminate()
    const deadline = Date.now() + 3000
    while (engine.processes.subscribers > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(engine.processes.subscribers).toBe(0)
  })

  it('caps the number of connections', async () => {
    const open = await Promise.all([openSocket(api), openSocket(api), openSocket(api)])
    expect(open.every((o) => o.ws)).toBe(true)
    expect((await openSocket(api)).status).toBe(503)
    for (const o of open) o.ws?.close()
  })
})
