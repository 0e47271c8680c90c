import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolMetrics, PoolStatus, TaskView } from '../../../src/shared/pools/pool'
import { bundledCli } from '../../helpers/bundledCli'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'
import { workerScript } from '../pools/harness'

/*
 * `proctor pools ...` as the user runs it: a real `proctor daemon` (the
 * owner), the CLI bundled and run by node, real workers (the pools' worker
 * fixture, serveTasks). One daemon shared by the tests in order.
 */

const ROOT = resolve(__dirname, '../../..')
const CLI = bundledCli()
const started: ChildProcess[] = []

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, out: () => out, err: () => err, exit }
}

describe('proctor pools through the daemon', () => {
  const dataDir = tempDir()
  const env = { PROCTOR_RUNTIME_DIR: join(tempDir('pc-'), 'rt') }
  const worker = workerScript()
  const pools = async (...args: string[]): Promise<Result> => {
    // Before any `--`: what follows it is the worker's.
    const r = run(['pools', ...args.slice(0, 1), '--data-dir', dataDir, ...args.slice(1)], env)
    const code = await r.exit
    return { code, stdout: r.out(), stderr: r.err() }
  }

  beforeAll(async () => {
    const d = run(['daemon', '--data-dir', dataDir], env)
    await waitFor(() => /listening on /.test(d.out()) || d.child.exitCode !== null, 20_000, 'the daemon to listen')
  })
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })

  it('off by default: the list says so and how to turn them on; creating is refused (1) until `pools on`', async () => {
    const list = await pools()
    expect(list.code).toBe(0)
    expect(list.stdout).toBe('worker pools are off: no pool runs; `proctor pools on` turns them on (and IPC, which they need)\nno pools\n')
    const refused = await pools('create', 'echo', '--', process.execPath, worker)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^proctor: UNAVAILABLE: /)
    const on = await pools('on', '--json')
    expect(on.code, on.stderr).toBe(0)
    expect(JSON.parse(on.stdout)).toEqual({ enablePooling: true, enableIPC: true })
  }, 60_000)

  it('usage errors exit 2 before asking the owner; the owner’s INVALID_ARGUMENT names the field and exits 2 too', async () => {
    const noCommand = await pools('create', 'echo', '--min', '1')
    expect(noCommand.code).toBe(2)
    expect(noCommand.stderr).toContain('pools create: give the worker command after `--`')
    const badStrategy = await pools('create', 'echo', '--strategy', 'elastic', '--', 'node')
    expect(badStrategy.code).toBe(2)
    expect(badStrategy.stderr).toContain('--strategy takes fixed or dynamic, got "elastic"')
    const badJson = await pools('submit', 'echo', '{nope')
    expect(badJson.code).toBe(2)
    expect(badJson.stderr).toMatch(/^proctor: pools submit: the payload is not JSON/)
    const unknown = await pools('resize', 'echo')
    expect(unknown.code).toBe(2)
    const minOverMax = await pools('create', 'echo', '--min', '3', '--max', '2', '--', process.execPath, worker)
    expect(minOverMax.code).toBe(2)
    expect(minOverMax.stderr).toMatch(/^proctor: INVALID_ARGUMENT: create pool "echo": .*minWorkers.*must not exceed maxWorkers \(2\)/)
  }, 60_000)

  it('create, show its workers, submit and wait for results and errors, read and cancel tasks, scale, list, remove', async () => {
    const created = await pools('create', 'echo', '--name', 'Echo', '--min', '1', '--max', '2', '--strategy', 'fixed', '--timeout', '5000', '--json', '--', process.execPath, worker)
    expect(created.code, created.stderr).toBe(0)
    const status = JSON.parse(created.stdout) as PoolStatus
    expect(status.definition).toMatchObject({ id: 'echo', name: 'Echo', workerCommand: process.execPath, workerArgs: [worker], minWorkers: 1, maxWorkers: 2, scalingStrategy: 'fixed', taskTimeout: 5000, cwd: ROOT })

    const ready = await waitFor(async () => {
      const r = await pools('show', 'echo', '--json')
      const s = JSON.parse(r.stdout) as PoolStatus & { metrics: PoolMetrics }
      return s.workers.some((w) => w.state === 'idle') ? s : undefined
    }, 30_000, 'a worker ready')
    expect(ready.metrics).toMatchObject({ poolId: 'echo', submitted: 0 })
    const shown = await pools('show', 'echo')
    expect(shown.stdout.split('\n')[0]).toBe('echo (Echo): running')
    expect(shown.stdout).toMatch(/^WORKER\s+STATE\s+PID\s+TASK\s+DONE\s+FAILED\s+CPU\s+MEMORY\s+RESTARTS$/m)
    expect(shown.stdout).toMatch(new RegExp(`^pool\\.echo\\.1\\s+idle\\s+${ready.workers[0]!.pid}\\s`, 'm'))

    // --wait: the result, exit 0; a task that fails: its error, exit 1.
    const done = await pools('submit', 'echo', '{"op":"echo","value":{"n":7}}', '--wait', '--priority', '-5')
    expect(done.code, done.stderr).toBe(0)
    const [head, result] = done.stdout.trimEnd().split('\n')
    expect(head).toMatch(/^echo\/\d+: done, on pool\.echo\.1, waited \d+/)
    expect(JSON.parse(result!)).toMatchObject({ value: { n: 7 }, attempt: 1 })
    const failed = await pools('submit', 'echo', '{"op":"fail","message":"bad input"}', '--wait', '--json')
    expect(failed.code).toBe(1)
    const failedTask = JSON.parse(failed.stdout) as TaskView
    expect(failedTask).toMatchObject({ state: 'failed', error: { code: 'HANDLER_ERROR', name: 'RangeError', message: 'bad input' } })
    expect(failed.stderr).toBe(`proctor: ${failedTask.id} failed: HANDLER_ERROR: bad input\n`)

    // Without --wait: the id at once; `task` reads it; `cancel` stops it; a second cancel exits 1.
    const queued = await pools('submit', 'echo', '{"op":"sleep","ms":20000}')
    expect(queued.code, queued.stderr).toBe(0)
    const taskId = /^(echo\/\d+) queued \(\d+ waiting in echo\)$/.exec(queued.stdout.trim())?.[1]
    expect(taskId).toBeDefined()
    const task = await pools('task', taskId!, '--json')
    expect(['queued', 'running']).toContain((JSON.parse(task.stdout) as TaskView).state)
    const cancelled = await pools('cancel', taskId!)
    expect(cancelled.code, cancelled.stderr).toBe(0)
    expect(cancelled.stdout).toBe(`cancelled ${taskId}\n`)
    const again = await pools('cancel', taskId!)
    expect(again.code).toBe(1)
    expect(again.stdout).toBe(`${taskId} had ended already: cancelled\n`)
    const after = await pools('task', taskId!)
    expect(after.stdout).toMatch(new RegExp(`^${taskId}: cancelled`))
    const missing = await pools('task', 'echo/9999')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^proctor: NOT_FOUND: /)

    // Scale within min..max; outside it the owner refuses, naming the range (2).
    const scaled = await pools('scale', 'echo', '2')
    expect(scaled.code, scaled.stderr).toBe(0)
    expect(scaled.stdout).toBe('echo: 2 workers wanted (1..2)\n')
    const tooMany = await pools('scale', 'echo', '5')
    expect(tooMany.code).toBe(2)
    expect(tooMany.stderr).toContain('must be within minWorkers..maxWorkers (1..2), got 5')
    const notANumber = await pools('scale', 'echo', 'lots')
    expect(notANumber.code).toBe(2)

    const list = await pools('list')
    expect(list.stdout).toMatch(/^ID\s+NAME\s+STATE\s+WORKERS\s+QUEUED\s+RUNNING\s+STRATEGY\s+COMMAND$/m)
    expect(list.stdout).toMatch(new RegExp(`^echo\\s+Echo\\s+running\\s+\\d/2 \\(1\\.\\.2\\)\\s+0\\s+\\d\\s+fixed\\s+${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'))

    const removed = await pools('remove', 'echo', '--force')
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toMatch(/^removed echo; \d+ tasks? cancelled$/m)
    const gone = await pools('show', 'echo')
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(/^proctor: NOT_FOUND: /)
  }, 120_000)

  it('a drained removal waits for the task running, which ends done', async () => {
    const created = await pools('create', 'slow', '--min', '1', '--max', '1', '--', process.execPath, worker)
    expect(created.code, created.stderr).toBe(0)
    await waitFor(async () => ((JSON.parse((await pools('show', 'slow', '--json')).stdout) as PoolStatus).workers.some((w) => w.state === 'idle') ? true : undefined), 30_000, 'a worker ready')
    const queued = await pools('submit', 'slow', '{"op":"sleep","ms":1500}', '--json')
    const { taskId } = JSON.parse(queued.stdout) as { taskId: string }
    await waitFor(async () => ((JSON.parse((await pools('task', taskId, '--json')).stdout) as TaskView).state === 'running' ? true : undefined), 30_000, 'the task to run')
    const removed = await pools('remove', 'slow', '--json')
    expect(removed.code, removed.stderr).toBe(0)
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: 'slow', drained: true, cancelled: 0 })
    const list = await pools('list', '--json')
    expect((JSON.parse(list.stdout) as { pools: PoolStatus[] }).pools).toEqual([])
  }, 90_000)
})
