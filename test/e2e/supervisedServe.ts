import { serve } from '../../src/main/cli/serve'
import { FakeSupervisor } from './fakeSupervisor'

/**
 * `proctor serve` with a supervisor, for the e2e tests:
 * PROCTOR_E2E_SUPERVISOR=fake (screenshots: programs in every state) or
 * real (the SupervisorService, on real programs).
 */
const kind = process.env.PROCTOR_E2E_SUPERVISOR ?? 'fake'

async function main(): Promise<number> {
  if (kind === 'fake') return serve(process.argv.slice(2), { supervisor: () => new FakeSupervisor() })
  throw new Error(`PROCTOR_E2E_SUPERVISOR=${kind}: not available yet`)
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supervisedServe: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exit(1)
  },
)
