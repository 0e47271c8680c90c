import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait'
import { RawClient, startBroker, type Harness } from '../integration/broker/harness'
import { figure, scaled } from './figures'

/*
 * Random frames at the broker's socket from authenticated clients: well
 * framed JSON of every message type with random fields, well framed bytes
 * that are not JSON, values that are not objects, and now and then a
 * length header the broker must refuse. Meanwhile a witness pair exchanges
 * numbered messages through the same broker. The broker must answer, never
 * crash, lose none of the witnesses' messages, and hold no more memory at
 * the end than a bounded amount.
 */

const TYPES = ['send', 'request', 'response', 'broadcast', 'heartbeat', 'ready', 'hello', 'welcome', 'message', 'error', '', 'x']
const json = fc.jsonValue({ maxDepth: 2 })

/** One frame's bytes: a 4-byte big-endian length, then the body. */
function framed(body: Buffer): Buffer {
  const head = Buffer.alloc(4)
  head.writeUInt32BE(body.length)
  return Buffer.concat([head, body])
}

const frame: fc.Arbitrary<{ bytes: Buffer; fatal: boolean }> = fc.oneof(
  {
    weight: 60,
    arbitrary: fc
      .record(
        {
          t: fc.constantFrom(...TYPES),
          to: fc.oneof(fc.constantFrom('nobody', 'fuzz', 'program:nobody', ''), fc.string({ maxLength: 20 }), json),
          id: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), json),
          payload: json,
          error: json,
          timeoutMs: fc.oneof(fc.integer({ min: -10, max: 100 }), json),
        },
        { requiredKeys: ['t'] },
      )
      .map((m) => ({ bytes: framed(Buffer.from(JSON.stringify(m))), fatal: false })),
  },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ bytes: framed(Buffer.from(b)), fatal: false })) },
  { weight: 1, arbitrary: json.map((v) => ({ bytes: framed(Buffer.from(JSON.stringify(v) ?? 'null')), fatal: false })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0xffffffff, 0x7fffffff).map((n) => {
      const head = Buffer.alloc(4)
      head.writeUInt32BE(n)
      return { bytes: head, fatal: true }
    }),
  },
)

const FRAMES = scaled(5000, 100_000)

let h: Harness
let sender: RawClient
let receiver: RawClient
let sent = 0
let pump: NodeJS.Timeout

beforeAll(async () => {
  h = await startBroker({ ipcConfig: { maxConnections: 50 } })
  const a = h.service.programEnv('witness-a')!
  const b = h.service.programEnv('witness-b')!
  sender = await RawClient.hello(a.PROCTOR_IPC_SOCKET, a.PROCTOR_IPC_TOKEN)
  receiver = await RawClient.hello(b.PROCTOR_IPC_SOCKET, b.PROCTOR_IPC_TOKEN)
  pump = setInterval(() => sender.send({ t: 'send', to: 'witness-b', payload: { seq: ++sent } }), 5)
})

afterAll(() => {
  clearInterval(pump)
  sender?.destroy()
  receiver?.destroy()
  h?.close()
})

describe(`the broker under ${FRAMES} random frames`, () => {
  it('answers, never crashes, loses none of the witnesses\' messages, and keeps its memory bounded', async () => {
    expect(typeof gc, 'the reliability project runs with --expose-gc').toBe('function')
    /** Heap after full collections: what is held, not garbage waiting. */
    const heldHeap = () => {
      gc!()
      gc!()
      return process.memoryUsage().heapUsed
    }
    // Frames made in chunks as they are sent, so the test's own memory stays flat.
    const CHUNK = 1000
    const chunk = (k: number) => fc.sample(frame, { numRuns: CHUNK, seed: 20261202 + k })
    let heapBefore = 0
    let connections = 0
    let refused = 0
    let answers = 0
    let client: RawClient | undefined
    const connect = async () => {
      const env = h.service.programEnv('fuzz')!
      client = await RawClient.hello(env.PROCTOR_IPC_SOCKET, env.PROCTOR_IPC_TOKEN)
      connections++
    }
    let samples = chunk(0)
    for (let i = 0, sentFrames = 0; sentFrames < FRAMES; ) {
      if (i === samples.length) {
        samples = chunk(sentFrames / CHUNK)
        i = 0
        // The baseline once the broker has seen a tenth of the frames (its buffers and caches warm).
        if (sentFrames === Math.ceil(FRAMES / 10 / CHUNK) * CHUNK) heapBefore = heldHeap()
      }
      if (!client || client.closed) {
        if (client) {
          answers += client.frames.length
          client.destroy()
        }
        await connect()
      }
      // A batch of frames up to and including the first that must close the connection.
      const batch: Buffer[] = []
      let closing = false
      while (i < samples.length && batch.length < 500 && !closing) {
        const f = samples[i++]!
        sentFrames++
        batch.push(f.bytes)
        closing = f.fatal
      }
      client!.write(Buffer.concat(batch))
      if (closing) {
        refused++
        await waitFor(() => client!.closed, 5000, 'the broker to close a connection with a bad length')
      } else {
        await new Promise((r) => client!.socket.write('', r))
        // Take the answers as they come, so the test itself does not hold 100k frames.
        answers += client!.frames.length
        client!.frames.length = 0
      }
    }
    answers += client?.frames.length ?? 0
    // The broker still serves: a fresh client is welcomed and the witnesses are complete.
    const last = sent
    await waitFor(() => receiver.frames.filter((f) => f.t === 'message').length >= last, 10_000, 'every witness message')
    const seqs = receiver.frames.filter((f) => f.t === 'message').map((f) => (f.payload as { seq: number }).seq)
    client?.destroy()
    await connect()
    expect(client!.welcome).toBeDefined()
    client!.destroy()
    await waitFor(() => h.service.overview().connections.length === 2, 5000, 'the fuzz connections to be gone')
    receiver.frames.length = 0
    const heapGrowth = heldHeap() - heapBefore
    figure('broker random frames', {
      frames: FRAMES,
      connections,
      closed_for_bad_length: refused,
      closed_for_a_bad_frame: connections - 1 - refused,
      answers,
      witness_messages: seqs.length,
      witness_lost: last - new Set(seqs.filter((s) => s <= last)).size,
      heap_growth_mb: (heapGrowth / 2 ** 20).toFixed(1),
    })
    expect(new Set(seqs.filter((s) => s <= last)).size).toBe(last)
    expect(h.service.overview().connections).toHaveLength(2)
    expect(heapGrowth).toBeLessThan(8 * 2 ** 20)
  })
})
