import { spawn, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, IpcError, ProctorIpc, type ClientState } from '../../../src/client'
import { waitFor } from '../../helpers/wait'
import { RawClient, startBroker, type Harness } from './harness'

const ROOT = resolve(__dirname, '../../..')
const harnesses: Harness[] = []
const clients: Array<ProctorIpc | RawClient> = []

async function broker(...args: Parameters<typeof startBroker>): Promise<Harness> {
  const h = await startBroker(...args)
  harnesses.push(h)
  return h
}
async function client(h: Harness, program: string, options: Parameters<typeof connect>[0] = {}): Promise<ProctorIpc> {
  const env = h.service.programEnv(program)!
  const c = await connect({ socket: env.PROCTOR_IPC_SOCKET, token: env.PROCTOR_IPC_TOKEN, ...options })
  clients.push(c)
  return c
}
afterEach(async () => {
  for (const c of clients.splice(0)) void (c instanceof ProctorIpc ? c.close() : c.destroy())
  for (const h of harnesses.splice(0)) h.close()
})

describe('the client module', () => {
  it('sends, requests and answers requests (an async handler; its error carried back with its message)', async () => {
    const h = await broker()
    const a = await client(h, 'alpha')
    const b = await client(h, 'beta')
    expect([a.id, b.id]).toEqual(['p:alpha', 'p:beta'])
    const got: unknown[] = []
    b.onMessage((payload, from, meta) => got.push({ payload, from, meta }))
    b.onRequest(async (payload) => {
      await new Promise((r) => setTimeout(r, 10))
      if ((payload as { fail?: boolean }).fail) throw new Error('cannot do that')
      return { twice: (payload as { n: number }).n * 2 }
    })
    a.send('beta', { hi: 1 })
    a.broadcast('everyone')
    await waitFor(() => got.length === 2, 3000, 'two messages')
    expect(got).toEqual([
      { payload: { hi: 1 }, from: 'p:alpha', meta: { broadcast: false } },
      { payload: 'everyone', from: 'p:alpha', meta: { broadcast: true } },
    ])
    await expect(a.request('p:beta', { n: 21 })).resolves.toEqual({ twice: 42 })
    await expect(a.request('beta', { fail: true })).rejects.toEqual(new IpcError('HANDLER_ERROR', 'cannot do that'))
    await expect(a.request('proctor', { ping: 1 })).resolves.toEqual({ pong: true })
    await expect(a.request('ghost', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(a.request('alpha', 1, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'HANDLER_ERROR', message: expect.stringContaining('no request handler') })
    const errors: IpcError[] = []
    a.onError((e) => errors.push(e))
    a.send('ghost', 1)
    await waitFor(() => errors.length === 1, 3000, 'the NOT_FOUND of a send')
    expect(errors[0]!.code).toBe('NOT_FOUND')
  })

  it('says ready and sends heartbeats on an interval', async () => {
    const h = await broker()
    const readies: string[] = []
    h.service.onReady((p) => readies.push(p))
    const a = await client(h, 'alpha', { heartbeatInterval: 50 })
    a.ready()
    await waitFor(() => readies.length === 1, 3000, 'ready')
    const first = await waitFor(() => h.service.lastHeartbeat('alpha'), 3000, 'a heartbeat')
    await waitFor(() => (h.service.lastHeartbeat('alpha') ?? 0) > first, 3000, 'another heartbeat')
    a.heartbeat()
  })

  it('reconnects with backoff when the broker goes and comes back, saying ready again; gives up after maxReconnectAttempts', async () => {
    const h = await broker({ ipcConfig: { reconnectInterval: 100, maxReconnectAttempts: 3 } })
    const readies: string[] = []
    h.service.onReady((p) => readies.push(p))
    const a = await client(h, 'alpha')
    a.ready()
    await waitFor(() => readies.length === 1, 3000, 'ready')
    const states: Array<[ClientState, string | undefined, number]> = []
    const t0 = Date.now()
    a.onState((s, why) => states.push([s, why, Date.now() - t0]))
    h.store.update({ enableIPC: false })
    await waitFor(() => states.length > 0, 3000, 'reconnecting')
    expect(states[0]!.slice(0, 2)).toEqual(['reconnecting', 'SHUTTING_DOWN: IPC was turned off (enableIPC)'])
    await expect(a.request('proctor', { ping: 1 })).rejects.toMatchObject({ code: 'DISCONNECTED' })
    // A beat on a timer meanwhile is missed, not thrown (it would end the program); ready is said on the reconnect.
    expect(a.heartbeat()).toBe(false)
    expect(() => a.ready()).not.toThrow()
    h.store.update({ enableIPC: true })
    await waitFor(() => a.connected, 5000, 'the reconnect')
    await waitFor(() => readies.length === 2, 3000, 'ready again')
    await expect(a.request('proctor', { ping: 1 })).resolves.toEqual({ pong: true })

    // Gone for good: 3 attempts, 100, 200 then 400 ms apart, then closed.
    states.length = 0
    h.store.update({ enableIPC: false })
    await waitFor(() => states.some(([s]) => s === 'closed'), 5000, 'the client to give up')
    const closed = states.find(([s]) => s === 'closed')!
    expect(closed[1]).toContain('after 3 reconnect attempts')
    expect(closed[2]).toBeGreaterThanOrEqual(100 + 200 + 400 - 50)
    expect(() => a.send('x', 1)).toThrow(expect.objectContaining({ code: 'CLOSED' }))
  })

  it('does not reconnect with a revoked token', async () => {
    const h = await broker({ ipcConfig: { reconnectInterval: 50 } })
    const a = await client(h, 'alpha')
    const states: ClientState[] = []
    a.onState((s) => states.push(s))
    h.service.forgetProgram('alpha')
    await waitFor(() => states.includes('closed'), 3000, 'closed')
    expect(states).toEqual(['closed'])
  })

  it('refuses to start without PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN, saying so', async () => {
    await expect(connect({ socket: '', token: '' })).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringContaining('PROCTOR_IPC_SOCKET') })
  })

  it('is built by `npm run build:client` into files a program loads with require and with import', async () => {
    const build = spawnSync('npm', ['run', '--silent', 'build:client'], { cwd: ROOT, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)
    const h = await broker()
    const peer = await client(h, 'peer')
    peer.onRequest((p) => ({ seen: p }))
    const script = (load: string) => `
      ${load}
      const ipc = await connect({ heartbeatInterval: 1000 })
      ipc.onRequest((p) => ({ child: p }))
      const pong = await ipc.request('proctor', { ping: 1 })
      const seen = await ipc.request('peer', 'hi')
      process.stdout.write(JSON.stringify({ id: ipc.id, pong, seen }) + '\\n')
      ipc.onMessage(() => ipc.close())
    `
    const variants = {
      cjs: ['-e', `(async () => { ${script(`const { connect } = require(${JSON.stringify(`${ROOT}/out/client/proctor-ipc.cjs`)})`)} })()`],
      esm: ['--input-type=module', '-e', script(`import { connect } from ${JSON.stringify(`${ROOT}/out/client/proctor-ipc.mjs`)}`)],
    }
    for (const [name, args] of Object.entries(variants)) {
      const child = spawn(process.execPath, args, { env: { ...process.env, ...h.service.programEnv(`child-${name}`) }, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      const line = await waitFor(() => out.includes('\n') && out, 10_000, `the ${name} child's line (stderr: ${err})`)
      expect(JSON.parse(line)).toEqual({ id: `p:child-${name}`, pong: { pong: true }, seen: { seen: 'hi' } })
      await expect(peer.request(`child-${name}`, 'back')).resolves.toEqual({ child: 'back' })
      peer.send(`child-${name}`, 'bye')
      const code = await new Promise((r) => child.once('exit', r))
      expect(code, err).toBe(0)
    }
  })
})
