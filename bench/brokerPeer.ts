/**
 * A client process of the broker bench (bench/broker.ts), bundled to plain
 * JavaScript like the other bench children. It speaks to the bench on
 * stdin/stdout (one JSON command, one JSON answer per line) and to its peer
 * two ways: through the broker with the client module (src/client), and
 * over a raw Unix socket of its own with the same frames, JSON and write
 * batching, so the difference between the two is the broker's hop; and
 * with those raw frames through the bench's minimal relay (the floor of a
 * hop through a third Node process).
 */
import { createConnection, createServer, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { connect, type ProctorIpc } from '../src/client'
import { FrameDecoder } from '../src/shared/broker/frameCodec'

type Cmd = Record<string, unknown> & { cmd: string }

const now = (): number => performance.timeOrigin + performance.now()
const reply = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`)

let broker: ProctorIpc | undefined
let raw: Socket | undefined
/** The same raw frames through bench/broker.ts's minimal relay (bytes passed on, nothing parsed): the floor of any hop. */
let relay: Socket | undefined
let received = 0
let waiting: { n: number; done: () => void } | undefined

function counted(): void {
  received++
  if (waiting && received >= waiting.n) {
    const w = waiting
    waiting = undefined
    w.done()
  }
}

function frame(message: unknown): Buffer {
  const text = JSON.stringify(message)
  const n = Buffer.byteLength(text)
  const out = Buffer.allocUnsafe(4 + n)
  out.writeUInt32BE(n, 0)
  out.write(text, 4, 'utf8')
  return out
}

/** The raw side: frames in, each parsed, messages counted, requests answered, responses to their waiter. */
const rawWaiters = new Map<number, () => void>()
function serveRaw(socket: Socket): void {
  socket.setNoDelay(true)
  const decoder = new FrameDecoder()
  let corked = false
  socket.on('data', (chunk: Buffer) => {
    for (const text of decoder.push(chunk)) {
      const m = JSON.parse(text) as Record<string, unknown>
      if (m.t === 'send') counted()
      else if (m.t === 'request') {
        if (!corked) {
          corked = true
          socket.cork()
          process.nextTick(() => {
            corked = false
            socket.uncork()
          })
        }
        socket.write(frame({ t: 'response', id: m.id, from: 'raw', payload: m.payload }))
      } else if (m.t === 'response') {
        const w = rawWaiters.get(m.id as number)
        rawWaiters.delete(m.id as number)
        w?.()
      }
    }
  })
  socket.on('error', () => {})
}

/** Writes with the client module's batching (one writev per turn) and its backpressure (drain). */
function rawWriter(socket: Socket) {
  let corked = false
  return async (message: unknown): Promise<void> => {
    if (!corked) {
      corked = true
      socket.cork()
      process.nextTick(() => {
        corked = false
        socket.uncork()
      })
    }
    if (!socket.write(frame(message))) await new Promise<void>((r) => socket.once('drain', r))
  }
}

async function blast(mode: string, to: string, n: number, size: number): Promise<number> {
  const data = 'x'.repeat(size)
  const t0 = now()
  if (mode === 'broker') {
    for (let i = 0; i < n; i++) {
      if (!broker!.send(to, { seq: i, data })) await broker!.drain()
    }
  } else {
    const write = rawWriter(raw!)
    for (let i = 0; i < n; i++) await write({ t: 'send', to, payload: { seq: i, data } })
  }
  return t0
}

async function rtt(mode: string, to: string, n: number): Promise<number[]> {
  const samples: number[] = []
  const write = mode === 'raw' ? rawWriter(raw!) : mode === 'relay' ? rawWriter(relay!) : undefined
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    if (mode === 'broker') await broker!.request(to, { seq: i })
    else {
      const done = new Promise<void>((r) => rawWaiters.set(i, r))
      await write!({ t: 'request', to, id: i, payload: { seq: i } })
      await done
    }
    samples.push(performance.now() - t0)
  }
  return samples
}

async function handle(c: Cmd): Promise<unknown> {
  switch (c.cmd) {
    case 'connect':
      broker = await connect({ socket: c.socket as string, token: c.token as string })
      broker.onMessage(counted)
      broker.onRequest((p) => p)
      return { id: broker.id }
    case 'listenRaw':
      await new Promise<void>((r) => createServer(serveRaw).listen(c.path as string, r))
      return {}
    case 'connectRaw':
      raw = createConnection(c.path as string)
      await new Promise<void>((r) => raw!.once('connect', r))
      serveRaw(raw)
      return {}
    case 'connectRelay':
      relay = createConnection(c.path as string)
      await new Promise<void>((r) => relay!.once('connect', r))
      serveRaw(relay)
      return {}
    case 'expect': {
      received = 0
      const n = c.n as number
      await new Promise<void>((r) => (waiting = { n, done: r }))
      return { at: now() }
    }
    case 'blast':
      return { t0: await blast(c.mode as string, c.to as string, c.n as number, c.size as number) }
    case 'rtt':
      return { samples: await rtt(c.mode as string, c.to as string, c.n as number) }
    case 'many': {
      // c.tokens: one client each, all doing their requests at once.
      const clients = await Promise.all((c.tokens as string[]).map((token) => connect({ socket: c.socket as string, token })))
      const all = await Promise.all(
        clients.map(async (client) => {
          const samples: number[] = []
          for (let i = 0; i < (c.n as number); i++) {
            const t0 = performance.now()
            await client.request(c.to as string, { seq: i })
            samples.push(performance.now() - t0)
          }
          return samples
        }),
      )
      await Promise.all(clients.map((x) => x.close()))
      return { samples: all.flat() }
    }
    default:
      throw new Error(`unknown command ${c.cmd}`)
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line) as Cmd
  // 'expect' answers later, while other commands go on: each answer carries its command's id.
  handle(c).then(
    (value) => reply({ id: c.id, ok: true, value }),
    (err: unknown) => reply({ id: c.id, ok: false, error: String((err as Error).stack ?? err) }),
  )
})
process.stdin.on('end', () => process.exit(0))
