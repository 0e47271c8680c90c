import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { startHost, type RunningHost } from '../host/host'
import { parseArgs } from 'node:util'
import { COMMON, engineFor, intArg, parse, ROOT } from './args'

/** `proctor serve`: the headless host for browser mode. */

export async function serve(args: string[]): Promise<number> {
  const { values } = parse(() =>
    parseArgs({ args, strict: true, options: { ...COMMON, port: { type: 'string' }, host: { type: 'string' } } }),
  )
  const port = values.port === undefined ? 0 : intArg(values.port, '--port', 0, 65535)
  const host = (values.host as string | undefined) ?? '127.0.0.1'
  const staticDir = process.env.PROCTOR_RENDERER_DIR ?? resolve(ROOT, 'out/renderer')
  try {
    readFileSync(resolve(staticDir, 'index.html'))
  } catch {
    process.stderr.write(`proctor: no built UI in ${staticDir}; run \`npm run build\` first (npm run serve does).\n`)
    return 1
  }
  const engine = engineFor(values['data-dir'])
  let running: RunningHost
  try {
    running = await startHost({ router: engine.router, staticDir, port, host })
  } catch (err) {
    // Nothing else may keep the process alive: the engine's timers and worker go too.
    engine.close()
    process.stderr.write(`proctor: ${(err as Error).message}\n`)
    return 1
  }
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(`proctor: warning: listening on ${host}, reachable beyond this machine; the token is the only guard.\n`)
  }
  process.stdout.write(`${running.url}\n`)
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await running.close()
  engine.close()
  return 0
}

