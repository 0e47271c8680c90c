import { describe, expect, it } from 'vitest'
import { previewJson } from '../../../src/shared/broker/preview'
import { brokerMessageSchema, clientMessageSchema, errorFrame, WIRE_ERROR_CODES } from '../../../src/shared/broker/protocol'
import { TrafficLog } from '../../../src/main/core/broker/traffic'

describe('the wire schemas', () => {
  it('accept the documented client messages and refuse malformed ones', () => {
    const good = [
      { t: 'hello', token: 'abc', v: 1, pid: 42 },
      { t: 'send', to: 'p:web', payload: { a: 1 } },
      { t: 'send', to: 'web', payload: null, id: 'x' },
      { t: 'request', to: 'proctor', id: 1, payload: { ping: 1 }, timeoutMs: 500 },
      { t: 'response', id: 7, payload: [1] },
      { t: 'response', id: 7, error: { code: 'HANDLER_ERROR', message: 'no' } },
      { t: 'broadcast', payload: 'x' },
      { t: 'heartbeat' },
      { t: 'ready' },
    ]
    for (const m of good) expect(clientMessageSchema.safeParse(m).success, JSON.stringify(m)).toBe(true)
    const bad = [{ t: 'hello' }, { t: 'send', payload: 1 }, { t: 'request', to: 'x', payload: 1 }, { t: 'request', to: 'x', id: -1, payload: 1 }, { t: 'nope' }]
    for (const m of bad) expect(clientMessageSchema.safeParse(m).success, JSON.stringify(m)).toBe(false)
  })

  it('describe what the broker sends, error frames included', () => {
    expect(brokerMessageSchema.safeParse(errorFrame('NOT_FOUND', 'no such endpoint', { re: 3 })).success).toBe(true)
    expect(brokerMessageSchema.safeParse({ t: 'error', code: 'MADE_UP', message: 'x' }).success).toBe(false)
    expect(WIRE_ERROR_CODES).toContain('SLOW_CONSUMER')
  })
})

describe('previewJson', () => {
  it('is JSON.stringify for small values and stops at 200 characters for large ones, with an ellipsis', () => {
    expect(previewJson({ a: [1, 'b', null], c: { d: true } })).toBe('{"a":[1,"b",null],"c":{"d":true}}')
    const big = { list: Array.from({ length: 100_000 }, (_, i) => i) }
    const p = previewJson(big)
    expect(p).toHaveLength(200)
    expect(p.endsWith('…')).toBe(true)
    expect(p.startsWith('{"list":[0,1,2,')).toBe(true)
    expect(previewJson('x'.repeat(1000))).toHaveLength(200)
  })
})

describe('the traffic log', () => {
  it('does nothing while nobody subscribes, and hands out batches', async () => {
    const log = new TrafficLog(20)
    expect(log.active).toBe(false)
    log.add({ at: 1, kind: 'send', bytes: 1, text: 'lost' })
    const batches: unknown[][] = []
    const stop = log.subscribe((b) => batches.push(b))
    expect(log.active).toBe(true)
    for (let i = 0; i < 3; i++) log.add({ at: i, kind: 'send', bytes: 1, text: String(i) })
    await new Promise((r) => setTimeout(r, 60))
    expect(batches).toHaveLength(1)
    expect(batches[0]!.map((e) => (e as { text: string }).text)).toEqual(['0', '1', '2'])
    for (let i = 0; i < 600; i++) log.add({ at: i, kind: 'send', bytes: 1, text: String(i) })
    await new Promise((r) => setTimeout(r, 60))
    expect(batches[1]).toHaveLength(501)
    expect((batches[1]!.at(-1) as { text: string }).text).toBe('100 more events in this 20 ms were left out of the log')
    stop()
    expect(log.active).toBe(false)
  })
})
