/**
 * Child process of the supervise case (bench/supervise.ts): an owner engine
 * with a SupervisorService, alone in a process, as `proctor daemon` runs one.
 * It serves the contract's calls as JSON lines on stdin and stdout
 * (`{ id, name, arg }` in, `{ id, envelope }` out) and, when stdin closes
 * (the bench ended, or died), stops its programs and exits.
 */
import { createInterface } from 'node:readline'
import { Engine } from '../src/main/core/engine'
import { SupervisorService } from '../src/main/core/supervisor/supervisorService'

const dataDir = process.env.PROCTOR_DATA_DIR
if (!dataDir) throw new Error('superviseOwner: PROCTOR_DATA_DIR is not set')
const log = (m: string): void => void process.stderr.write(`[owner] ${m}\n`)

let service: SupervisorService | undefined
const engine = new Engine({
  dataDir,
  version: 'bench',
  log,
  supervisor: (context) => (service = new SupervisorService(context, { owner: { kind: 'daemon', pid: process.pid, since: Date.now(), socket: '' } })),
})
const supervisor = service as unknown as SupervisorService

void supervisor.begin().then(() => process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`))

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const { id, name, arg } = JSON.parse(line) as { id: number; name: string; arg: unknown }
    void engine.router.call(name, arg).then((envelope) => process.stdout.write(`${JSON.stringify({ id, envelope })}\n`))
  })
  .on('close', () => {
    void supervisor
      .shutdown()
      .catch((err: unknown) => log(`shutdown: ${(err as Error).message}`))
      .finally(() => {
        engine.close()
        process.exit(0)
      })
  })
