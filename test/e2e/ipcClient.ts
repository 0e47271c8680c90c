import { createInterface } from 'node:readline'
import { connect, type ConnectOptions } from '../../src/client'

/**
 * A real IPC client for the IPC page's e2e tests, run as its own process.
 * It prints its pid, then connects with the client module: with `env` as
 * its second argument from its environment (a program Proctor started:
 * PROCTOR_IPC_SOCKET, PROCTOR_IPC_TOKEN), else from one line of JSON on
 * stdin ({ socket, token }, what the page's "Register a process…" issued
 * for that pid). Once connected it says ready, heartbeats, greets Proctor,
 * and then answers requests ({op: 'sum', args} with the sum; {op: 'slow'}
 * never) and prints each message it receives as `message FROM JSON`.
 */

/** Its heartbeat period in ms: the first argument, else 250 (often, for a quick test). */
const HEARTBEAT_MS = Number(process.argv[2] ?? 250)

process.stdout.write(`pid ${process.pid}\n`)
if (process.argv[3] === 'env') start({})
else createInterface({ input: process.stdin }).once('line', (line) => start(JSON.parse(line) as { socket: string; token: string }))

function start(where: Pick<ConnectOptions, 'socket' | 'token'>): void {
  connect({ ...where, heartbeatInterval: HEARTBEAT_MS, maxReconnectAttempts: 0 }).then(
    (ipc) => {
      ipc.onRequest((payload) => {
        const p = payload as { op?: string; args?: number[] } | null
        if (p?.op === 'sum') return { sum: (p.args ?? []).reduce((a, b) => a + b, 0), by: process.pid }
        if (p?.op === 'slow') return new Promise(() => {})
        return { echo: payload }
      })
      ipc.onMessage((payload, from) => process.stdout.write(`message ${from} ${JSON.stringify(payload)}\n`))
      ipc.onState((state, reason) => process.stdout.write(`state ${state} ${reason ?? ''}\n`))
      ipc.ready()
      ipc.send('proctor', { hello: 'from the e2e client', pid: process.pid })
      process.stdout.write(`connected ${ipc.id}\n`)
    },
    (err: unknown) => {
      process.stdout.write(`failed ${err instanceof Error ? err.message : String(err)}\n`)
      process.exit(1)
    },
  )
}
