import { parseArgs } from 'node:util'
import { OwnedElsewhereError, takeOwnership } from '../core/owner/ownership'
import { RuntimeDirError } from '../core/owner/runtimeDir'
import { COMMON, parse, version } from './args'
import { dataDirOf } from './owner'

/**
 * `proctor daemon`: the headless owner. Takes the lock in the data folder
 * and supervises its programs until SIGINT or SIGTERM, serving the contract
 * on the control socket; if another owner runs, says which and exits 1.
 */
export async function daemon(args: string[]): Promise<number> {
  const { values } = parse(() => parseArgs({ args, strict: true, options: { ...COMMON } }))
  const dataDir = dataDirOf(values['data-dir'])
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`)
  // Listened for from the start: a signal while programs start (autostart, left behind) still ends in a clean shutdown.
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  let ownership
  try {
    ownership = await takeOwnership({ dataDir, kind: 'daemon', ifOwned: 'refuse', engineOptions: {
        version: version(),
        log,
        // Headless and mostly unwatched: system metrics are sampled while a client subscribes, not kept as history.
        backgroundMetrics: false,
      },
    })
  } catch (err) {
    if (err instanceof OwnedElsewhereError || err instanceof RuntimeDirError) {
      process.stderr.write(`proctor: ${err.message}\n`)
      return 1
    }
    throw err
  }
  if (ownership.role !== 'owner') throw new Error('takeOwnership answered a client with ifOwned: refuse')
  process.stdout.write(`proctor daemon: pid ${process.pid} supervises the programs of ${dataDir}; listening on ${ownership.server.socket}\n`)
  const signal = await stopped
  log(`${signal}: stopping the programs and exiting`)
  await ownership.close()
  return 0
}
