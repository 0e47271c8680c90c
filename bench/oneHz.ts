/**
 * Child process of the bench: the app's own refresh, alone in a process.
 *
 * Creates an Engine, subscribes to process updates at the default interval
 * and answers each `mark` line on stdin with its cumulative CPU time
 * (process.cpuUsage(): the whole process, every thread included), its
 * resident memory and its V8 heap in use, so the bench can measure any
 * window it likes. It takes the snapshots through the contract's router,
 * as the app does. After a `consume` line it also serializes each snapshot
 * as the WebSocket host does and watches this thread's event-loop delay
 * (p99, max): the consumer's responsiveness. That phase is separate
 * because the instruments cost CPU of their own. Exits when stdin closes,
 * which is also what happens when the bench dies.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Engine } from '../src/main/core/engine'

const ownDir = process.env.PROCTOR_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'proctor-onehz-'))
const dataDir = process.env.PROCTOR_DATA_DIR ?? ownDir!
const send = (message: object): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

let snapshots = 0
let failures = 0
const log = (m: string): void => {
  process.stderr.write(`[oneHz] ${m}\n`)
  // Sampling that keeps failing before the first snapshot will not recover: say so instead of timing out.
  if (snapshots === 0 && m.includes('failed') && ++failures >= 3) {
    send({ type: 'failed', message: m })
    process.exit(1)
  }
}
const engine = new Engine({ dataDir, version: 'bench', log })
let processes = 0
let bytes = 0
/** Time spent serializing snapshots, which the WebSocket host does for every client. */
let serializeMs = 0
const subscription = engine.router.subscribe(
  'subscribeToProcessUpdates',
  undefined,
  (payload) => {
    const snapshot = payload as { processes: unknown[] }
    snapshots++
    processes = snapshot.processes.length
    if (consuming) {
      const t0 = performance.now()
      bytes = JSON.stringify({ t: 'event', id: 1, payload }).length
      serializeMs += performance.now() - t0
    }
    if (snapshots === 1) send({ type: 'ready', processes, refreshIntervalMs: engine.settings.get().refreshInterval })
  },
  (err) => log(`stream ended: ${err?.message ?? 'finished'}`),
)
const unsubscribe = subscription.ok ? subscription.value : () => {}
// A 10 ms sampling timer: fine enough for a 5 ms p99, cheap enough not to be the cost it measures.
const LOOP_RESOLUTION_MS = 10
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })
let consuming = false

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() === 'consume') {
      consuming = true
      loopDelay.enable()
      return
    }
    if (line.trim() !== 'mark') return
    const u = process.cpuUsage()
    const mem = process.memoryUsage()
    // Event-loop delay since the previous mark, in ms. The histogram counts ns
    // between sampling-timer runs, which includes the timer's own 10 ms.
    const loopP99Ms = Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS)
    const loopMaxMs = Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS)
    loopDelay.reset()
    send({
      type: 'mark',
      cpuMs: (u.user + u.system) / 1000,
      wallMs: performance.now(),
      rssMb: mem.rss / 2 ** 20,
      heapMb: mem.heapUsed / 2 ** 20,
      snapshots,
      processes,
      bytes,
      serializeMs,
      loopP99Ms,
      loopMaxMs,
    })
  })
  .on('close', () => {
    unsubscribe()
    engine.close()
    if (ownDir) rmSync(ownDir, { recursive: true, force: true })
    process.exit(0)
  })
