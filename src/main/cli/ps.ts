import { compileTextQuery, QueryError } from '../../shared/query'
import { buildProcessTree } from '../../shared/process/tree'
import { PROCESS_ORDERS } from '../../shared/process/sort'
import type { ProcessInfo, ProcessSnapshot } from '../../shared/types/process'
import { parseArgs } from 'node:util'
import { cliApi, COMMON, engineFor, numbersAsValues, parse, UsageError } from './args'
import { formatProcessTable, formatProcessTree } from './format'

/** `proctor ps`: the process list, once or every --watch ms. */

const SORTS = ['cpu', 'mem', 'pid', 'name'] as const
type SortKey = (typeof SORTS)[number]

/** The CLI says mem; the contract says memory. */
const COMPARE: Record<SortKey, (a: ProcessInfo, b: ProcessInfo) => number> = { ...PROCESS_ORDERS, mem: PROCESS_ORDERS.memory }

export async function ps(args: string[]): Promise<number> {
  const options = {
    ...COMMON,
    json: { type: 'boolean' },
    tree: { type: 'boolean' },
    query: { type: 'string' },
    sort: { type: 'string' },
    watch: { type: 'string' },
  } as const
  // `--watch -5` is a bad value, not an unknown option `-5`.
  const { values } = parse(() => parseArgs({ args: numbersAsValues(args, options), strict: true, options }))
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
  const engine = engineFor(values['data-dir'], { collector: 'inline', backgroundMetrics: false })
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
    const api = cliApi(engine)
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

