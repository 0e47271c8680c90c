import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LOAD_BALANCING, SCALING_STRATEGIES, type PoolConfigInput, type TaskView } from '../../shared/pools/pool'
import { intArg, numbersAsValues, parse, UsageError } from './args'
import { formatPoolDetail, formatPoolList, formatTask } from './poolsFormat'
import { out, OWNER_FLAGS, withOwner } from './programs'

/**
 * `proctor pools ...`: the owner's worker pools, through the owner. Exit 0
 * done, 1 refused or failed (a task that ended failed, timed out or
 * cancelled too, with `submit --wait`), 2 usage (and the owner's
 * INVALID_ARGUMENT: a field of the pool, a size out of range).
 */

export const POOL_VERBS = ['list', 'show', 'create', 'remove', 'scale', 'submit', 'task', 'cancel', 'on', 'off'] as const
type Verb = (typeof POOL_VERBS)[number]

function idArg(positionals: string[], verb: string, what = 'ID'): string {
  const id = positionals[0]
  if (id === undefined) throw new UsageError(`pools ${verb}: which ${what === 'ID' ? 'pool? give its ID' : `task? give its ${what} (POOL/N)`}`)
  return id
}

function int(value: string | undefined, name: string, min: number, max: number): number | undefined {
  return value === undefined ? undefined : intArg(value, name, min, max)
}

/** A task's final state as an exit code: done 0, anything else 1 (its error on stderr). */
function taskExit(task: TaskView): number {
  if (task.state === 'done') return 0
  if (task.error) process.stderr.write(`proctor: ${task.id} ${task.state}: ${task.error.code}: ${task.error.message}\n`)
  return task.state === 'queued' || task.state === 'running' ? 0 : 1
}

export async function pools(args: string[]): Promise<number> {
  // `proctor pools` and `proctor pools --json` mean list.
  const [verb = 'list', ...rest] = args[0] === undefined || args[0].startsWith('-') ? ['list', ...args] : args
  if (!(POOL_VERBS as readonly string[]).includes(verb)) throw new UsageError(`pools: unknown verb ${JSON.stringify(verb)}; give one of ${POOL_VERBS.join(', ')}`)
  switch (verb as Verb) {
    case 'list': {
      const { values } = parse(() => parseArgs({ args: rest, strict: true, options: OWNER_FLAGS }))
      return withOwner(values, 'pools list', async (api) => {
        const all = await api.getAllPools()
        out(values.json, all, () => formatPoolList(all))
        return 0
      })
    }
    case 'show': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const poolId = idArg(positionals, verb)
      return withOwner(values, 'pools show', async (api) => {
        const [status, metrics] = await Promise.all([api.getPoolStatus({ poolId }), api.getPoolMetrics({ poolId })])
        out(values.json, { ...status, metrics }, () => formatPoolDetail(status, metrics))
        return 0
      })
    }
    case 'on':
    case 'off': {
      const { values } = parse(() => parseArgs({ args: rest, strict: true, options: OWNER_FLAGS }))
      return withOwner(values, `pools ${verb}`, async (api) => {
        // On means usable: the broker the workers connect through comes on with them; off leaves IPC as it is.
        const settings = await api.updateSettings(verb === 'on' ? { enablePooling: true, enableIPC: true } : { enablePooling: false })
        out(values.json, { enablePooling: settings.enablePooling, enableIPC: settings.enableIPC }, () =>
          settings.enablePooling ? 'worker pools are on (and IPC)' : 'worker pools are off: their workers stopped; queued tasks failed',
        )
        return 0
      })
    }
    case 'create':
      return create(rest)
    case 'remove': {
      const options = { ...OWNER_FLAGS, force: { type: 'boolean' } } as const
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options }), 1)
      const poolId = idArg(positionals, verb)
      return withOwner(values, 'pools remove', async (api) => {
        const r = await api.removePool({ poolId, force: values.force === true })
        out(values.json, r, () =>
          `removed ${r.removed}${values.force ? `; ${r.cancelled} task${r.cancelled === 1 ? '' : 's'} cancelled` : r.drained ? '; its tasks finished first' : ''}`,
        )
        return 0
      })
    }
    case 'scale': {
      const { values, positionals } = parse(() => parseArgs({ args: numbersAsValues(rest, OWNER_FLAGS), strict: true, allowPositionals: true, options: OWNER_FLAGS }), 2)
      const poolId = idArg(positionals, verb)
      if (positionals[1] === undefined) throw new UsageError('pools scale: to how many workers? e.g. pools scale thumbs 4')
      const targetSize = intArg(positionals[1], 'N', 0, 256)
      return withOwner(values, 'pools scale', async (api) => {
        const s = await api.scalePool({ poolId, targetSize })
        out(values.json, s, () => `${s.id}: ${s.targetSize} worker${s.targetSize === 1 ? '' : 's'} wanted (${s.definition.minWorkers}..${s.definition.maxWorkers})`)
        return 0
      })
    }
    case 'submit': {
      const options = { ...OWNER_FLAGS, wait: { type: 'boolean' }, timeout: { type: 'string' }, priority: { type: 'string' } } as const
      const { values, positionals } = parse(() => parseArgs({ args: numbersAsValues(rest, options), strict: true, allowPositionals: true, options }), 2)
      const poolId = idArg(positionals, verb)
      const text = positionals[1]
      if (text === undefined) throw new UsageError(`pools submit: give the payload as JSON, e.g. '{"op":"resize","width":200}'`)
      let payload: unknown
      try {
        payload = JSON.parse(text)
      } catch (err) {
        throw new UsageError(`pools submit: the payload is not JSON (${(err as Error).message}); quote it for the shell, e.g. '{"n":1}'`)
      }
      const timeout = int(values.timeout, '--timeout', 1, 3_600_000)
      const priority = int(values.priority, '--priority', -1000, 1000)
      return withOwner(values, 'pools submit', async (api) => {
        const queued = await api.submitTaskToPool({ poolId, payload: payload as never, ...(timeout !== undefined ? { timeout } : {}), ...(priority !== undefined ? { priority } : {}) })
        if (!values.wait) {
          out(values.json, queued, () => `${queued.taskId} queued (${queued.queued} waiting in ${queued.poolId})`)
          return 0
        }
        // Long enough for its timeout on every try, and its time in the queue; the owner's TIMEOUT otherwise.
        const status = await api.getPoolStatus({ poolId })
        const each = timeout ?? status.definition.taskTimeout
        const task = await api.awaitTask({ taskId: queued.taskId, timeoutMs: Math.min(3_600_000, each * (status.definition.retries + 1) + 60_000) })
        out(values.json, task, () => formatTask(task))
        return taskExit(task)
      })
    }
    case 'task':
    case 'cancel': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const taskId = idArg(positionals, verb, 'TASK_ID')
      return withOwner(values, `pools ${verb}`, async (api) => {
        if (verb === 'task') {
          const task = await api.getTask({ taskId })
          out(values.json, task, () => formatTask(task))
          return 0
        }
        const r = await api.cancelTask({ taskId })
        out(values.json, r, () => (r.cancelled ? `cancelled ${taskId}` : `${taskId} had ended already: ${r.task.state}`))
        return r.cancelled ? 0 : 1
      })
    }
  }
}

/** `pools create ID [options] -- COMMAND ARGS...`: the worker's own arguments after `--`, never read as Proctor's. */
async function create(args: string[]): Promise<number> {
  const dash = args.indexOf('--')
  const own = dash < 0 ? args : args.slice(0, dash)
  const argv = dash < 0 ? [] : args.slice(dash + 1)
  const options = {
    ...OWNER_FLAGS,
    name: { type: 'string' },
    cwd: { type: 'string' },
    env: { type: 'string', multiple: true },
    min: { type: 'string' },
    max: { type: 'string' },
    strategy: { type: 'string' },
    balancing: { type: 'string' },
    timeout: { type: 'string' },
    'idle-timeout': { type: 'string' },
    'queue-size': { type: 'string' },
    'tasks-per-worker': { type: 'string' },
    retries: { type: 'string' },
  } as const
  const { values, positionals } = parse(() => parseArgs({ args: own, strict: true, allowPositionals: true, options }), 1)
  const poolId = idArg(positionals, 'create')
  const [workerCommand, ...workerArgs] = argv
  if (workerCommand === undefined) throw new UsageError('pools create: give the worker command after `--`, e.g. pools create thumbs --max 4 -- node worker.js')
  if (values.strategy !== undefined && !(SCALING_STRATEGIES as readonly string[]).includes(values.strategy)) {
    throw new UsageError(`--strategy takes ${SCALING_STRATEGIES.join(' or ')}, got ${JSON.stringify(values.strategy)}`)
  }
  if (values.balancing !== undefined && !(LOAD_BALANCING as readonly string[]).includes(values.balancing)) {
    throw new UsageError(`--balancing takes ${LOAD_BALANCING.join(', ')}, got ${JSON.stringify(values.balancing)}`)
  }
  const env: Record<string, string> = {}
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`--env takes NAME=VALUE, got ${JSON.stringify(pair)}`)
    env[pair.slice(0, at)] = pair.slice(at + 1)
  }
  const numbers = {
    minWorkers: int(values.min, '--min', 0, 256),
    maxWorkers: int(values.max, '--max', 1, 256),
    taskTimeout: int(values.timeout, '--timeout', 100, 3_600_000),
    workerIdleTimeout: int(values['idle-timeout'], '--idle-timeout', 100, 3_600_000),
    maxQueueSize: int(values['queue-size'], '--queue-size', 1, 1_000_000),
    maxTasksPerWorker: int(values['tasks-per-worker'], '--tasks-per-worker', 0, 1_000_000_000),
    retries: int(values.retries, '--retries', 0, 100),
  }
  const config: PoolConfigInput = {
    workerCommand,
    workerArgs,
    // Relative to where the command is typed, as a user means it; the owner needs an absolute path.
    cwd: resolve(values.cwd ?? process.cwd()),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(values.strategy !== undefined ? { scalingStrategy: values.strategy as PoolConfigInput['scalingStrategy'] } : {}),
    ...(values.balancing !== undefined ? { loadBalancing: values.balancing as PoolConfigInput['loadBalancing'] } : {}),
    ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined)),
  }
  return withOwner(values, 'pools create', async (api) => {
    const status = await api.createPool({ poolId, config })
    out(values.json, status, () => `created ${status.id}: ${status.targetSize} worker${status.targetSize === 1 ? '' : 's'} starting (${status.definition.minWorkers}..${status.definition.maxWorkers}, ${status.definition.scalingStrategy})`)
    return 0
  })
}
