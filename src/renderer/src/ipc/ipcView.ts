import type { z } from 'zod'
import { ProctorError, type ErrorCode } from '../../../shared/errors'
import { formatBytes, formatDuration } from '../../../shared/format'
import type { IPCConnection, IPCOverview, IPCTrafficEvent } from '../../../shared/broker/status'
import { formatDelay } from '../../../shared/supervisor/schedule'

/** What the IPC page shows, as pure functions of the broker's overview, its traffic and the time. */

// ---------- Live rates ----------

type Counters = Pick<IPCConnection, 'messagesIn' | 'messagesOut' | 'bytesIn' | 'bytesOut'>

export interface Rates {
  /** Per second, over the last interval of at least RATE_INTERVAL_MS. */
  messagesIn: number
  messagesOut: number
  bytesIn: number
  bytesOut: number
}

interface Base extends Counters {
  at: number
  /** The connection this base belongs to: a new connection under an old id starts over. */
  since: number
}

export interface RateState {
  bases: ReadonlyMap<string, Base>
  rates: ReadonlyMap<string, Rates>
}

export const NO_RATES: RateState = { bases: new Map(), rates: new Map() }

/**
 * Overviews come every refresh and also on each connect or disconnect, a
 * few ms apart: a rate over such a sliver would be noise. A rate is taken
 * over at least this long, and kept until the next one is.
 */
export const RATE_INTERVAL_MS = 900

/** The id under which the broker's totals get a rate too. */
export const TOTALS = '\u0000totals'

/**
 * Each connection's rates from the difference between its counters now and
 * at its base (the counters at least RATE_INTERVAL_MS ago). A new
 * connection, one reconnected under the same id, or counters that went
 * back have no rate until a full interval has passed: never a negative or
 * made-up figure. Connections gone are forgotten.
 */
export function nextRates(state: RateState, overview: Pick<IPCOverview, 'connections' | 'totals'>, now: number, interval = RATE_INTERVAL_MS): RateState {
  const bases = new Map<string, Base>()
  const rates = new Map<string, Rates>()
  const take = (id: string, counters: Counters, since: number) => {
    const base = state.bases.get(id)
    const current: Base = { at: now, since, messagesIn: counters.messagesIn, messagesOut: counters.messagesOut, bytesIn: counters.bytesIn, bytesOut: counters.bytesOut }
    if (!base || base.since !== since || wentBack(base, counters) || now < base.at) {
      bases.set(id, current)
      return
    }
    const dt = now - base.at
    if (dt < interval) {
      bases.set(id, base)
      const kept = state.rates.get(id)
      if (kept) rates.set(id, kept)
      return
    }
    bases.set(id, current)
    const per = (a: number, b: number) => ((a - b) * 1000) / dt
    rates.set(id, {
      messagesIn: per(counters.messagesIn, base.messagesIn),
      messagesOut: per(counters.messagesOut, base.messagesOut),
      bytesIn: per(counters.bytesIn, base.bytesIn),
      bytesOut: per(counters.bytesOut, base.bytesOut),
    })
  }
  for (const c of overview.connections) take(c.id, c, c.connectedSince)
  // The totals count every message once (in), so "out" mirrors it.
  const { messages, bytes } = overview.totals
  take(TOTALS, { messagesIn: messages, messagesOut: messages, bytesIn: bytes, bytesOut: bytes }, 0)
  return { bases, rates }
}

function wentBack(base: Counters, now: Counters): boolean {
  return now.messagesIn < base.messagesIn || now.messagesOut < base.messagesOut || now.bytesIn < base.bytesIn || now.bytesOut < base.bytesOut
}

export function rateText(perSecond: number | undefined, unit: 'bytes' | 'messages'): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return ''
  if (unit === 'bytes') return `${formatBytes(perSecond)}/s`
  return `${perSecond < 10 && perSecond > 0 ? perSecond.toFixed(1) : Math.round(perSecond)}/s`
}

// ---------- Times ----------

/** "now", "4s ago", "2m 5s ago". */
export function agoText(at: number | undefined, now: number): string {
  if (at === undefined) return '–'
  const ms = now - at
  return ms < 1000 ? 'now' : `${formatDuration(ms)} ago`
}

/** How long ago, for a connection: "for 4m 10s". */
export function forText(since: number, now: number): string {
  return formatDuration(now - since)
}

/** 14:03:07.123, the log's time of day. */
export function clockText(at: number): string {
  const d = new Date(at)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

/** A heartbeat older than this many message timeouts is shown as late. */
const LATE_HEARTBEATS = 3

export function heartbeatTone(lastHeartbeat: number | undefined, now: number, messageTimeout: number): 'none' | 'ok' | 'late' {
  if (lastHeartbeat === undefined) return 'none'
  return now - lastHeartbeat > LATE_HEARTBEATS * messageTimeout ? 'late' : 'ok'
}

// ---------- Queued bytes against the cap ----------

export function queueLevel(queued: number, cap: number): { fraction: number; tone: 'ok' | 'warn' | 'bad' } {
  const fraction = cap > 0 ? Math.min(1, Math.max(0, queued / cap)) : 0
  return { fraction, tone: fraction >= 0.8 ? 'bad' : fraction >= 0.5 ? 'warn' : 'ok' }
}

// ---------- The caps, in words ----------

export function capsList(caps: IPCOverview['caps']): Array<{ label: string; value: string; title: string }> {
  return [
    { label: 'Connections', value: `max ${caps.maxConnections}`, title: 'Connections beyond this are refused (ipcConfig.maxConnections)' },
    { label: 'Frame', value: `max ${formatBytes(caps.maxFrameBytes)}`, title: 'The largest message accepted either way; larger frames close the connection' },
    { label: 'Queue', value: `max ${formatBytes(caps.maxQueuedBytes)}`, title: 'Bytes waiting for one connection before it is dropped as a slow consumer' },
    { label: 'Timeout', value: formatDelay(caps.messageTimeout), title: 'A request with no answer in this time fails with TIMEOUT (ipcConfig.messageTimeout)' },
    { label: 'Handshake', value: formatDelay(caps.handshakeTimeoutMs), title: 'A connection must present its token within this time' },
  ]
}


// ---------- The console's JSON ----------

/** A JSON value, as the contract's payloads are typed. */
export type JsonValue = z.infer<ReturnType<typeof z.json>>

export type PayloadCheck = { ok: true; value: JsonValue; bytes: number } | { ok: false; message: string; line?: number; column?: number }

const encoder = new TextEncoder()

/**
 * The console's text as a JSON value, or why not: what is wrong and the
 * line and column where (found by our own scan: the browser's messages do
 * not always say where), or the encoded size over the broker's frame limit.
 */
export function checkPayload(text: string, maxBytes?: number): PayloadCheck {
  if (text.trim() === '') return { ok: false, message: 'Type a JSON value, such as {"hello": "world"} or "ping".' }
  let value: JsonValue
  try {
    value = JSON.parse(text) as JsonValue
  } catch (err) {
    const found = findJsonError(text)
    if (found) return { ok: false, message: found.message, ...lineColumn(text, found.position) }
    return { ok: false, message: err instanceof Error ? err.message : String(err) }
  }
  const bytes = encoder.encode(JSON.stringify(value)).length
  if (maxBytes !== undefined && bytes > maxBytes) {
    return { ok: false, message: `${formatBytes(bytes)} is over the broker's frame limit of ${formatBytes(maxBytes)}.` }
  }
  return { ok: true, value, bytes }
}

class JsonStop {
  constructor(
    readonly position: number,
    readonly message: string,
  ) {}
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y

/** Nesting deeper than this is reported rather than scanned (the scan recurses). */
const MAX_JSON_DEPTH = 512

/**
 * The first place where a text stops being JSON (RFC 8259), with what was
 * expected there; undefined when it is JSON. A small recursive-descent
 * scan, its nesting bounded so a deep text cannot overflow the stack.
 */
export function findJsonError(text: string): { position: number; message: string } | undefined {
  let i = 0
  const fail = (message: string, at = i): never => {
    throw new JsonStop(at, message)
  }
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const shown = (at: number) => (at >= text.length ? 'the end' : `“${text[at]}”`)
  const value = (depth: number): void => {
    ws()
    if (depth > MAX_JSON_DEPTH) fail(`Nested more than ${MAX_JSON_DEPTH} deep`)
    const c = text[i]
    if (c === '{') return object(depth)
    if (c === '[') return array(depth)
    if (c === '"') return string()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number()
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length
        return
      }
    }
    if (c === "'") fail('Strings take double quotes, not single ones')
    if (c !== undefined && /[A-Za-z_]/.test(c)) fail('Text must be a string in double quotes (or true, false, null)')
    fail(`Expected a value, found ${shown(i)}`)
  }
  const object = (depth: number) => {
    i++
    ws()
    if (text[i] === '}') {
      i++
      return
    }
    for (;;) {
      ws()
      if (text[i] === '}') fail('No comma after the last property')
      if (text[i] !== '"') fail(text[i] === "'" ? 'Property names take double quotes, not single ones' : `Expected a property name in double quotes, found ${shown(i)}`)
      string()
      ws()
      if (text[i] !== ':') fail(`Expected “:” after the property name, found ${shown(i)}`)
      i++
      value(depth + 1)
      ws()
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === '}') {
        i++
        return
      }
      fail(`Expected “,” or “}”, found ${shown(i)}`)
    }
  }
  const array = (depth: number) => {
    i++
    ws()
    if (text[i] === ']') {
      i++
      return
    }
    for (;;) {
      ws()
      if (text[i] === ']') fail('No comma after the last element')
      value(depth + 1)
      ws()
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === ']') {
        i++
        return
      }
      fail(`Expected “,” or “]”, found ${shown(i)}`)
    }
  }
  const string = () => {
    const start = i
    i++
    while (i < text.length) {
      const c = text[i]!
      if (c === '"') {
        i++
        return
      }
      if (c === '\\') {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('A \\u escape takes four hex digits')
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else fail(`Unknown escape \\${e ?? ''}`)
        continue
      }
      if (c < ' ') fail(c === '\n' ? 'The string is not closed on its line (a newline in a string is written \\n)' : 'A control character in a string must be escaped')
      i++
    }
    fail('The string is not closed', start)
  }
  const number = () => {
    NUMBER.lastIndex = i
    const m = NUMBER.exec(text)
    if (!m) fail('Not a number: digits after the minus sign, no leading zeros')
    i += m![0].length
  }
  try {
    value(0)
    ws()
    if (i < text.length) fail(`Unexpected ${shown(i)} after the value`)
    return undefined
  } catch (err) {
    if (err instanceof JsonStop) return { position: err.position, message: err.message }
    throw err
  }
}

export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position)
  const lines = before.split('\n')
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 }
}

// ---------- Results and errors ----------

/** An error from a call as its code and message (codes the contract names; others are INTERNAL). */
export function errorInfo(err: unknown): { code: ErrorCode | 'ERROR'; message: string } {
  if (err instanceof ProctorError) return { code: err.code, message: err.message }
  return { code: 'ERROR', message: err instanceof Error ? err.message : String(err) }
}

/** What the user can do about a console error. */
export function errorHint(code: string): string | undefined {
  switch (code) {
    case 'NOT_FOUND':
      return 'No connection has that id or program name now: pick a connected one.'
    case 'TIMEOUT':
      return 'The endpoint did not answer in time: does it handle requests (onRequest)? Or raise the timeout.'
    case 'UNAVAILABLE':
      return 'The broker is not running: turn IPC on, or start a Proctor owner.'
    case 'INVALID_ARGUMENT':
      return 'The message was refused as it is: check its size and form.'
    case 'QUEUE_FULL':
      return 'The endpoint is not reading its messages fast enough.'
    default:
      return undefined
  }
}

/** A JSON value as short text for the result list: compact, cut. */
export function previewJson(value: unknown, max = 2000): string {
  let text: string
  try {
    text = JSON.stringify(value, null, 2) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

// ---------- The live log ----------

/** The log keeps this many events; older ones go first. */
export const MAX_EVENTS = 1000

export function appendEvents(
  log: { events: readonly IPCTrafficEvent[]; dropped: number },
  batch: readonly IPCTrafficEvent[],
  cap = MAX_EVENTS,
): { events: readonly IPCTrafficEvent[]; dropped: number } {
  if (batch.length === 0) return log
  const all = log.events.concat(batch)
  if (all.length <= cap) return { events: all, dropped: log.dropped }
  return { events: all.slice(all.length - cap), dropped: log.dropped + all.length - cap }
}

export type KindFilter = 'all' | 'messages' | 'requests' | 'broadcasts' | 'liveness' | 'connections' | 'problems'

export const KIND_FILTERS: ReadonlyArray<{ id: KindFilter; label: string; kinds?: ReadonlyArray<IPCTrafficEvent['kind']> }> = [
  { id: 'all', label: 'All kinds' },
  { id: 'messages', label: 'Messages', kinds: ['send', 'request', 'response', 'broadcast'] },
  { id: 'requests', label: 'Requests and responses', kinds: ['request', 'response'] },
  { id: 'broadcasts', label: 'Broadcasts', kinds: ['broadcast'] },
  { id: 'liveness', label: 'Heartbeats and ready', kinds: ['heartbeat', 'ready'] },
  { id: 'connections', label: 'Connects and disconnects', kinds: ['connect', 'disconnect'] },
  { id: 'problems', label: 'Rejected and errors', kinds: ['rejected', 'error'] },
]

export interface LogFilter {
  kind: KindFilter
  /** An endpoint id: events from or to it (a broadcast reaches every endpoint). '' for any. */
  endpoint: string
  /** Plain text, case-insensitive, in the payload, the endpoints or the request id. */
  text: string
  /** Heartbeats shown (a program may send one every few seconds: the log's noise). */
  heartbeats: boolean
}

export const NO_FILTER: LogFilter = { kind: 'all', endpoint: '', text: '', heartbeats: true }

export function isFiltering(f: LogFilter): boolean {
  return f.kind !== 'all' || f.endpoint !== '' || f.text.trim() !== '' || !f.heartbeats
}

export function filterEvents(events: readonly IPCTrafficEvent[], f: LogFilter): readonly IPCTrafficEvent[] {
  if (!isFiltering(f)) return events
  const kinds = KIND_FILTERS.find((k) => k.id === f.kind)?.kinds
  const needle = f.text.trim().toLowerCase()
  return events.filter((e) => {
    if (kinds && !kinds.includes(e.kind)) return false
    if (!f.heartbeats && e.kind === 'heartbeat') return false
    if (f.endpoint !== '' && e.from !== f.endpoint && e.to !== f.endpoint && !(e.to === '*' && e.from !== undefined)) return false
    if (needle !== '') {
      const hay = `${e.text}\n${e.from ?? ''}\n${e.to ?? ''}\n${e.requestId ?? ''}`.toLowerCase()
      if (!hay.includes(needle)) return false
    }
    return true
  })
}

/** Every endpoint seen in the log or connected now, for the endpoint filter: Proctor first, then by id. */
export function knownEndpoints(events: readonly IPCTrafficEvent[], connections: readonly Pick<IPCConnection, 'id'>[]): string[] {
  const seen = new Set<string>()
  for (const c of connections) seen.add(c.id)
  for (const e of events) {
    if (e.from) seen.add(e.from)
    if (e.to && e.to !== '*') seen.add(e.to)
  }
  return [...seen].sort((a, b) => (a === 'proctor' ? -1 : b === 'proctor' ? 1 : a.localeCompare(b, undefined, { numeric: true })))
}

/** The arrow column: "proctor → p:web", "r:3 → *", "? " for a connection not yet identified. */
export function routeText(e: Pick<IPCTrafficEvent, 'from' | 'to'>): string {
  const from = e.from ?? '?'
  return e.to === undefined ? from : `${from} → ${e.to === '*' ? 'all' : e.to}`
}

export function kindTone(kind: IPCTrafficEvent['kind']): 'msg' | 'req' | 'live' | 'conn' | 'bad' {
  switch (kind) {
    case 'send':
    case 'broadcast':
      return 'msg'
    case 'request':
    case 'response':
      return 'req'
    case 'heartbeat':
    case 'ready':
      return 'live'
    case 'connect':
    case 'disconnect':
      return 'conn'
    case 'rejected':
    case 'error':
      return 'bad'
  }
}

// ---------- The console's target ----------

export const BROADCAST = '*'

/** The console's target choices: every connection, the chosen one even if it has gone (so it shows as such), and all. */
export function targetChoices(connections: readonly Pick<IPCConnection, 'id' | 'name'>[], chosen: string): Array<{ value: string; label: string; gone?: boolean }> {
  const list: Array<{ value: string; label: string; gone?: boolean }> = connections.map((c) => ({ value: c.id, label: c.name && c.name !== c.id ? `${c.name} (${c.id})` : c.id }))
  if (chosen !== BROADCAST && chosen !== '' && !connections.some((c) => c.id === chosen)) list.push({ value: chosen, label: `${chosen} (not connected)`, gone: true })
  list.push({ value: BROADCAST, label: 'All connections (broadcast)' })
  return list
}


// ---------- Register a process ----------

/** The register form's fields as the call's arguments, or what is wrong with each. */
/** A process to register, as the process page saw it ("Register for IPC…"): its start time binds the token to that very process. */
export interface RegisterRequest {
  pid: number
  startTime: number
  name: string
}

export function registerArgs(pidText: string, nameText: string): { ok: true; args: { pid: number; name?: string } } | { ok: false; pid?: string; name?: string } {
  const problems: { pid?: string; name?: string } = {}
  const p = pidText.trim()
  const pid = Number(p)
  if (p === '') problems.pid = 'The process ID of a running process'
  else if (!/^\d+$/.test(p) || !Number.isSafeInteger(pid) || pid < 1) problems.pid = 'A whole number above 0'
  const name = nameText.trim()
  if (name.length > 100) problems.name = 'At most 100 characters'
  if (problems.pid || problems.name) return { ok: false, ...problems }
  return { ok: true, args: name === '' ? { pid } : { pid, name } }
}

/** A duration in ms as the console shows it: "0.4 ms", "12 ms", "1.5 s". */
export function durationMsText(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : formatDelay(Math.round(ms))
}
