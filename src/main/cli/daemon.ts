import { parseArgs } from 'node:util'
import { DataDirUnwritableError, OwnedElsewhereError, takeOwnership } from '../core/owner/ownership'
import { RuntimeDirError } from '../core/owner/runtimeDir'
import { COMMON, parse, UsageError, version } from './args'
import { daemonService, installDaemonService, uninstallDaemonService, type ServiceKind } from '../ecosystem/daemonService'
import { dataDirOf } from './owner'

/**
 * `proctor daemon`: the headless owner. Takes the lock in the data folder
 * and supervises its programs until SIGINT or SIGTERM, serving the contract
 * on the control socket; if another owner runs, says which and exits 1.
 */
export async function daemon(args: string[]): Promise<number> {
  const options = { ...COMMON, install: { type: 'boolean' }, uninstall: { type: 'boolean' }, systemd: { type: 'boolean' }, launchd: { type: 'boolean' } } as const
  const { values } = parse(() => parseArgs({ args, strict: true, options }))
  if (values.install || values.uninstall) return service(values)
  if (values.systemd || values.launchd) throw new UsageError('daemon: --systemd and --launchd go with --install or --uninstall')
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
    if (err instanceof OwnedElsewhereError || err instanceof RuntimeDirError || err instanceof DataDirUnwritableError) {
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

/**
 * `daemon --install | --uninstall`: the unit or agent that starts the
 * daemon at login. It is written, never enabled here: the command that
 * enables it is printed for the user to run.
 */
function service(values: { install?: boolean; uninstall?: boolean; systemd?: boolean; launchd?: boolean; 'data-dir'?: string }): number {
  if (values.install && values.uninstall) throw new UsageError('daemon: --install or --uninstall, not both')
  if (values.systemd && values.launchd) throw new UsageError('daemon: --systemd or --launchd, not both')
  const kind: ServiceKind = values.systemd ? 'systemd' : values.launchd ? 'launchd' : process.platform === 'darwin' ? 'launchd' : 'systemd'
  if (values.uninstall) {
    const { removed, stop } = uninstallDaemonService(kind)
    if (removed.length === 0) {
      process.stdout.write(`no ${kind === 'systemd' ? 'systemd unit' : 'launchd agent'} for proctor daemon was installed\n`)
      return 0
    }
    process.stdout.write(`removed ${removed.join(' and ')}\nto stop a daemon it started, run: ${stop}\n`)
    return 0
  }
  // How this very command was started: node (with tsx's loader in development) and the script.
  const argv = [process.execPath, ...process.execArgv, process.argv[1] ?? '']
  const svc = daemonService(kind, argv, { ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}), ...(process.env.PATH ? { path: process.env.PATH } : {}) })
  installDaemonService(svc)
  process.stdout.write(`wrote ${svc.path}\nto start the daemon now and at every login, run: ${svc.enable}\n`)
  return 0
}
