import { spawn } from 'node:child_process'
import * as http from 'node:http'
import * as https from 'node:https'
import { connect } from 'node:net'

/**
 * The network and command probes behind health and readiness checks. Each
 * settles exactly once, within its timeout, and leaves nothing behind: the
 * HTTP socket is not pooled (agent: false) and is destroyed once the status
 * line is read, the TCP socket is closed once connected, and a command runs
 * in its own process group, KILLed as a whole on timeout and always reaped.
 * An optional signal cancels a probe early (a monitor stopped, a program gone).
 */

export type ProbeOutcome = { ok: boolean; detail: string }

/** What one attempt saw, before its time is added: "HTTP 200", "connected", "connection refused". */
export interface Attempt {
  ok: boolean
  what: string
}

const CANCELLED: Attempt = { ok: false, what: 'cancelled' }
/** The most of a command's output line a detail quotes. */
const OUTPUT_CHARS = 200
/** Output kept per stream to find its last line: bounded whatever the command prints. */
const TAIL_BYTES = 4096
/** How long to wait for a command's pipes to close after it exited (a detached grandchild may hold them). */
const PIPE_GRACE_MS = 200

export async function probeHttp(check: { url: string; status: { min: number; max: number } }, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  return timed(() => httpAttempt(check, timeoutMs, signal))
}

export async function probeTcp(check: { host: string; port: number }, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  return timed(() => tcpAttempt(check, timeoutMs, signal))
}

/** A passing attempt says how long it took ("HTTP 200 in 3 ms"); a failing one says why. */
async function timed(attempt: () => Promise<Attempt>): Promise<ProbeOutcome> {
  const started = performance.now()
  const { ok, what } = await attempt()
  return { ok, detail: ok ? `${what} in ${Math.round(performance.now() - started)} ms` : what }
}

/** One GET: passes when the status is within check.status (inclusive); the body is never read. */
export function httpAttempt(check: { url: string; status: { min: number; max: number } }, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  const { min, max } = check.status
  return settleOnce(timeoutMs, signal, (finish) => {
    let url: URL
    try {
      url = new URL(check.url)
    } catch {
      finish({ ok: false, what: `invalid URL ${check.url}` })
      return () => {}
    }
    const get = url.protocol === 'https:' ? https.get : http.get
    const req = get(url, { agent: false, headers: { 'user-agent': 'Proctor health check', connection: 'close' } }, (res) => {
      // Destroying the request below aborts the body: swallow what that raises on the response.
      res.on('error', () => {})
      const code = res.statusCode ?? 0
      finish(code >= min && code <= max ? { ok: true, what: `HTTP ${code}` } : { ok: false, what: `HTTP ${code} (expected ${min}-${max})` })
    })
    req.on('error', (err) => finish({ ok: false, what: describeNetError(err) }))
    return () => req.destroy()
  })
}

/** One TCP connection, closed as soon as it is accepted. */
export function tcpAttempt(check: { host: string; port: number }, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  return settleOnce(timeoutMs, signal, (finish) => {
    const socket = connect({ host: check.host, port: check.port })
    socket.once('connect', () => finish({ ok: true, what: 'connected' }))
    socket.on('error', (err) => finish({ ok: false, what: describeNetError(err) }))
    return () => socket.destroy()
  })
}

/**
 * Runs `start` with a `finish` that takes the first outcome only; a timeout
 * or an abort finishes it too. `start` returns its cleanup, run once
 * whichever way it finished.
 */
function settleOnce(timeoutMs: number, signal: AbortSignal | undefined, start: (finish: (a: Attempt) => void) => () => void): Promise<Attempt> {
  if (signal?.aborted) return Promise.resolve(CANCELLED)
  return new Promise((resolve) => {
    let done = false
    let cleanup: (() => void) | undefined
    const onAbort = (): void => finish(CANCELLED)
    const timer = setTimeout(() => finish({ ok: false, what: `timed out after ${timeoutMs} ms` }), timeoutMs)
    function finish(a: Attempt): void {
      if (done) return
      done = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      cleanup?.()
      resolve(a)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const stop = start(finish)
    // start may have finished synchronously, before its cleanup was known.
    if (done) stop()
    else cleanup = stop
  })
}

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EPIPE: 'connection closed',
}

function describeNetError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code
  return (code !== undefined ? NET_ERRORS[code] : undefined) ?? err.message
}

/**
 * Runs a command (an argv; with `shell`, /bin/sh -c with args as $1...) in
 * its own process group; passes on exit 0. On timeout or abort the whole
 * group is KILLed; whatever the command left running in its group is KILLed
 * once it exits, so a check never leaves processes behind.
 */
export function probeCommand(check: { command: string; args: readonly string[]; shell: boolean }, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  if (signal?.aborted) return Promise.resolve({ ok: false, detail: 'cancelled' })
  const argv = check.shell ? ['/bin/sh', '-c', check.command, 'sh', ...check.args] : [check.command, ...check.args]
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(argv[0] ?? check.command, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = new Tail()
    const err = new Tail()
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    let ended: string | undefined
    let graceTimer: NodeJS.Timeout | undefined
    const killGroup = (): void => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // the group is empty already
      }
    }
    const end = (why: string): void => {
      ended ??= why
      killGroup()
    }
    const onAbort = (): void => end('cancelled')
    const timer = setTimeout(() => end(`timed out after ${timeoutMs} ms (killed)`), timeoutMs)
    signal?.addEventListener('abort', onAbort, { once: true })
    let settled = false
    const settle = (outcome: ProbeOutcome): void => {
      // A spawn that fails emits 'error' then 'close': the first says why.
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(graceTimer)
      signal?.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    child.once('error', (e) => {
      // Not started at all (no such command): there is no exit to wait for.
      if (child.pid === undefined) settle({ ok: false, detail: `cannot run ${check.command}: ${describeSpawnError(e)}` })
    })
    child.once('exit', () => {
      // Stragglers in its group would hold the pipes open; then give the pipes a moment, not forever.
      killGroup()
      graceTimer = setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
      }, PIPE_GRACE_MS)
    })
    child.once('close', (code, sig) => {
      const ms = Math.round(performance.now() - started)
      const line = err.lastLine() || out.lastLine()
      const said = line ? `: ${line}` : ''
      if (ended !== undefined) settle({ ok: false, detail: `${ended}${said}` })
      else if (code === 0) settle({ ok: true, detail: `exit 0 in ${ms} ms${said}` })
      else settle({ ok: false, detail: `${code !== null ? `exit ${code}` : `killed by ${sig ?? 'a signal'}`}${said}` })
    })
  })
}

function describeSpawnError(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'not found'
  if (code === 'EACCES') return 'permission denied'
  return e.message
}

/** The last bytes of a stream, to quote its last non-empty line. */
class Tail {
  private buf = Buffer.alloc(0)

  push(chunk: Buffer): void {
    const joined = Buffer.concat([this.buf, chunk])
    this.buf = joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined
  }

  lastLine(): string {
    const lines = this.buf.toString('utf8').split('\n')
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]?.trim()
      if (line) return line.length > OUTPUT_CHARS ? `${line.slice(0, OUTPUT_CHARS - 1)}…` : line
    }
    return ''
  }
}
