import { spawn, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { connect } from '../../../src/client'
import { waitFor } from '../../helpers/wait'
import { startBroker } from './harness'

const EXAMPLE = resolve(__dirname, '../../../docs/examples/python/echo_worker.py')
const hasPython = spawnSync('python3', ['--version']).status === 0

describe.runIf(hasPython)('the Python example client, against the real broker', () => {
  const cleanup: Array<() => void> = []
  afterAll(() => cleanup.forEach((f) => f()))

  it('shakes hands, says ready, pings Proctor, sends to and requests from a peer, gets NOT_FOUND, and answers requests', async () => {
    const h = await startBroker()
    cleanup.push(() => h.close())
    const readies: string[] = []
    h.service.onReady((p) => readies.push(p))
    const peerEnv = h.service.programEnv('peer')!
    const peer = await connect({ socket: peerEnv.PROCTOR_IPC_SOCKET, token: peerEnv.PROCTOR_IPC_TOKEN })
    cleanup.push(() => void peer.close())
    const messages: unknown[] = []
    peer.onMessage((payload, from) => messages.push({ payload, from }))
    peer.onRequest((p) => ({ sum: (p as { of: number[] }).of.reduce((a, b) => a + b, 0) }))

    const child = spawn('python3', [EXAMPLE, 'peer'], { env: { ...process.env, ...h.service.programEnv('py') }, stdio: ['ignore', 'pipe', 'pipe'] })
    cleanup.push(() => child.kill('SIGKILL'))
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const events: Array<Record<string, unknown>> = []
    createInterface({ input: child.stdout }).on('line', (l) => events.push(JSON.parse(l) as Record<string, unknown>))
    await waitFor(() => events.find((e) => e.event === 'error'), 10_000, `the example's run (stderr: ${stderr})`)
    expect(events).toEqual([
      { event: 'welcome', id: 'p:py' },
      { event: 'ping', reply: { pong: true } },
      { event: 'peer', reply: { sum: 5 } },
      { event: 'error', code: 'NOT_FOUND' },
    ])
    expect(messages).toEqual([{ payload: { hello: 'from python', id: 'p:py' }, from: 'p:py' }])
    expect(readies).toEqual(['py'])
    expect(h.service.lastHeartbeat('py')).toBeGreaterThan(0)

    await expect(peer.request('py', { add: [1, 2, 3] })).resolves.toEqual({ sum: 6 })
    await expect(peer.request('p:py', { mul: 1 })).rejects.toMatchObject({ code: 'HANDLER_ERROR', message: expect.stringContaining('answers only') })
    peer.send('py', { stop: true })
    expect(await new Promise((r) => child.once('exit', r)), stderr).toBe(0)
    expect(events.at(-1)).toEqual({ event: 'message', from: 'p:peer', payload: { stop: true } })
  })
})
