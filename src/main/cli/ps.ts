import { portsByProcess } from '../../shared/ports/byProcess'
import { compileQuery, parseQuery, QueryError, usesPorts, type QueryNode } from '../../shared/query'
import type { ProctorApi } from '../../shared/contract'
import { currentUser } from '../core/processes/currentUser'
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
  let query: QueryNode | undefined
  if (values.query !== undefined) {
    try {
      query = parseQuery(values.query)
      compileQuery(query) // a bad regex fails here, before any reading
    } catch (err) {
      if (!(err instanceof QueryError)) throw err
      throw new UsageError(`--query: ${err.message}\n  ${values.query}\n  ${' '.repeat(err.position)}^`)
    }
  }
  // The CLI is its own process: collecting on this thread is cheapest.
  const engine = engineFor(values['data-dir'], { collector: 'inline', backgroundMetrics: false })
  const print = async (api: ProctorApi, snapshot: ProcessSnapshot) => {
    const match = query !== undefined ? await matcherFor(api, query) : undefined
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
      await print(api, await api.getProcessList())
      return 0
    }
    engine.settings.applyTransient({ refreshInterval: Math.max(250, watchMs) })
    await new Promise<void>((resolveStop) => {
      // One list at a time, in order: a query naming ports reads them before each.
      let printing = Promise.resolve()
      const onList = (snapshot: ProcessSnapshot) => {
        printing = printing.then(() => print(api, snapshot)).catch((err: unknown) => {
          process.stderr.write(`proctor: ${(err as Error).message}\n`)
        })
      }
      const stop = api.subscribeToProcessUpdates(onList, (err) => {
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


/** The query's predicate; with the sockets read first when it names `port` or `listen`. */
async function matcherFor(api: ProctorApi, query: QueryNode): Promise<(p: ProcessInfo) => boolean> {
  const portsOf = usesPorts(query) ? portsByProcess((await api.listPorts()).entries) : undefined
  return compileQuery(query, { me: currentUser(), ...(portsOf ? { portsOf } : {}) })
}
