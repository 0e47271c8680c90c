import { afterEach, describe, expect, it } from 'vitest'
import { CHECK_RESULTS_KEPT, type HealthCheck, type HealthStatus } from '../../../src/shared/supervisor/checks'
import { MiB } from '../../../src/shared/supervisor/program'
import { HealthMonitor, type HealthMonitorOptions } from '../../../src/main/core/health/healthMonitor'
import { waitFor } from '../../helpers/wait'
import { HOLD_100_MB, IDLE, SPIN, startChild } from './programs'
import { closedPort, httpServer } from './servers'

const monitors: HealthMonitor[] = []

afterEach(() => {
  for (const m of monitors.splice(0)) m.stop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A started monitor with short intervals, recording each change with how many results it had seen by then. */
function monitor(checks: HealthCheck[], options: Partial<HealthMonitorOptions> = {}) {
  const changes: { status: HealthStatus; reason: string; results: number; at: number; since: number }[] = []
  const m: HealthMonitor = new HealthMonitor({
    checks,
    intervalMs: 50,
    timeoutMs: 1000,
    startPeriodMs: 0,
    unhealthyThreshold: 3,
    healthyThreshold: 2,
    pids: () => [],
    onChange: (status, reason) => changes.push({ status, reason, results: m.results().length, at: Date.now(), since: m.since }),
    ...options,
  })
  monitors.push(m)
  const startedAt = Date.now()
  m.start()
  return { m, changes, startedAt }
}

const http = (url: string): HealthCheck => ({ kind: 'http', url, status: { min: 200, max: 399 } })

describe('HealthMonitor', () => {
  it('is healthy after healthyThreshold passing rounds, unhealthy after unhealthyThreshold failing ones, and healthy again', async () => {
    const web = await httpServer(200)
    const { m, changes } = monitor([http(web.url)])
    expect(m.status).toBe('starting')
    await waitFor(() => m.status === 'healthy', 3000, 'healthy')
    expect(changes[0]).toMatchObject({ status: 'healthy', reason: 'the check passed, 2 times in a row', results: 2 })
    const before = m.results().length
    web.status = 503
    await waitFor(() => m.status === 'unhealthy', 3000, 'unhealthy')
    expect(changes[1]).toMatchObject({
      status: 'unhealthy',
      reason: `http ${web.url}: HTTP 503 (expected 200-399), 3 times in a row`,
      results: before + 3,
    })
    // `since` moved before the listener heard of the change, and stays until the next.
    expect(m.since).toBe(changes[1]?.since)
    expect(changes[1]!.since).toBeGreaterThan(changes[0]!.since)
    web.status = 200
    await waitFor(() => m.status === 'healthy', 3000, 'healthy again')
    expect(changes.map((c) => c.status)).toEqual(['healthy', 'unhealthy', 'healthy'])
    const last = m.results().at(-1)
    expect(last).toMatchObject({ kind: 'http', ok: true })
    expect(last?.detail).toMatch(/^HTTP 200 in \d+ ms$/)
  })

  it('does not count failures inside the start period', async () => {
    const port = await closedPort()
    const { m, changes, startedAt } = monitor([{ kind: 'tcp', host: '127.0.0.1', port }], { startPeriodMs: 300, unhealthyThreshold: 1 })
    await sleep(220)
    expect(m.results().length).toBeGreaterThanOrEqual(2)
    expect(m.results().every((r) => !r.ok && r.detail === 'connection refused')).toBe(true)
    expect(m.status).toBe('starting')
    await waitFor(() => m.status === 'unhealthy', 3000, 'unhealthy')
    expect((changes[0]?.at ?? 0) - startedAt).toBeGreaterThanOrEqual(300)
    expect(changes[0]?.reason).toBe(`tcp 127.0.0.1:${port}: connection refused`)
  })

  it('runs every check of a round and names each failing one', async () => {
    const web = await httpServer(500)
    const port = await closedPort()
    const { m, changes } = monitor([{ kind: 'command', command: 'true', args: [], shell: false }, http(web.url), { kind: 'tcp', host: '127.0.0.1', port }], {
      unhealthyThreshold: 1,
    })
    await waitFor(() => m.status === 'unhealthy', 3000, 'unhealthy')
    expect(changes[0]?.reason).toBe(`http ${web.url}: HTTP 500 (expected 200-399); tcp 127.0.0.1:${port}: connection refused`)
    expect(m.results().map((r) => [r.kind, r.ok])).toEqual([['command', true], ['http', false], ['tcp', false]])
  })

  it('alive: fails once the program is gone', async () => {
    const child = await startChild(IDLE)
    let pids = [child.pid]
    const { m, changes } = monitor([{ kind: 'alive' }], { unhealthyThreshold: 1, healthyThreshold: 1, pids: () => pids })
    await waitFor(() => m.status === 'healthy', 3000, 'healthy')
    expect(m.results()[0]?.detail).toBe(`process ${child.pid} is running`)
    child.kill('SIGKILL')
    await waitFor(() => m.status === 'unhealthy', 3000, 'unhealthy')
    expect(changes.at(-1)?.reason).toMatch(new RegExp(`^alive: process ${child.pid} (is gone|has exited)`))
    pids = []
    await waitFor(() => m.results().at(-1)?.detail === 'not running', 3000, 'not running')
  })

  it('cpu: fails when over the limit for `samples` rounds in a row, not before', async () => {
    const [busy, idle] = await Promise.all([startChild(SPIN), startChild(IDLE)])
    // A low limit: on a loaded machine the spinning child may get a small share of a core in a round.
    const check: HealthCheck = { kind: 'cpu', percent: 10, samples: 3 }
    const hot = monitor([check], { intervalMs: 100, unhealthyThreshold: 1, healthyThreshold: 1, pids: () => [busy.pid] })
    const cold = monitor([check], { intervalMs: 100, unhealthyThreshold: 1, healthyThreshold: 1, pids: () => [idle.pid] })
    await waitFor(() => hot.m.status === 'unhealthy', 10_000, 'unhealthy')
    // Round 1 has no figure; the failing round is the third over the limit in a row, after the first and second.
    const details = hot.m.results().map((r) => r.detail)
    expect(details[0]).toBe('no CPU figure yet')
    const failing = hot.m.results().findIndex((r) => !r.ok)
    expect(failing).toBeGreaterThanOrEqual(3)
    expect(details[failing - 2]).toMatch(/^CPU [\d.]+ % over 10 % \(1 of 3 in a row\)$/)
    expect(details[failing - 1]).toMatch(/\(2 of 3 in a row\)$/)
    expect(hot.changes.map((c) => c.status)).toEqual(['healthy', 'unhealthy'])
    expect(hot.changes[1]?.results).toBe(failing + 1)
    expect(hot.changes[1]?.reason).toMatch(/^cpu: CPU [\d.]+ % over 10 % \(3 of 3 in a row\)$/)
    expect(cold.m.status).toBe('healthy')
    expect(cold.m.results().slice(1).every((r) => r.ok && /^CPU [\d.]+ % of 10 % allowed$/.test(r.detail))).toBe(true)
  })

  it('memory: fails when resident memory is over maxBytes', async () => {
    const holder = await startChild(HOLD_100_MB)
    const pids = () => [holder.pid]
    const over = monitor([{ kind: 'memory', maxBytes: 64 * MiB }], { unhealthyThreshold: 1, pids })
    const under = monitor([{ kind: 'memory', maxBytes: 1024 * MiB }], { healthyThreshold: 1, pids })
    await waitFor(() => over.m.status === 'unhealthy', 5000, 'unhealthy')
    expect(over.changes.at(-1)?.reason).toMatch(/^memory: \d+\.\d MiB of 64\.0 MiB allowed$/)
    expect(Number(/^memory: ([\d.]+)/.exec(over.changes.at(-1)?.reason ?? '')?.[1])).toBeGreaterThan(64)
    // The whole buffer counts once it is filled.
    await waitFor(() => /^1\d\d\.\d MiB of 64\.0 MiB allowed$/.test(over.m.results().at(-1)?.detail ?? ''), 5000, 'over 100 MiB')
    await waitFor(() => under.m.status === 'healthy', 3000, 'healthy')
    expect(under.m.results().at(-1)?.detail).toMatch(/ MiB of 1024\.0 MiB allowed$/)
  })

  it('stop leaves no round to come and drops the one in flight', async () => {
    const web = await httpServer(200)
    const { m, changes } = monitor([http(web.url), { kind: 'command', command: 'sleep', args: ['0.3'], shell: false }], { healthyThreshold: 1 })
    await waitFor(() => web.requests === 1, 3000, 'the first round in flight')
    m.stop()
    await sleep(350)
    expect(m.results()).toEqual([])
    expect(changes).toEqual([])
    expect(m.status).toBe('starting')
    expect(web.requests).toBe(1)
  })

  it('keeps the last CHECK_RESULTS_KEPT results, newest last, and starts afresh on start()', async () => {
    const { m, changes } = monitor([{ kind: 'command', command: 'true', args: [], shell: false }, { kind: 'alive' }], {
      intervalMs: 10,
      healthyThreshold: 1,
      unhealthyThreshold: 100,
      pids: () => [process.pid],
    })
    await waitFor(() => m.results().length === CHECK_RESULTS_KEPT && m.results().at(-1)!.at > m.results()[0]!.at + 20, 5000, 'results to wrap')
    const results = m.results()
    expect(results.length).toBe(CHECK_RESULTS_KEPT)
    expect(results.map((r) => r.at)).toEqual(results.map((r) => r.at).sort((a, b) => a - b))
    expect(m.status).toBe('healthy')
    m.start()
    expect(m.status).toBe('starting')
    expect(changes.at(-1)).toMatchObject({ status: 'starting', reason: 'checks started' })
  })

  it('runs its first round after at most a second, however long the interval', async () => {
    const { m } = monitor([{ kind: 'alive' }], { intervalMs: 60_000 })
    await sleep(700)
    expect(m.results()).toEqual([])
    await waitFor(() => m.results().length === 1, 1500, 'the first round')
  })

  it('runs the rounds of monitors started together in shared wake-ups, never before their interval', async () => {
    // Rounds that start in one wake-up run with no microtask between them; separate timers have one each.
    let wakeUps = 0
    let inWakeUp = false
    const starts: number[][] = []
    for (let i = 0; i < 10; i++) {
      const mine: number[] = []
      starts.push(mine)
      monitor([{ kind: 'alive' }], {
        intervalMs: 640,
        pids: () => {
          mine.push(performance.now())
          if (!inWakeUp) {
            inWakeUp = true
            wakeUps += 1
            queueMicrotask(() => (inWakeUp = false))
          }
          return [process.pid]
        },
      })
    }
    await waitFor(() => starts.every((s) => s.length >= 3), 5000, 'three rounds each')
    for (const m of monitors) m.stop()
    // Ten monitors, three rounds: thirty wake-ups with a timer each; one a round (two across a mark) once they share.
    expect(wakeUps).toBeLessThanOrEqual(6)
    for (const s of starts) for (let i = 1; i < s.length; i++) expect(s[i]! - s[i - 1]!).toBeGreaterThanOrEqual(639)
  })

  it('ipc: healthy while heartbeats come within maxSilenceMs, unhealthy once they stop, and says when IPC is off', async () => {
    let last: number | undefined
    const beat = setInterval(() => (last = Date.now()), 20)
    const { m, changes } = monitor([{ kind: 'ipc', maxSilenceMs: 150 }], { heartbeat: () => last, ipcOff: () => false })
    try {
      await waitFor(() => m.status === 'healthy', 3000, 'healthy')
      expect(m.results().at(-1)?.detail).toMatch(/^heartbeat \d+ ms ago$/)
      clearInterval(beat)
      await waitFor(() => m.status === 'unhealthy', 3000, 'unhealthy')
      expect(changes.at(-1)?.reason).toMatch(/^ipc heartbeat: no heartbeat for \d+ ms \(at most 150 ms\), 3 times in a row$/)
    } finally {
      clearInterval(beat)
    }
    const none = monitor([{ kind: 'ipc' }], { heartbeat: () => undefined, ipcOff: () => false, unhealthyThreshold: 1 })
    await waitFor(() => none.m.status === 'unhealthy', 3000, 'unhealthy with no heartbeat')
    expect(none.m.results()[0]?.detail).toMatch(/^no heartbeat in the \d+ ms since the checks started$/)
    const off = monitor([{ kind: 'ipc' }], { heartbeat: () => Date.now(), ipcOff: () => true, unhealthyThreshold: 1 })
    await waitFor(() => off.m.status === 'unhealthy', 3000, 'unhealthy with IPC off')
    expect(off.m.results()[0]?.detail).toMatch(/^IPC is off \(enableIPC\)/)
  })
})
