import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ProctorError } from '../../shared/errors'
import { connectToOwner, readOwnerRecord, type OwnerConnection } from '../core/owner/controlClient'
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
    if (!options.startDaemon || !(err instanceof ProctorError) || err.code !== 'UNAVAILABLE' || readOwnerRecord(runtimeDir)) throw err
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
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (readOwnerRecord(runtimeDir)) return
    // Exited: it failed, unless another owner started meanwhile (then the record appears).
    if (exited) {
      await new Promise((r) => setTimeout(r, 300))
      if (readOwnerRecord(runtimeDir)) return
      throw new ProctorError('UNAVAILABLE', `\`proctor daemon\` exited (${exited.signal ?? `code ${exited.code}`}) before it listened: ${tail(logPath)}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new ProctorError('UNAVAILABLE', `\`proctor daemon\` did not listen within ${START_TIMEOUT_MS / 1000} s; see ${logPath}. ${NO_OWNER_MESSAGE}`)
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' / ')
  } catch {
    return `(no output in ${path})`
  }
}
