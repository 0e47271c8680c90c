import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait'
import { RawClient, startBroker, type Harness } from '../integration/broker/harness'
import { figure, scaled } from './figures'

/*
 * The broker after a million messages (50,000 in the fast subset) between
 * two real clients on its socket: every message arrives, in order, and the
 * heap held (after full collections) does not grow once the first tenth
 * has passed.
 */

const MESSAGES = scaled(50_000, 1_000_000)
const BATCH = 1000

let h: Harness
let sender: RawClient
let receiver: RawClient

beforeAll(async () => {
  h = await startBroker()
  const a = h.service.programEnv('soak-a')!
  const b = h.service.programEnv('soak-b')!
  sender = await RawClient.hello(a.PROCTOR_IPC_SOCKET, a.PROCTOR_IPC_TOKEN)
  receiver = await RawClient.hello(b.PROCTOR_IPC_SOCKET, b.PROCTOR_IPC_TOKEN)
})

afterAll(() => {
  sender?.destroy()
  receiver?.destroy()
  h?.close()
})

describe(`the broker after ${MESSAGES} messages`, () => {
  it('delivers every one in order and holds no more heap than after the first tenth', async () => {
    expect(typeof gc, 'the reliability project runs with --expose-gc').toBe('function')
    const held = () => {
      gc!()
      gc!()
      return process.memoryUsage().heapUsed
    }
    receiver.frames.length = 0
    let next = 0
    let received = 0
    let outOfOrder = 0
    let baseline = 0
    const started = performance.now()
    while (next < MESSAGES) {
      for (let i = 0; i < BATCH; i++) sender.send({ t: 'send', to: 'soak-b', payload: { seq: next++ } })
      await waitFor(() => receiver.frames.length >= BATCH, 30_000, `batch ending at ${next}`)
      for (const f of receiver.frames.splice(0, BATCH)) {
        if (f.t !== 'message' || (f.payload as { seq: number }).seq !== received) outOfOrder++
        received++
      }
      if (next === Math.ceil(MESSAGES / 10 / BATCH) * BATCH) baseline = held()
    }
    const seconds = (performance.now() - started) / 1000
    const growth = held() - baseline
    const overview = h.service.overview()
    figure('broker after many messages', {
      messages: MESSAGES,
      per_second: Math.round(MESSAGES / seconds),
      received,
      out_of_order_or_other: outOfOrder,
      held_heap_growth_after_first_tenth_mb: (growth / 2 ** 20).toFixed(2),
    })
    expect(received).toBe(MESSAGES)
    expect(outOfOrder).toBe(0)
    expect(overview.connections).toHaveLength(2)
    expect(growth).toBeLessThan(2 * 2 ** 20)
  })
})
