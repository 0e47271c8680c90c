import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ProctorError } from '../../shared/errors'
import { connectToOwner, readOwnerRecord, type OwnerConnection } from '../core/owner/controlClient'
import { liveHolder } from '../core/owner/ownerLock'
import { ensureRuntimeDir, runtimeDirFor } from '../core/owner/runtimeDir'
import { NO_OWNER_MESSAGE } from '../core/supervisor/slice'
import { defaultDataDir } from '../core/store/dataDir'
import { cliCaller } from './args'

/** The CLI's way to the owner: connect over the control socket, starting `proctor daemon` first when asked. */

export const DAEMON_LOG = 'daemon.log'
/** How long --start-daemon waits for the daemon to listen. */
const START_TIMEOUT_MS = 20_000

export function dataDirOf(value: unknown): string {
  return typeof value === 'string' ? value : defaultDataDir()
}

/**
 * A connection to the owner of `dataDir`'s programs. With `startDaemon`,
 * an absent owner is started first, detached (as PM2's CLI starts its
 * daemon), its output going to daemon.log in the data folder.
 */
export async function ownerFor(dataDir: string, options: { startDaemon?: boolean; command: string }): Promise<OwnerConnection> {
  const runtimeDir = runtimeDirFor(dataDir)
  const client = `proctor ${options.command} (${cliCaller().detail ?? ''})`
  try {
    return await connectToOwner(runtimeDir, { client })
  } catch (err) {
    if (!(err instanceof ProctorError) || err.code !== 'UNAVAILABLE' || readOwnerRecord(runtimeDir)) throw err
    // An owner holds the lock and has not written where it listens yet: it is starting.
    const holder = liveHolder(dataDir)
    if (holder) {
      process.stderr.write(`proctor: the owner (${holder.kind}, pid ${holder.pid}) is starting; waiting for it to listen\n`)
      await listening(dataDir, runtimeDir)
      return connectToOwner(runtimeDir, { client })
    }
    if (!options.startDaemon) throw err
  }
  await startDaemon(dataDir, runtimeDir)
  return connectToOwner(runtimeDir, { client })
}

/** Starts `proctor daemon` for `dataDir` in the background and waits until it listens. */
export async function startDaemon(dataDir: string, runtimeDir = runtimeDirFor(dataDir)): Promise<void> {
  ensureRuntimeDir(runtimeDir)
  const logPath = join(dataDir, DAEMON_LOG)
  const log = openSync(logPath, 'a', 0o600)
  let exited: { code: number | null; signal: string | null } | undefined
  try {
    // The same node and loader (tsx in development) as this command.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', 'daemon', '--data-dir', dataDir], {
      detached: true,
      stdio: ['ignore', log, log],
      env: process.env,
    })
    child.once('exit', (code, signal) => {
      exited = { code, signal }
    })
    child.unref()
  } finally {
    closeSync(log)
  }
  process.stderr.write(`proctor: started \`proctor daemon\` for ${dataDir} (its output: ${logPath})\n`)
  await listening(dataDir, runtimeDir, () =>
    exited ? `\`proctor daemon\` exited (${exited.signal ?? `code ${exited.code}`}) before it listened: ${tail(logPath)}` : undefined,
  )
}

/**
 * Waits until an owner of `dataDir` says where it listens. Gives up when
 * no live process holds the lock and, for a daemon started here, once
 * `failed` says why (it exited): a daemon started at the same moment by
 * someone else may have won, and is waited for instead.
 */
async function listening(dataDir: string, runtimeDir: string, failed?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (readOwnerRecord(runtimeDir)) return
    const why = failed?.()
    if (!liveHolder(dataDir) && (failed === undefined || why !== undefined)) {
      await new Promise((r) => setTimeout(r, 300))
      if (readOwnerRecord(runtimeDir)) return
      throw new ProctorError('UNAVAILABLE', why ?? NO_OWNER_MESSAGE)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const holder = liveHolder(dataDir)
  throw new ProctorError(
    'UNAVAILABLE',
    holder
      ? `pid ${holder.pid} (${holder.kind}) owns the programs of ${dataDir} but has not said it listens in ${runtimeDir} within ${START_TIMEOUT_MS / 1000} s: ` +
          'is it still starting, or was it started with another PROCTOR_RUNTIME_DIR?'
      : `no Proctor owner listened within ${START_TIMEOUT_MS / 1000} s (see ${join(dataDir, DAEMON_LOG)}). ${NO_OWNER_MESSAGE}`,
  )
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' / ')
  } catch {
    return `(no output in ${path})`
  }
}
