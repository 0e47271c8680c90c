import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { waitReady, type ReadyLine } from '../../../src/main/core/health/readiness'
import { closedPort, httpServer, tcpServer } from './servers'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The logs interface as ProgramLogs offers it: listeners fed lines by the test. */
class Lines {
  readonly listeners = new Set<(line: ReadyLine) => void>()
  onLine(listener: (line: ReadyLine) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  emit(stream: ReadyLine['stream'], text: string): void {
    for (const l of [...this.listeners]) l({ stream, text })
  }
}

const options = (signal = new AbortController().signal, logs = new Lines()) => ({ timeoutMs: 3000, logs, signal, pollMs: 50 })

describe('waitReady', () => {
  it('http: polls until the status is in range', async () => {
    const web = await httpServer(503)
    setTimeout(() => (web.status = 200), 200)
    const started = Date.now()
    const result = await waitReady({ kind: 'http', url: web.url, status: { min: 200, max: 399 } }, options())
    expect(result.ok).toBe(true)
    expect(result.detail).toMatch(/^HTTP 200 after (0\.[2-9]|\d+(\.\d)?) s$/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(web.requests).toBeGreaterThanOrEqual(3)
  })

  it('tcp: passes once something listens on the port', async () => {
    const port = await closedPort()
    setTimeout(() => void tcpServer(port), 100)
    const result = await waitReady({ kind: 'tcp', host: '127.0.0.1', port }, options())
    expect(result.ok).toBe(true)
    expect(result.detail).toMatch(/^connected after 0\.\d s$/)
  })

  it('fails after timeoutMs with the last thing seen', async () => {
    const port = await closedPort()
    const started = Date.now()
    const result = await waitReady({ kind: 'tcp', host: '127.0.0.1', port }, { ...options(), timeoutMs: 200 })
    expect(result).toEqual({ ok: false, detail: 'not ready after 0.2 s: last: connection refused' })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('log: passes on the first line of the stream that matches, case-insensitively, and stops listening', async () => {
    const lines = new Lines()
    const pending = waitReady({ kind: 'log', pattern: 'listening on :\\d+', stream: 'stdout' }, options(undefined, lines))
    let settled = false
    void pending.then(() => (settled = true))
    lines.emit('stdout', 'starting up')
    lines.emit('stderr', 'Listening on :8080 (stderr, not watched)')
    await sleep(20)
    expect(settled).toBe(false)
    lines.emit('stdout', `LISTENING ON :8080 ${'x'.repeat(300)}`)
    const result = await pending
    expect(result.ok).toBe(true)
    expect(result.detail).toMatch(/^line "LISTENING ON :8080 x+…" on stdout after \d+(\.\d)? s$/)
    expect(result.detail.length).toBeLessThan(160)
    expect(lines.listeners.size).toBe(0)
  })

  it('log: both streams by default, and a timeout says not ready', async () => {
    const lines = new Lines()
    const both = waitReady({ kind: 'log', pattern: 'ready', stream: 'both' }, options(undefined, lines))
    lines.emit('stderr', 'ready')
    expect((await both).ok).toBe(true)
    expect(await waitReady({ kind: 'log', pattern: 'ready', stream: 'both' }, { ...options(undefined, lines), timeoutMs: 100 })).toEqual({
      ok: false,
      detail: 'not ready after 0.1 s',
    })
    expect(lines.listeners.size).toBe(0)
  })

  it('resolves cancelled at once when aborted, and polls no more', async () => {
    const web = await httpServer(503)
    const abort = new AbortController()
    const pending = waitReady({ kind: 'http', url: web.url, status: { min: 200, max: 399 } }, options(abort.signal))
    await sleep(100)
    const started = Date.now()
    abort.abort()
    expect(await pending).toEqual({ ok: false, detail: 'cancelled' })
    expect(Date.now() - started).toBeLessThan(50)
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0)
    const requests = web.requests
    await sleep(150)
    expect(web.requests).toBe(requests)
  })

  it('log: an abort removes the listener', async () => {
    const lines = new Lines()
    const abort = new AbortController()
    const pending = waitReady({ kind: 'log', pattern: 'ready', stream: 'both' }, options(abort.signal, lines))
    expect(lines.listeners.size).toBe(1)
    abort.abort()
    expect(await pending).toEqual({ ok: false, detail: 'cancelled' })
    expect(lines.listeners.size).toBe(0)
  })

  it('ipc: passes on the ready message, stops listening, and fails at once when the run has no IPC token', async () => {
    const listeners = new Set<() => void>()
    const ipc = { listening: true, onReady: (l: () => void) => (listeners.add(l), () => listeners.delete(l)) }
    setTimeout(() => listeners.forEach((l) => l()), 100)
    const result = await waitReady({ kind: 'ipc' }, { ...options(), ipc })
    expect(result.ok).toBe(true)
    expect(result.detail).toMatch(/^ready message over IPC after 0\.\d s$/)
    expect(listeners.size).toBe(0)
    const started = Date.now()
    const off = await waitReady({ kind: 'ipc' }, { ...options(), ipc: { ...ipc, listening: false } })
    expect(off.ok).toBe(false)
    expect(off.detail).toMatch(/^IPC is off \(enableIPC\)/)
    expect(Date.now() - started).toBeLessThan(100)
    expect(listeners.size).toBe(0)
  })
})
