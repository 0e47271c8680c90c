import { serve } from '../../src/main/cli/serve'
import type { SupervisorSlice } from '../../src/main/core/supervisor/slice'
import { SupervisorService } from '../../src/main/core/supervisor/supervisorService'
import { FakeSupervisor } from './fakeSupervisor'

/**
 * `proctor serve` with a supervisor, for the e2e tests:
 * PROCTOR_E2E_SUPERVISOR=real (the SupervisorService, on real programs;
 * when the host stops, its programs are stopped before it exits) or fake
 * (screenshots: programs in every state).
 */
const kind = process.env.PROCTOR_E2E_SUPERVISOR ?? 'fake'

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  if (kind === 'fake') return serve(args, { supervisor: () => new FakeSupervisor() })
  if (kind !== 'real') throw new Error(`PROCTOR_E2E_SUPERVISOR must be real or fake, got ${kind}`)
  let stopping: Promise<void> | undefined
  const code = await serve(args, {
    supervisor: (context) => {
      const service = new SupervisorService(context, { owner: { kind: 'daemon', pid: process.pid, since: Date.now(), socket: '' } })
      void service.begin()
      // The engine's close stops the programs (the service's own close would leave them running).
      const slice: SupervisorSlice = {
        handlers: service.handlers,
        streams: service.streams,
        close: () => {
          stopping = service.shutdown()
        },
      }
      return slice
    },
  })
  await stopping
  return code
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supervisedServe: ${err instanceof Error ? err.stack : String(err)}\n`)
    process.exit(1)
  },
)
