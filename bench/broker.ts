/**
 * The broker case (`npm run bench -- --cases broker`): the IPC broker
 * against a raw Unix socket between the same two processes, in the same
 * run (the physical limit of this machine):
 *
 * - throughput: 1 KiB messages one way, A to B, through the broker and
 *   over A's raw socket to B (same frames, same JSON, same write batching
 *   and backpressure on both paths), messages a second from A's first
 *   write to B's last read;
 * - round trip: A requests, B answers, one at a time: p50 and p95, broker
 *   against raw; and, for reference, raw frames through a minimal relay
 *   in this process (a 'data' handler writing each chunk to the other
 *   socket, nothing parsed): the floor of a 4-hop round trip through a
 *   third Node process on this machine, which no broker can beat;
 * - 100 concurrent clients (in a third process) each doing requests to B
 *   through the broker: p50 and p95.
 *
 * The broker runs in this process, as the owner would run it; A, B and C
 * are bench/brokerPeer.ts bundled to plain JavaScript. Raw and broker
 * rounds alternate; medians over rounds are reported.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer, type Server, type Socket } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { BrokerService } from '../src/main/core/broker/brokerService'
import { Cadence } from '../src/main/core/cadence'
import { AuditLog } from '../src/main/core/control/auditLog'
import { SettingInspector } from '../src/main/core/processes/inspector'
import { SettingsStore } from '../src/main/core/settings/settingsStore'
import { bundleBenchScript } from './bundle'
import { loadAverage, median, round2 } from './measure'
import { percentile } from './superviseProcs'

export interface BrokerBenchOptions {
  rounds: number
  messages: number
  roundTrips: number
  clients: number
  requestsPerClient: number
}

export function brokerOptions(quick: boolean): BrokerBenchOptions {
  return quick
    ? { rounds: 3, messages: 20_000, roundTrips: 500, clients: 100, requestsPerClient: 20 }
    : { rounds: 5, messages: 100_000, roundTrips: 2000, clients: 100, requestsPerClient: 50 }
}

export interface BrokerBenchEnv {
  makeTempDir: () => string
  log: (m: string) => void
  /** Children to KILL if the bench is stopped. */
  children: Set<ChildProcessWithoutNullStreams>
}

const DATA_CHARS = 1000

class Peer {
  private next = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as { id: number; ok: boolean; value?: unknown; error?: string }
      const w = this.waiting.get(m.id)
      this.waiting.delete(m.id)
      if (m.ok) w?.resolve(m.value)
      else w?.reject(new Error(m.error))
    })
  }

  static start(script: string, env: BrokerBenchEnv, name: string): Peer {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] })
    env.children.add(child)
    child.stderr.on('data', (d: Buffer) => env.log(`${name}: ${d.toString().trim()}`))
    child.once('exit', () => env.children.delete(child))
    return new Peer(child)
  }

  call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`)
    })
  }

  stop(): void {
    this.child.stdin.end()
    setTimeout(() => this.child.kill('SIGKILL'), 2000).unref()
  }
}

/**
 * The reference relay: the first two connections are joined, each chunk
 * one reads written to the other as it is. No framing, no routing, no
 * checks: what a hop through a Node process costs at the least.
 */
class Relay {
  private readonly sockets: Socket[] = []
  private waiter: (() => void) | undefined

  private constructor(private readonly server: Server) {}

  static async listen(path: string): Promise<Relay> {
    const made: { relay?: Relay } = {}
    const server = createServer((s) => made.relay!.accept(s))
    made.relay = new Relay(server)
    await new Promise<void>((r) => server.listen(path, r))
    return made.relay
  }

  /** Resolves once `n` peers are connected (so the first to connect is known). */
  async connected(n: number): Promise<void> {
    while (this.sockets.length < n) await new Promise<void>((r) => (this.waiter = r))
  }

  close(): void {
    for (const s of this.sockets) s.destroy()
    this.server.close()
  }

  private accept(s: Socket): void {
    const i = this.sockets.length
    this.sockets.push(s)
    s.on('error', () => {})
    s.on('data', (chunk: Buffer) => this.sockets[1 - i]?.write(chunk))
    this.waiter?.()
  }
}

export async function runBrokerCase(o: BrokerBenchOptions, env: BrokerBenchEnv): Promise<Record<string, unknown>> {
  const { log } = env
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const script = bundleBenchScript(repoRoot, 'brokerPeer')
  const dataDir = env.makeTempDir()
  const runDir = env.makeTempDir()
  const store = new SettingsStore(dataDir)
  store.update({ enableIPC: true, ipcConfig: { maxConnections: o.clients + 10, messageTimeout: 30_000 } })
  const service = new BrokerService(
    { dataDir, settings: store, cadence: new Cadence(store), audit: new AuditLog(dataDir), inspector: new SettingInspector(store), log },
    { runtimeDir: join(runDir, 'rt') },
  )
  await service.begin()
  const socket = service.overview().socket
  if (!socket) throw new Error(`the broker does not listen: ${service.overview().problem}`)

  const a = Peer.start(script, env, 'A')
  const b = Peer.start(script, env, 'B')
  const c = Peer.start(script, env, 'C')
  let relay: Relay | undefined
  try {
    const rawPath = join(runDir, 'raw.sock')
    for (const [peer, name] of [[a, 'bench-a'], [b, 'bench-b']] as const) {
      await peer.call('connect', { socket, token: service.programEnv(name)!.PROCTOR_IPC_TOKEN })
    }
    await b.call('listenRaw', { path: rawPath })
    await a.call('connectRaw', { path: rawPath })
    const relayPath = join(runDir, 'relay.sock')
    relay = await Relay.listen(relayPath)
    await b.call('connectRelay', { path: relayPath })
    await relay.connected(1)
    await a.call('connectRelay', { path: relayPath })

    // The broker's own CPU (this process: it does nothing else meanwhile) per message routed.
    const cpu = { messages: [] as number[], roundTrips: [] as number[], roundTripsSys: [] as number[], relayRoundTrips: [] as number[] }
    const cpuUs = () => {
      const u = process.cpuUsage()
      return u.user + u.system
    }
    const throughput = async (mode: 'broker' | 'raw', n: number): Promise<number> => {
      const c0 = cpuUs()
      const done = b.call<{ at: number }>('expect', { n })
      const { t0 } = await a.call<{ t0: number }>('blast', { mode, to: 'bench-b', n, size: DATA_CHARS })
      const { at } = await done
      if (mode === 'broker') cpu.messages.push((cpuUs() - c0) / n)
      return n / ((at - t0) / 1000)
    }
    const roundTrips = async (mode: 'broker' | 'raw' | 'relay', n: number) => {
      const u0 = process.cpuUsage()
      const { samples } = await a.call<{ samples: number[] }>('rtt', { mode, to: 'bench-b', n })
      const u = process.cpuUsage(u0)
      if (mode === 'broker') {
        cpu.roundTrips.push((u.user + u.system) / n)
        cpu.roundTripsSys.push(u.system / n)
      } else if (mode === 'relay') cpu.relayRoundTrips.push((u.user + u.system) / n)
      return samples
    }

    // Warm-up (not counted): the JIT of all three processes on both paths.
    for (const mode of ['raw', 'broker'] as const) {
      await throughput(mode, Math.min(10_000, o.messages))
      await roundTrips(mode, 200)
    }
    await roundTrips('relay', 200)

    const tput = { broker: [] as number[], raw: [] as number[] }
    const rtt = {
      broker: { p50: [] as number[], p95: [] as number[] },
      raw: { p50: [] as number[], p95: [] as number[] },
      relay: { p50: [] as number[], p95: [] as number[] },
    }
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? (['raw', 'broker'] as const) : (['broker', 'raw'] as const)
      for (const mode of order) tput[mode].push(await throughput(mode, o.messages))
      for (const mode of r % 2 === 0 ? (['raw', 'relay', 'broker'] as const) : (['broker', 'relay', 'raw'] as const)) {
        const s = await roundTrips(mode, o.roundTrips)
        rtt[mode].p50.push(percentile(s, 50))
        rtt[mode].p95.push(percentile(s, 95))
      }
      log(
        `broker round ${r + 1}/${o.rounds}: ${Math.round(tput.broker.at(-1)!)} msg/s via broker vs ${Math.round(tput.raw.at(-1)!)} raw; ` +
          `round trip p50 ${round2(rtt.broker.p50.at(-1)!)} ms vs ${round2(rtt.raw.p50.at(-1)!)} ms raw, ${round2(rtt.relay.p50.at(-1)!)} ms through the minimal relay`,
      )
    }

    const tokens = Array.from({ length: o.clients }, (_, i) => service.programEnv(`bench-c${i}`)!.PROCTOR_IPC_TOKEN)
    const many = (await c.call<{ samples: number[] }>('many', { socket, tokens, to: 'bench-b', n: o.requestsPerClient })).samples
    const overview = service.overview()

    const brokerTput = median(tput.broker)
    const rawTput = median(tput.raw)
    const line = {
      case: 'broker',
      message_bytes: JSON.stringify({ seq: 99999, data: 'x'.repeat(DATA_CHARS) }).length,
      messages_per_round: o.messages,
      rounds: o.rounds,
      throughput_msgs_s: Math.round(brokerTput),
      raw_throughput_msgs_s: Math.round(rawTput),
      throughput_vs_raw: round2(brokerTput / rawTput),
      throughput_mib_s: round2((brokerTput * 1024) / (1024 * 1024)),
      rtt_p50_ms: round2(median(rtt.broker.p50)),
      rtt_p95_ms: round2(median(rtt.broker.p95)),
      raw_rtt_p50_ms: round2(median(rtt.raw.p50)),
      raw_rtt_p95_ms: round2(median(rtt.raw.p95)),
      rtt_p50_vs_raw: round2(median(rtt.broker.p50) / median(rtt.raw.p50)),
      // The floor for reference: raw frames through a relay that only passes bytes on (see Relay).
      relay_rtt_p50_ms: round2(median(rtt.relay.p50)),
      relay_rtt_p95_ms: round2(median(rtt.relay.p95)),
      relay_rtt_p50_vs_raw: round2(median(rtt.relay.p50) / median(rtt.raw.p50)),
      rtt_p50_vs_relay: round2(median(rtt.broker.p50) / median(rtt.relay.p50)),
      broker_cpu_us_per_message: round2(median(cpu.messages)),
      broker_cpu_us_per_round_trip: round2(median(cpu.roundTrips)),
      // The kernel's part (reads, writes, waking the peer): what a hop costs beyond the broker's own code.
      broker_sys_us_per_round_trip: round2(median(cpu.roundTripsSys)),
      // The minimal relay's CPU per round trip (this process too): the cost of two hops with no work at all.
      relay_cpu_us_per_round_trip: round2(median(cpu.relayRoundTrips)),
      concurrent_clients: o.clients,
      concurrent_requests: many.length,
      concurrent_p50_ms: round2(percentile(many, 50)),
      concurrent_p95_ms: round2(percentile(many, 95)),
      broker_rejected: overview.totals.rejected,
      load_1m: loadAverage(),
    }
    return line
  } finally {
    for (const p of [a, b, c]) p.stop()
    relay?.close()
    service.close()
  }
}

export const BROKER_TARGETS = { minThroughputVsRaw: 0.5, maxRttP50VsRaw: 2 }

export function judgeBroker(line: Record<string, unknown>, log: (m: string) => void): void {
  const num = (k: string) => (typeof line[k] === 'number' ? (line[k] as number) : NaN)
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  log(
    `broker: ${verdict(num('throughput_vs_raw') >= BROKER_TARGETS.minThroughputVsRaw)} throughput ${num('throughput_msgs_s')} msg/s = ` +
      `${num('throughput_vs_raw')} x raw (${num('raw_throughput_msgs_s')} msg/s) >= ${BROKER_TARGETS.minThroughputVsRaw}`,
  )
  log(
    `broker: ${verdict(num('rtt_p50_vs_raw') <= BROKER_TARGETS.maxRttP50VsRaw)} round trip p50 ${num('rtt_p50_ms')} ms = ` +
      `${num('rtt_p50_vs_raw')} x raw (${num('raw_rtt_p50_ms')} ms) <= ${BROKER_TARGETS.maxRttP50VsRaw}x`,
  )
  log(
    `broker: (reference) a minimal relay in this process, bytes passed on and nothing parsed: round trip p50 ${num('relay_rtt_p50_ms')} ms = ` +
      `${num('relay_rtt_p50_vs_raw')} x raw; the broker is ${num('rtt_p50_vs_relay')} x that floor`,
  )
  log(`broker: ${num('concurrent_clients')} concurrent clients, round trip p50 ${num('concurrent_p50_ms')} ms, p95 ${num('concurrent_p95_ms')} ms`)
}
