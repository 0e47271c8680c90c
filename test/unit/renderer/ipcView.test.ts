import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import type { IPCConnection, IPCTrafficEvent } from '../../../src/shared/broker/status'
import {
  agoText,
  appendEvents,
  BROADCAST,
  checkPayload,
  durationMsText,
  errorInfo,
  filterEvents,
  findJsonError,
  heartbeatTone,
  knownEndpoints,
  lineColumn,
  nextRates,
  NO_FILTER,
  NO_RATES,
  queueLevel,
  rateText,
  registerArgs,
  routeText,
  targetChoices,
  TOTALS,
} from '../../../src/renderer/src/ipc/ipcView'
import { envLines } from '../../../src/shared/broker/envLines'
import { formatDelay } from '../../../src/shared/supervisor/schedule'

const conn = (id: string, counters: Partial<IPCConnection> = {}): IPCConnection => ({
  id,
  kind: 'program',
  name: id,
  connectedSince: 1000,
  lastSeen: 1000,
  ready: false,
  messagesIn: 0,
  messagesOut: 0,
  bytesIn: 0,
  bytesOut: 0,
  queuedBytes: 0,
  ...counters,
})
const overview = (connections: IPCConnection[], totals = { messages: 0, bytes: 0, rejected: 0 }) => ({ connections, totals })

describe('live rates', () => {
  it('are the difference of counters over at least an interval, per second', () => {
    let s = nextRates(NO_RATES, overview([conn('a', { bytesIn: 1000, messagesIn: 10 })]), 0)
    expect(s.rates.get('a')).toBeUndefined()
    s = nextRates(s, overview([conn('a', { bytesIn: 3000, messagesIn: 30, bytesOut: 500 })]), 2000)
    expect(s.rates.get('a')).toEqual({ bytesIn: 1000, messagesIn: 10, bytesOut: 250, messagesOut: 0 })
  })

  it('keep the last rate for an overview that comes a few ms later (a connect elsewhere), and measure from the same base', () => {
    let s = nextRates(NO_RATES, overview([conn('a')]), 0)
    s = nextRates(s, overview([conn('a', { bytesIn: 1000 })]), 1000)
    expect(s.rates.get('a')!.bytesIn).toBe(1000)
    s = nextRates(s, overview([conn('a', { bytesIn: 1010 })]), 1005)
    expect(s.rates.get('a')!.bytesIn).toBe(1000)
    s = nextRates(s, overview([conn('a', { bytesIn: 1500 })]), 2000)
    expect(s.rates.get('a')!.bytesIn).toBe(500)
  })

  it('start over, with no rate, for a reconnect under the same id or counters that went back; never negative', () => {
    let s = nextRates(NO_RATES, overview([conn('a', { bytesIn: 5000 })]), 0)
    s = nextRates(s, overview([conn('a', { bytesIn: 100 })]), 1000)
    expect(s.rates.get('a')).toBeUndefined()
    s = nextRates(s, overview([conn('a', { bytesIn: 200, connectedSince: 5000 })]), 2000)
    expect(s.rates.get('a')).toBeUndefined()
    s = nextRates(s, overview([conn('a', { bytesIn: 1200, connectedSince: 5000 })]), 3000)
    expect(s.rates.get('a')!.bytesIn).toBe(1000)
  })

  it('forget connections that are gone, and rate the totals too', () => {
    let s = nextRates(NO_RATES, overview([conn('a')], { messages: 0, bytes: 0, rejected: 0 }), 0)
    s = nextRates(s, overview([], { messages: 50, bytes: 2048, rejected: 0 }), 1000)
    expect(s.bases.has('a')).toBe(false)
    expect(s.rates.get(TOTALS)).toMatchObject({ messagesIn: 50, bytesIn: 2048 })
  })

  it('read as units per second', () => {
    expect(rateText(1536, 'bytes')).toBe('1.5 KiB/s')
    expect(rateText(0.5, 'messages')).toBe('0.5/s')
    expect(rateText(42.4, 'messages')).toBe('42/s')
    expect(rateText(undefined, 'bytes')).toBe('')
  })
})

describe('times and levels', () => {
  it('say how long ago', () => {
    expect(agoText(10_000, 10_400)).toBe('now')
    expect(agoText(10_000, 15_000)).toBe('5s ago')
    expect(agoText(0, 125_000)).toBe('2m 5s ago')
    expect(agoText(undefined, 0)).toBe('–')
  })

  it('call a heartbeat late after three message timeouts', () => {
    expect(heartbeatTone(undefined, 0, 5000)).toBe('none')
    expect(heartbeatTone(0, 15_000, 5000)).toBe('ok')
    expect(heartbeatTone(0, 15_001, 5000)).toBe('late')
  })

  it('grade queued bytes against the cap, capped at full', () => {
    expect(queueLevel(0, 1000)).toEqual({ fraction: 0, tone: 'ok' })
    expect(queueLevel(600, 1000)).toEqual({ fraction: 0.6, tone: 'warn' })
    expect(queueLevel(5000, 1000)).toEqual({ fraction: 1, tone: 'bad' })
    expect(queueLevel(10, 0).fraction).toBe(0)
  })

  it('write durations', () => {
    expect(formatDelay(5000)).toBe('5 s')
    expect(formatDelay(1500)).toBe('1.5 s')
    expect(formatDelay(250)).toBe('250 ms')
    expect(durationMsText(0.42)).toBe('0.4 ms')
    expect(durationMsText(12.6)).toBe('13 ms')
    expect(durationMsText(2500)).toBe('2.5 s')
  })
})

describe('the console', () => {
  it('accepts any JSON value and counts its encoded bytes', () => {
    expect(checkPayload('{"a": 1}')).toEqual({ ok: true, value: { a: 1 }, bytes: 7 })
    expect(checkPayload('"é"')).toMatchObject({ ok: true, bytes: 4 })
    expect(checkPayload(' 42 ')).toMatchObject({ ok: true, value: 42 })
  })

  it('says where the JSON is wrong and what was expected there, by line and column', () => {
    const r = checkPayload('{\n  "a": 1,\n  b: 2\n}')
    expect(r).toEqual({ ok: false, message: 'Expected a property name in double quotes, found “b”', line: 3, column: 3 })
    expect(checkPayload('{"op": "sum",\n  "args": [1, 2,]}')).toEqual({ ok: false, message: 'No comma after the last element', line: 2, column: 17 })
    expect(checkPayload('{"a": ')).toMatchObject({ ok: false, message: 'Expected a value, found the end', line: 1, column: 7 })
    expect(checkPayload("{'a': 1}")).toMatchObject({ message: 'Property names take double quotes, not single ones', column: 2 })
    expect(checkPayload('{"a": 1} x')).toMatchObject({ message: 'Unexpected “x” after the value', column: 10 })
    expect(checkPayload('["abc')).toMatchObject({ message: 'The string is not closed', column: 2 })
    expect(checkPayload('{"a": ping}')).toMatchObject({ message: expect.stringMatching(/double quotes/), column: 7 })
    expect(checkPayload('[01]')).toMatchObject({ message: 'Expected “,” or “]”, found “1”', column: 3 })
    expect(checkPayload('"\\x"')).toMatchObject({ message: 'Unknown escape \\x', column: 2 })
  })

  it('finds an error exactly when JSON.parse refuses the text (random texts and random JSON)', () => {
    const parses = (t: string) => {
      try {
        JSON.parse(t)
        return true
      } catch {
        return false
      }
    }
    const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]",:-+.0123456789eE truefalsn\\u\n\'abx'.split('')), maxLength: 30 })
    fc.assert(fc.property(jsonish, (t) => (findJsonError(t) === undefined) === parses(t)), { numRuns: 3000 })
    fc.assert(fc.property(fc.json(), (t) => findJsonError(t) === undefined))
    fc.assert(fc.property(fc.string(), (t) => (findJsonError(t) === undefined) === parses(t)))
  })

  it('reports nesting too deep to scan instead of overflowing', () => {
    const deep = '['.repeat(100_000)
    expect(findJsonError(deep)?.message).toMatch(/Nested more than/)
  })

  it('asks for something when empty, and refuses a payload over the frame limit', () => {
    expect(checkPayload('   ')).toMatchObject({ ok: false, message: expect.stringMatching(/Type a JSON value/) })
    const big = JSON.stringify('x'.repeat(2000))
    expect(checkPayload(big, 1024)).toMatchObject({ ok: false, message: expect.stringMatching(/over the broker's frame limit of 1.0 KiB/) })
  })

  it('maps a position to a line and column', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
    expect(lineColumn('', 0)).toEqual({ line: 1, column: 1 })
  })

  it('offers every connection, the chosen one after it left, and all', () => {
    const choices = targetChoices([conn('p:web'), { ...conn('r:3'), name: 'worker' }], 'p:gone')
    expect(choices.map((c) => c.value)).toEqual(['p:web', 'r:3', 'p:gone', BROADCAST])
    expect(choices[1]!.label).toBe('worker (r:3)')
    expect(choices[2]).toMatchObject({ gone: true, label: 'p:gone (not connected)' })
    expect(targetChoices([], BROADCAST).map((c) => c.value)).toEqual([BROADCAST])
  })

  it('keeps an error’s code', () => {
    expect(errorInfo(new ProctorError('TIMEOUT', 'no answer in 100 ms'))).toEqual({ code: 'TIMEOUT', message: 'no answer in 100 ms' })
    expect(errorInfo(new Error('boom')).code).toBe('ERROR')
  })
})

describe('the message log', () => {
  const ev = (i: number, patch: Partial<IPCTrafficEvent> = {}): IPCTrafficEvent => ({ at: i, kind: 'send', from: 'proctor', to: 'p:web', bytes: 10, text: `{"n":${i}}`, ...patch })

  it('keeps the newest events up to the cap and counts what it dropped', () => {
    let log = { events: [] as readonly IPCTrafficEvent[], dropped: 0 }
    log = appendEvents(log, [ev(1), ev(2), ev(3)], 4)
    log = appendEvents(log, [ev(4), ev(5), ev(6)], 4)
    expect(log.events.map((e) => e.at)).toEqual([3, 4, 5, 6])
    expect(log.dropped).toBe(2)
    const same = appendEvents(log, [], 4)
    expect(same).toBe(log)
  })

  it('filters by kind group, endpoint (from, to, broadcasts reach everyone) and text', () => {
    const events = [
      ev(1),
      ev(2, { kind: 'heartbeat', from: 'p:web', to: undefined, text: '' }),
      ev(3, { kind: 'request', from: 'proctor', to: 'r:3', requestId: 'q7', text: '{"op":"sum"}' }),
      ev(4, { kind: 'response', from: 'r:3', to: 'proctor', requestId: 'q7', text: '{"sum":3}' }),
      ev(5, { kind: 'broadcast', from: 'proctor', to: '*', text: '"hello"' }),
      ev(6, { kind: 'rejected', from: undefined, to: undefined, text: 'bad token' }),
    ]
    expect(filterEvents(events, NO_FILTER)).toBe(events)
    expect(filterEvents(events, { ...NO_FILTER, kind: 'requests' }).map((e) => e.at)).toEqual([3, 4])
    expect(filterEvents(events, { ...NO_FILTER, kind: 'messages' }).map((e) => e.at)).toEqual([1, 3, 4, 5])
    expect(filterEvents(events, { ...NO_FILTER, kind: 'problems' }).map((e) => e.at)).toEqual([6])
    expect(filterEvents(events, { ...NO_FILTER, endpoint: 'r:3' }).map((e) => e.at)).toEqual([3, 4, 5])
    expect(filterEvents(events, { ...NO_FILTER, text: 'SUM' }).map((e) => e.at)).toEqual([3, 4])
    expect(filterEvents(events, { ...NO_FILTER, text: 'q7', kind: 'requests', endpoint: 'proctor' }).map((e) => e.at)).toEqual([3, 4])
    expect(filterEvents(events, { ...NO_FILTER, heartbeats: false }).map((e) => e.at)).toEqual([1, 3, 4, 5, 6])
    expect(filterEvents(events, { ...NO_FILTER, heartbeats: false, kind: 'liveness' })).toEqual([])
  })

  it('lists the endpoints seen, Proctor first', () => {
    expect(knownEndpoints([ev(1), ev(2, { from: 'r:10', to: '*' }), ev(3, { from: 'r:2' })], [conn('p:db')])).toEqual(['proctor', 'p:db', 'p:web', 'r:2', 'r:10'])
  })

  it('writes the route', () => {
    expect(routeText({ from: 'proctor', to: 'p:web' })).toBe('proctor → p:web')
    expect(routeText({ from: 'r:3', to: '*' })).toBe('r:3 → all')
    expect(routeText({ from: undefined, to: undefined })).toBe('?')
  })
})

describe('registering a process', () => {
  it('wants a pid, takes an optional name', () => {
    expect(registerArgs(' 123 ', '')).toEqual({ ok: true, args: { pid: 123 } })
    expect(registerArgs('123', ' worker ')).toEqual({ ok: true, args: { pid: 123, name: 'worker' } })
    expect(registerArgs('', '')).toMatchObject({ ok: false, pid: expect.any(String) })
    expect(registerArgs('12a', '')).toMatchObject({ ok: false, pid: 'A whole number above 0' })
    expect(registerArgs('0', 'x'.repeat(101))).toMatchObject({ ok: false, pid: expect.any(String), name: expect.any(String) })
  })

  it('gives the environment as shell lines, quoted when needed', () => {
    expect(envLines('/run/user/1000/proctor/ipc.sock', 'abc_DEF-1')).toBe('PROCTOR_IPC_SOCKET=/run/user/1000/proctor/ipc.sock\nPROCTOR_IPC_TOKEN=abc_DEF-1')
    expect(envLines("/home/o'neil/x y.sock", 't')).toBe(`PROCTOR_IPC_SOCKET='/home/o'\\''neil/x y.sock'\nPROCTOR_IPC_TOKEN=t`)
  })
})
