/**
 * Child process of the bench: the app's own refresh, alone in a process.
 *
 * Creates an Engine, subscribes to process updates at the default interval
 * and answers each `mark` line on stdin with its cumulative CPU time
 * (process.cpuUsage(): the whole process, worker threads included), so the
 * bench can measure any window it likes. Exits when stdin closes, which is
 * also what happens when the bench dies.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
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
const unsubscribe = engine.processes.subscribe((snapshot) => {
  snapshots++
  processes = snapshot.processes.length
  if (snapshots === 1) send({ type: 'ready', processes, refreshIntervalMs: engine.settings.get().refreshInterval })
})

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== 'mark') return
    const u = process.cpuUsage()
    send({ type: 'mark', cpuMs: (u.user + u.system) / 1000, wallMs: performance.now(), snapshots, processes })
  })
  .on('close', () => {
    unsubscribe()
    engine.close()
    if (ownDir) rmSync(ownDir, { recursive: true, force: true })
    process.exit(0)
  })
