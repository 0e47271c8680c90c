import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshotsFromDeltas } from '../../src/shared/process/delta'
import { apiSubprotocols, type ServerMessage } from '../../src/shared/rpc/protocol'
import { webSocketTransport, type SocketLike } from '../../src/shared/rpc/wsClient'
import type { ProcessSnapshot } from '../../src/shared/types/process'
import type { LoopDelay } from '../helpers/loopDelay'
import { waitFor } from '../helpers/wait'
import { figure, scaled } from './figures'
import type { LoadHostReady, LoadHostReport } from './fixtures/loadHost'
import { startSleepers } from './sleepers'

/*
 * The headless host under load: browser clients over real WebSockets, each
 * subscribed to process deltas and system metrics at the default 1 Hz,
 * with thousands of real processes. The host runs in a process of its own
 * (fixtures/loadHost.ts) so its CPU (/proc/PID/stat) and its event-loop
 * delay are its own. Every client must take every update in order, or be
 * told it fell behind and start over from a whole snapshot.
 */

const ROOT = resolve(__dirname, '../..')
const FIXTURE = join(__dirname, 'fixtures/loadHost.ts')
const CLIENTS = scaled(4, 32)
const PROCESSES = scaled(200, 2000)
const SECONDS = scaled(5, 60)

let stopSleepers = () => {}
beforeAll(async () => {
  stopSleepers = (await startSleepers(PROCESSES, 'load')).stop
}, 180_000)
afterAll(() => stopSleepers())

interface LoadHost {
  ready: LoadHostReady
  /** utime + stime of the host's process, in clock ticks. */
  cpuTicks(): number
  measure(): void
  report(): Promise<LoopDelay>
  stop(): Promise<void>
}

async function startLoadHost(maxBufferedBytes?: number): Promise<LoadHost> {
  const args = ['--import', 'tsx', FIXTURE, ...(maxBufferedBytes === undefined ? [] : [String(maxBufferedBytes)])]
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const ready = await new Promise<LoadHostReady>((done, fail) => {
    child.once('message', (m) => done(m as LoadHostReady))
    void exited.then(() => fail(new Error(`the load host exited before it listened (code ${child.exitCode})`)))
  })
  return {
    ready,
    cpuTicks: () => {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'latin1')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(fields[11]) + Number(fields[12])
    },
    measure: () => child.send('measure'),
    report: () =>
      new Promise((done) => {
        child.once('message', (m) => done((m as LoadHostReport).delay))
        child.send('report')
      }),
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/**
 * One browser client: the page's own transport (webSocketTransport over a
 * `ws` socket) with the renderer's composition of the delta stream
 * (snapshotsFromDeltas). Besides, it reads the numbers of the events on
 * the wire, to check the order without the client's own check.
 */
class LoadClient {
  socket: WebSocket | undefined
  snapshot: ProcessSnapshot | undefined
  readonly taken = { deltas: 0, metrics: 0 }
  /** Times the client was told it missed events and started a subscription over. */
  resyncs = 0
  /** Last event number seen on the wire, by subscription id. */
  readonly wireSeq = new Map<number, number>()
  /** Events on the wire whose number was not the one after the last. */
  wireGaps = 0
  readonly errors: string[] = []
  readonly refused: string[] = []
  private readonly transport: ReturnType<typeof webSocketTransport>
  private readonly ended = (error?: { message: string }) => error && this.errors.push(error.message)
  private readonly resynced = () => this.resyncs++

  constructor(host: LoadHostReady) {
    const origin = new URL(host.url).origin
    this.transport = webSocketTransport({
      connect: () => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token), { headers: { origin } })
        this.socket = ws
        ws.on('message', (data) => this.onWire(data.toString()))
        return ws as unknown as SocketLike
      },
      reconnectMinMs: 0,
    })
    const applied = (snapshot: ProcessSnapshot) => {
      this.taken.deltas++
      this.snapshot = snapshot
    }
    const onDelta = snapshotsFromDeltas(applied, (err) => this.errors.push(err.message)) as (payload: unknown) => void
    this.transport.subscribe('subscribeToProcessDeltas', undefined, onDelta, this.ended, this.resynced)
    this.transport.subscribe('subscribeToMetrics', undefined, () => this.taken.metrics++, this.ended, this.resynced)
  }

  /**
   * More subscriptions to `topic`, whose events are only counted on the
   * wire. Those asked for while the host already holds this client's
   * events back are refused (QUEUE_FULL): `refused` has their codes.
   */
  alsoWatch(topic: string, count: number): void {
    const refused = (error?: { code: string }) => error && this.refused.push(error.code)
    for (let i = 0; i < count; i++) this.transport.subscribe(topic, undefined, () => {}, refused, this.resynced)
  }

  /** Every event the server numbered for this client, taken or not. */
  get numbered(): number {
    let n = 0
    for (const seq of this.wireSeq.values()) n += seq
    return n
  }

  get synced(): boolean {
    return this.snapshot !== undefined && this.taken.metrics > 0
  }

  close(): void {
    this.transport.close()
  }

  private onWire(text: string): void {
    const msg = JSON.parse(text) as ServerMessage
    if (msg.t !== 'event') return
    if (msg.seq !== (this.wireSeq.get(msg.id) ?? 0) + 1) this.wireGaps++
    this.wireSeq.set(msg.id, msg.seq)
  }
}

const byPid = (s: ProcessSnapshot) => [...s.processes].sort((a, b) => a.pid - b.pid)

describe(`the headless host with ${CLIENTS} browser clients on deltas and metrics at 1 Hz, ${PROCESSES} extra processes, ${SECONDS} s`, () => {
  it('gives every client every update in order; prints its CPU and event-loop delay', async () => {
    const host = await startLoadHost()
    const clients: LoadClient[] = []
    try {
      for (let i = 0; i < CLIENTS; i++) clients.push(new LoadClient(host.ready))
      await waitFor(() => clients.every((c) => c.synced), 60_000, 'every client’s first snapshot and sample')
      const before = clients.map((c) => ({ ...c.taken }))
      host.measure()
      const ticks0 = host.cpuTicks()
      const t0 = performance.now()
      await new Promise((r) => setTimeout(r, SECONDS * 1000))
      const ticks1 = host.cpuTicks()
      const elapsed = (performance.now() - t0) / 1000
      const delay = await host.report()
      const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))
      const cpuPercent = ((ticks1 - ticks0) / hz / elapsed) * 100
      const inWindow = clients.map((c, i) => c.taken.deltas - before[i]!.deltas)
      const received = clients.map((c) => c.taken.deltas + c.taken.metrics)
      const expected = clients.map((c) => c.numbered)
      figure('headless host under load', {
        clients: CLIENTS,
        processes: clients[0]!.snapshot!.processes.length,
        seconds: elapsed.toFixed(1),
        engine_cpu_percent_of_a_core: cpuPercent.toFixed(1),
        loop_delay_p50_ms: delay.rawP50Ms.toFixed(1),
        loop_delay_p99_ms: delay.rawP99Ms.toFixed(1),
        own_loop_delay_p50_ms: delay.ownP50Ms.toFixed(1),
        own_loop_delay_p99_ms: delay.ownP99Ms.toFixed(1),
        updates_per_client_expected: `${Math.min(...expected)}..${Math.max(...expected)}`,
        updates_per_client_received: `${Math.min(...received)}..${Math.max(...received)}`,
        delta_updates_in_window: `${Math.min(...inWindow)}..${Math.max(...inWindow)}`,
        clients_told_they_fell_behind: clients.filter((c) => c.resyncs > 0).length,
      })
      for (const c of clients) {
        expect(c.errors).toEqual([])
        expect(c.wireGaps).toBe(0)
        expect(c.resyncs).toBe(0)
        expect(c.taken.deltas + c.taken.metrics).toBe(c.numbered)
        expect(c.snapshot!.processes.length).toBeGreaterThanOrEqual(PROCESSES)
      }
      // 1 Hz held, allowing for a loaded machine: at least one update every two seconds.
      expect(Math.min(...inWindow)).toBeGreaterThanOrEqual(Math.floor(SECONDS / 2))
    } finally {
      for (const c of clients) c.close()
      await host.stop()
    }
  }, 600_000)

  it('a client that stops reading is told it fell behind and starts over; the others still get every update', async () => {
    // Events held back past 2 MiB unread (dropped past 4 MiB: more than one whole snapshot above it).
    const host = await startLoadHost(2 * 1024 * 1024)
    const fast: LoadClient[] = []
    let stopDoomed = () => {}
    try {
      for (let i = 0; i < scaled(3, 8); i++) fast.push(new LoadClient(host.ready))
      const slow = new LoadClient(host.ready)
      const doomed = await startSleepers(20, 'load-doomed')
      stopDoomed = doomed.stop
      const all = [...fast, slow]
      await waitFor(() => all.every((c) => c.synced && c.snapshot!.processes.some((p) => p.command.startsWith(doomed.marker))), 60_000, 'every client to see the doomed processes')
      // It stops reading, and opens views of whole snapshots (24 of them): past the kernel's few MB of buffers and
      // the host's limit within seconds, where deltas alone would take hours.
      slow.socket!.pause()
      slow.alsoWatch('subscribeToProcessUpdates', 24)
      const mark = fast[0]!.taken.deltas
      await waitFor(() => fast[0]!.taken.deltas >= mark + scaled(8, 10), 60_000, 'updates while the slow client does not read')
      // While it does not read: processes go and come, changes it must not miss unknowingly.
      doomed.stop()
      const born = await startSleepers(20, 'load-born')
      const stopBorn = born.stop
      try {
        const seen = (c: LoadClient) => {
          const ps = c.snapshot!.processes
          // Killed: gone, or a zombie until its parent (here pid 1) reaps it.
          return ps.some((p) => p.command.startsWith(born.marker)) && !ps.some((p) => p.command.startsWith(doomed.marker) && p.state !== 'zombie')
        }
        await waitFor(() => fast.every(seen), 30_000, 'the fast clients to see the processes go and come')
        slow.socket!.resume()
        // It catches up to the others' latest update, and then holds what they hold: not a process it missed going.
        await waitFor(() => slow.snapshot!.timestamp === fast[0]!.snapshot!.timestamp, 60_000, 'the slow client to catch up')
        expect(seen(slow)).toBe(true)
        expect(byPid(slow.snapshot!)).toEqual(byPid(fast[0]!.snapshot!))
        // It was told: events were missed on the wire, and it started over.
        expect(slow.wireGaps).toBeGreaterThan(0)
        expect(slow.resyncs).toBeGreaterThan(0)
        expect(slow.errors).toEqual([])
        expect(slow.refused.filter((code) => code !== 'QUEUE_FULL')).toEqual([])
        for (const c of fast) {
          expect(c.errors).toEqual([])
          expect(c.wireGaps).toBe(0)
          expect(c.resyncs).toBe(0)
          expect(c.taken.deltas + c.taken.metrics).toBe(c.numbered)
        }
        figure('a slow client among fast ones', {
          fast_clients: fast.length,
          fast_clients_told_they_fell_behind: fast.filter((c) => c.resyncs > 0).length,
          slow_client_told: slow.resyncs > 0,
          slow_client_resyncs: slow.resyncs,
          slow_client_views_refused_while_behind: slow.refused.length,
          slow_client_events_missed_on_the_wire: slow.wireGaps,
        })
      } finally {
        stopBorn()
      }
      slow.close()
    } finally {
      stopDoomed()
      for (const c of fast) c.close()
      await host.stop()
    }
  }, 600_000)
})
