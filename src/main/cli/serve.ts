import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { startHost, type RunningHost } from '../host/host'
import { isWildcard } from '../host/auth'
import { parseArgs } from 'node:util'
import { TOKEN_PATTERN } from '../core/metrics/token'
import { takeOwnership } from '../core/owner/ownership'
import { COMMON, intArg, numbersAsValues, parse, ROOT, UsageError, version } from './args'
import { dataDirOf } from './owner'

/**
 * `proctor serve`: the headless host for browser mode. It owns the
 * programs (as `proctor daemon` does) unless another owner runs; then its
 * supervisor calls go to that one, and the page shows that one's programs.
 */

/** A host name (RFC 1123 labels) or an IP address, as --allow-host takes it. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i

export async function serve(args: string[]): Promise<number> {
  const options = {
    ...COMMON,
    port: { type: 'string' },
    host: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    'max-connections': { type: 'string' },
  } as const
  // `--port -1` is a bad port, said so, not an unknown option.
  const { values } = parse(() => parseArgs({ args: numbersAsValues(args, options), strict: true, options }))
  const port = values.port === undefined ? 0 : intArg(values.port, '--port', 0, 65535)
  const host = (values.host as string | undefined) ?? '127.0.0.1'
  const maxConnections = values['max-connections'] === undefined ? undefined : intArg(values['max-connections'], '--max-connections', 1, 1000)
  const allowHosts = (values['allow-host'] as string[] | undefined) ?? []
  for (const name of allowHosts) {
    if (!HOST_NAME.test(name) && isIP(name.replace(/^\[(.*)\]$/, '$1')) === 0) {
      throw new UsageError(`--allow-host takes a host name or an address without a port, got ${JSON.stringify(name)}`)
    }
  }
  const token = process.env.PROCTOR_TOKEN
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    throw new UsageError('PROCTOR_TOKEN must be 32 to 256 characters of A-Z a-z 0-9 - _ (or unset, for a fresh random token)')
  }
  const staticDir = process.env.PROCTOR_RENDERER_DIR ?? resolve(ROOT, 'out/renderer')
  try {
    readFileSync(resolve(staticDir, 'index.html'))
  } catch {
    process.stderr.write(`proctor: no built UI in ${staticDir}; run \`npm run build\` first (npm run serve does).\n`)
    return 1
  }
  const dataDir = dataDirOf(values['data-dir'])
  const log = (message: string) => process.stderr.write(`proctor: ${message}\n`)
  // Listened for from the start: a signal that arrives while the host starts (or just as it
  // prints its address) still ends in a clean shutdown instead of the default death.
  const stopped = new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop())
    process.once('SIGTERM', () => resolveStop())
  })
  const ownership = await takeOwnership({ dataDir, kind: 'daemon', engineOptions: { version: version(), log } })
  const { engine } = ownership
  let running: RunningHost
  try {
    running = await startHost({ router: engine.router, staticDir, port, host, token, maxConnections, allowHosts })
  } catch (err) {
    // Nothing else may keep the process alive: the engine's timers and worker, the lock and the control socket go too.
    await ownership.close()
    process.stderr.write(`proctor: ${(err as Error).message}\n`)
    return 1
  }
  process.stderr.write(
    ownership.role === 'owner'
      ? `proctor: supervising the programs of ${dataDir}; control socket ${ownership.server.socket}\n`
      : ownership.role === 'client'
        ? `proctor: the programs are supervised by ${ownership.owner.kind === 'desktop' ? 'the desktop app' : 'proctor daemon'} (pid ${ownership.owner.pid}); this page shows them through it\n`
        : '', // the engine has logged why, and what still works
  )
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    const names = isWildcard(host) ? `; it answers to ${running.hostNames().join(', ')} (more with --allow-host NAME)` : ''
    process.stderr.write(
      `proctor: warning: listening on ${host}, reachable beyond this machine over plain HTTP${names}. ` +
        'Anyone who can read the traffic gets the token; prefer an SSH tunnel to 127.0.0.1.\n',
    )
  }
  process.stdout.write(`${running.url}\n`)
  await stopped
  await running.close()
  await ownership.close()
  return 0
}
