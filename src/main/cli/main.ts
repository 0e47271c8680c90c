import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { createApi } from '../../shared/rpc/client'
import { inProcessTransport } from '../../shared/rpc/inProcess'
import { Engine } from '../core/engine'
import { defaultDataDir } from '../core/store/dataDir'
import { startHost } from '../host/host'
import { formatProcessTable, formatProcessTree } from './format'
import { compileTextQuery, QueryError } from '../../shared/query'
import { buildProcessTree } from '../../shared/process/tree'
import type { ProcessInfo, ProcessSnapshot } from '../../shared/types/process'

/**
 * The command line: the same engine and contract as the app, in process.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */

const ROOT = resolve(__dirname, '../../..')

export const USAGE = `Usage: proctor <command> [options]

Commands:
  ps [--json] [--tree] [--query Q] [--sort cpu|mem|pid|name] [--watch MS]
                                   list every process (CPU % over a short interval);
                                   --query takes the search language, e.g. 'cpu > 5 and user = root';
                                   --watch prints a fresh list every MS ms (one JSON document
                                   per line with --json) until interrupted
  serve [--port N] [--host ADDR]   serve the UI and API for a browser (port 0: any free port)
  help                             show this text

Options for every command:
  --data-dir DIR                   settings folder (default: the platform's config folder)
`

class UsageError extends Error {}

function version(): string {
  try {
    return (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return '0.0.0'
  }
}

type Options = NonNullable<ParseArgsConfig['options']>
const COMMON = { 'data-dir': { type: 'string' } } as const

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, ...COMMON }, strict: true, allowPositionals: false })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

function engineFor(dataDir: string | undefined): Engine {
  return new Engine({ dataDir: dataDir ?? defaultDataDir(), version: version() })
}

const SORTS = ['cpu', 'mem', 'pid', 'name'] as const
type SortKey = (typeof SORTS)[number]

const COMPARE: Record<SortKey, (a: ProcessInfo, b: ProcessInfo) => number> = {
  cpu: (a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid,
  mem: (a, b) => b.memoryBytes - a.memoryBytes || a.pid - b.pid,
  pid: (a, b) => a.pid - b.pid,
  name: (a, b) => a.name.localeCompare(b.name) || a.pid - b.pid,
}

async function ps(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean' },
    tree: { type: 'boolean' },
    query: { type: 'string' },
    sort: { type: 'string' },
    watch: { type: 'string' },
  })
  const sort = (values.sort ?? 'pid') as SortKey
  if (!SORTS.includes(sort)) throw new UsageError(`--sort must be one of ${SORTS.join(', ')}, got ${JSON.stringify(values.sort)}`)
  const watchMs = values.watch === undefined ? undefined : Number(values.watch)
  if (watchMs !== undefined && !(Number.isInteger(watchMs) && watchMs >= 100 && watchMs <= 3_600_000)) {
    throw new UsageError(`--watch must be a number of milliseconds, 100..3600000, got ${JSON.stringify(values.watch)}`)
  }
  let match: ((p: ProcessInfo) => boolean) | undefined
  if (values.query !== undefined) {
    try {
      match = compileTextQuery(values.query)
    } catch (err) {
      if (!(err instanceof QueryError)) throw err
      throw new UsageError(`--query: ${err.message}\n  ${values.query}\n  ${' '.repeat(err.position)}^`)
    }
  }
  // The CLI is its own process: collecting on this thread is cheapest.
  const engine = new Engine({ dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(), version: version(), collector: 'inline' })
  const print = (snapshot: ProcessSnapshot) => {
    const list = (match ? snapshot.processes.filter(match) : snapshot.processes).sort(COMPARE[sort])
    const width = process.stdout.isTTY ? process.stdout.columns : 0
    let out: string
    if (values.tree) {
      const roots = buildProcessTree(list)
      out = values.json ? JSON.stringify(roots) : formatProcessTree(roots, width)
    } else {
      out = values.json ? JSON.stringify(list) : formatProcessTable(list, width)
    }
    process.stdout.write(`${out}\n`)
  }
  try {
    const api = createApi(inProcessTransport(engine.router))
    if (watchMs === undefined) {
      print(await api.getProcessList())
      return 0
    }
    engine.settings.applyTransient({ refreshInterval: Math.max(250, watchMs) })
    await new Promise<void>((resolveStop) => {
      const stop = api.subscribeToProcessUpdates(print, (err) => {
        process.stderr.write(`proctor: ${err.message}\n`)
        resolveStop()
      })
      const end = () => {
        stop()
        resolveStop()
      }
      process.once('SIGINT', end)
      process.once('SIGTERM', end)
      process.stdout.once('error', end) // e.g. the reader of a pipe went away
    })
    return 0
  } finally {
    engine.close()
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, host: { type: 'string' } })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got ${JSON.stringify(values.port)}`)
  const host = (values.host as string | undefined) ?? '127.0.0.1'
  const staticDir = process.env.PROCTOR_RENDERER_DIR ?? resolve(ROOT, 'out/renderer')
  try {
    readFileSync(resolve(staticDir, 'index.html'))
  } catch {
    process.stderr.write(`proctor: no built UI in ${staticDir}; run \`npm run build\` first (npm run serve does).\n`)
    return 1
  }
  const engine = engineFor(values['data-dir'] as string | undefined)
  const running = await startHost({ router: engine.router, staticDir, port, host })
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'ps':
        return await ps(rest)
      case 'serve':
        return await serve(rest)
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE)
        return 0
      case undefined:
        throw new UsageError('no command given')
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`proctor: ${err.message}\n\n${USAGE}`)
      return 2
    }
    process.stderr.write(`proctor: ${(err as Error).message}\n`)
    return 1
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
