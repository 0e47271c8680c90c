import { resolve } from 'node:path'
import { Engine } from '../../src/main/core/engine'
import { startHost } from '../../src/main/host/host'
import { ROOT } from '../../src/main/cli/args'
import { FakeSupervisor } from './fakeSupervisor'

/**
 * A headless host like `proctor serve` but with a supervisor chosen by the
 * e2e tests (`proctor serve` itself owns the real one):
 * PROCTOR_E2E_SUPERVISOR=none answers every supervisor call UNAVAILABLE
 * (no owner for this user); fake shows programs in every state
 * (screenshots). Prints the page's address first, as serve does.
 */
const kind = process.env.PROCTOR_E2E_SUPERVISOR ?? 'none'

async function main(): Promise<number> {
  if (kind !== 'none' && kind !== 'fake') throw new Error(`PROCTOR_E2E_SUPERVISOR must be none or fake, got ${kind}`)
  const portAt = process.argv.indexOf('--port')
  const port = portAt >= 0 ? Number(process.argv[portAt + 1]) : 0
  const dataDir = process.env.PROCTOR_DATA_DIR
  if (!dataDir) throw new Error('PROCTOR_DATA_DIR must name the test’s data folder')
  const engine = new Engine({ dataDir, version: 'e2e', log: (m) => process.stderr.write(`proctor: ${m}\n`), ...(kind === 'fake' ? { supervisor: () => new FakeSupervisor() } : {}) })
  const running = await startHost({ router: engine.router, staticDir: resolve(ROOT, 'out/renderer'), port, ...(process.env.PROCTOR_TOKEN ? { token: process.env.PROCTOR_TOKEN } : {}) })
  process.stdout.write(`${running.url}\n`)
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done())
    process.once('SIGTERM', () => done())
  })
  await running.close()
  engine.close()
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supervisedServe: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exit(1)
  },
)
