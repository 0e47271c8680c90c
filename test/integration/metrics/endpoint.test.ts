import { statSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GuardedGroup, processesInGroup } from '../../../bench/population'
import { takeOwnership } from '../../../src/main/core/owner/ownership'
import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import { MAX_PROCESS_GROUPS } from '../../../src/main/core/metrics/processGroups'
import { METRICS_TOKEN_FILE } from '../../../src/main/core/metrics/token'
import { ProctorError } from '../../../src/shared/errors'
import { families, namingProblems, scrape, seriesLines, valueOf } from '../../helpers/prometheus'
import { dataDirWith } from '../../helpers/dataDir'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'
import { closedPort } from '../health/servers'
import { poolOwner, workerConfig, type PoolOwner } from '../pools/harness'

/*
 * The owner's /metrics as Prometheus scrapes it: a real owner engine (as
 * `proctor daemon` builds it) with real programs, a real pool and 2000
 * real processes, over real HTTP, read by a Prometheus text-format parser.
 */

const PROGRAMS = 10
const POPULATION = 2000

describe('/metrics of the owner', () => {
  let o: PoolOwner
  let port: number
  let url: string
  let token: string
  let crowd: GuardedGroup | undefined

  beforeAll(async () => {
    port = await closedPort()
    url = `http://127.0.0.1:${port}/metrics`
    o = await poolOwner({ enableAutoRestart: true, metricsEndpoint: { port } })
  })

  afterAll(async () => {
    await crowd?.stop()
    await o?.close()
  })

  it('is off by default: nothing listens until the setting turns it on, and it stops when turned off', async () => {
    if (o.owner.role !== 'owner') throw new Error('expected to own')
    expect(o.owner.metrics.url).toBeUndefined()
    await expect(fetch(url)).rejects.toThrow()

    await o.api.updateSettings({ metricsEndpoint: { enabled: true } })
    const endpoint = o.owner.metrics
    await waitFor(() => endpoint.url === url, 5000, 'the endpoint to listen')
    // The token Prometheus reads with credentials_file: made on first use, the owner's only.
    const file = join(o.dataDir, METRICS_TOKEN_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    token = readFileSync(file, 'utf8').trim()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await scrape(url, token)).status).toBe(200)

    await o.api.updateSettings({ metricsEndpoint: { enabled: false } })
    await waitFor(() => endpoint.url === undefined, 5000, 'the endpoint to close')
    await expect(fetch(url)).rejects.toThrow()
    await o.api.updateSettings({ metricsEndpoint: { enabled: true } })
    await waitFor(() => endpoint.url === url, 5000, 'the endpoint to listen again')
    // The same token across restarts of the listener (and of the owner: it is in the data folder).
    expect(readFileSync(file, 'utf8').trim()).toBe(token)
  })

  it('answers 401 without the bearer token or with a wrong one, 404 elsewhere, 405 to other methods', async () => {
    const none = await scrape(url)
    expect(none.status).toBe(401)
    expect(none.body).toMatch(/Authorization: Bearer/)
    expect((await scrape(url, `${token.slice(0, -1)}x`)).status).toBe(401)
    expect((await scrape(url, 'short')).status).toBe(401)
    const basic = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`u:${token}`).toString('base64')}` } })
    expect(basic.status).toBe(401)
    expect(basic.headers.get('www-authenticate')).toMatch(/^Bearer/)
    const elsewhere = await fetch(`http://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } })
    expect(elsewhere.status).toBe(404)
    const post = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(post.status).toBe(405)
    const ok = await scrape(url, token)
    expect(ok.status).toBe(200)
    expect(ok.type).toBe('text/plain; version=0.0.4; charset=utf-8')
  })

  it('refuses a bad endpoint setting, naming the field', async () => {
    for (const [patch, field] of [
      [{ port: 70_000 }, 'metricsEndpoint.port'],
      [{ port: 'x' }, 'metricsEndpoint.port'],
      [{ address: 'localhost; rm' }, 'metricsEndpoint.address'],
      [{ enabled: 'yes' }, 'metricsEndpoint.enabled'],
    ] as const) {
      const err = await o.api.updateSettings({ metricsEndpoint: patch as never }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ProctorError)
      expect((err as ProctorError).code).toBe('INVALID_ARGUMENT')
      expect((err as Error).message).toContain(field)
    }
    expect((await o.api.getSettings()).metricsEndpoint).toEqual({ enabled: true, address: '127.0.0.1', port })
  })

  it(`reads as Prometheus text with ${POPULATION} processes, ${PROGRAMS} programs and a pool: named by the conventions, with bounded series`, async () => {
    // Forking 2000 processes takes from seconds to a minute on a loaded 2-core machine: hence the test's timeout.
    crowd = await GuardedGroup.start(POPULATION, ['sleep', '600'])
    const { pgid } = crowd
    // Forked is not yet exec'd (a child is still called sh): the crowd is complete once every one runs sleep.
    await waitFor(() => processesInGroup(pgid) >= POPULATION + 1, 60_000, 'the crowd to be complete')
    for (let i = 0; i < PROGRAMS; i++) {
      await o.api.addProgram({ program: { name: `p${i}`, command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], restart: 'always', restartDelayMs: 0, startSeconds: 0 } })
      await o.api.startProgram({ name: `p${i}` })
    }
    await o.api.createPool({ poolId: 'work', config: workerConfig({ minWorkers: 1, maxWorkers: 1 }) })
    for (let i = 0; i < 3; i++) {
      const { taskId } = await o.api.submitTaskToPool({ poolId: 'work', payload: { op: 'echo', value: i } })
      expect(await o.api.awaitTask({ taskId, timeoutMs: 20_000 })).toMatchObject({ state: 'done' })
    }
    await waitFor(async () => (await o.api.listPrograms()).programs.every((p) => p.state === 'running'), 10_000, 'every program running')

    const started = performance.now()
    const { status, body } = await scrape(url, token)
    const took = performance.now() - started
    expect(status).toBe(200)
    const parsed = families(body)

    // Every family has HELP and TYPE, the prefix, snake case, base units, _total on counters only.
    expect([...parsed.values()].flatMap(namingProblems)).toEqual([])
    for (const name of [
      'proctor_cpu_seconds_total', 'proctor_memory_available_bytes', 'proctor_swap_used_bytes', 'proctor_load1', 'proctor_disk_read_bytes_total',
      'proctor_network_receive_bytes_total', 'proctor_filesystem_size_bytes', 'proctor_processes', 'proctor_process_group_cpu_seconds_total',
      'proctor_program_up', 'proctor_program_restarts_total', 'proctor_program_cpu_seconds_total', 'proctor_program_resident_memory_bytes',
      'proctor_pool_queue_depth', 'proctor_pool_tasks_total', 'proctor_pool_task_wait_seconds', 'proctor_pool_task_run_seconds', 'proctor_pool_workers',
      'proctor_broker_connections', 'proctor_broker_messages_total', 'proctor_self_cpu_seconds_total', 'proctor_self_resident_memory_bytes',
    ]) {
      expect(parsed.has(name), name).toBe(true)
    }
    expect(parsed.get('proctor_cpu_seconds_total')?.type).toBe('COUNTER')
    expect(parsed.get('proctor_pool_task_run_seconds')?.type).toBe('HISTOGRAM')
    expect(parsed.get('proctor_program_up')?.type).toBe('GAUGE')

    // The crowd is one group, never one series per pid.
    expect(valueOf(body, 'proctor_process_group_processes{groupname="sleep"}')).toBeGreaterThanOrEqual(POPULATION)
    expect(valueOf(body, 'proctor_processes{state="sleeping"}')).toBeGreaterThanOrEqual(POPULATION)
    const lines = seriesLines(body)
    const groupSeries = lines.filter((l) => l.startsWith('proctor_process_group_'))
    expect(groupSeries.length).toBeLessThanOrEqual(4 * (MAX_PROCESS_GROUPS + 1))
    expect(lines.some((l) => /pid=/.test(l))).toBe(false)
    // Programs: 15 series each at most (7 states, up, restarts, uptime, exit code, 3 health, CPU, memory).
    const programSeries = lines.filter((l) => l.startsWith('proctor_program_'))
    expect(programSeries.length).toBeLessThanOrEqual(15 * PROGRAMS)
    // The bound: what the machine has (cores x 8 modes, disks, interfaces, mounts: about 100 series here)
    // plus at most 404 process-group series, 15 per program and 55 per pool (histograms included),
    // whatever the number of processes: under 1000 here, where one series per process would pass 2000.
    expect(lines.length).toBeLessThan(1000)
    for (let i = 0; i < PROGRAMS; i++) {
      expect(valueOf(body, `proctor_program_up{program="p${i}"}`)).toBe(1)
      expect(valueOf(body, `proctor_program_state{program="p${i}",state="running"}`)).toBe(1)
      expect(valueOf(body, `proctor_program_resident_memory_bytes{program="p${i}"}`)).toBeGreaterThan(1024 * 1024)
    }
    // The pool: three tasks done, their times in the histograms, one idle worker.
    expect(valueOf(body, 'proctor_pool_tasks_total{pool="work",outcome="done"}')).toBe(3)
    expect(valueOf(body, 'proctor_pool_task_run_seconds_count{pool="work"}')).toBe(3)
    expect(valueOf(body, 'proctor_pool_task_wait_seconds_bucket{pool="work",le="+Inf"}')).toBe(3)
    expect(valueOf(body, 'proctor_pool_workers{pool="work",state="idle"}')).toBe(1)
    expect(valueOf(body, 'proctor_broker_up')).toBe(1)
    expect(valueOf(body, 'proctor_broker_messages_total')).toBeGreaterThan(0)
    console.log(`/metrics with ${POPULATION} more processes and ${PROGRAMS} programs: ${lines.length} series (${groupSeries.length} process-group), ${body.length} bytes, scraped in ${took.toFixed(0)} ms`)
  }, 180_000)

  it('counts a program’s restart in its restarts counter', async () => {
    const restarts = async () => valueOf((await scrape(url, token)).body, 'proctor_program_restarts_total{program="p0"}')
    expect(await restarts()).toBe(0)
    const { pid } = await o.api.getProgram({ name: 'p0' })
    process.kill(pid!, 'SIGKILL')
    await waitFor(async () => (await restarts()) === 1, 10_000, 'the restart to show in proctor_program_restarts_total')
    await waitFor(async () => valueOf((await scrape(url, token)).body, 'proctor_program_up{program="p0"}') === 1, 10_000, 'p0 up again')
  })

  it('keeps a program’s CPU counter when a child of it exits (a drop would read as a reset)', async () => {
    // The program's child burns about 0.6 s of CPU, stays a moment, and exits; the program lives on.
    const child = `const t = Date.now(); while (Date.now() - t < 600); setTimeout(() => {}, 1500)`
    const parent = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'ignore' }); setInterval(() => {}, 1000)`
    await o.api.addProgram({ program: { name: 'spawner', command: process.execPath, args: ['-e', parent], autostart: false } })
    await o.api.startProgram({ name: 'spawner' })
    const cpu = async () => valueOf((await scrape(url, token)).body, 'proctor_program_cpu_seconds_total{program="spawner"}')
    const withChild = await waitFor(async () => {
      const v = await cpu()
      return v !== undefined && v >= 0.5 ? v : undefined
    }, 10_000, 'the child’s CPU to show in the program’s counter')
    const { pid } = await o.api.getProgram({ name: 'spawner' })
    await waitFor(() => processesInGroup(pid!) === 1, 10_000, 'the child to exit')
    expect(await cpu()).toBeGreaterThanOrEqual(withChild)
    await o.api.removeProgram({ name: 'spawner' })
  }, 30_000)
})

describe('/metrics on a port that is taken', () => {
  it('says which port and what to change, and the owner runs on without it', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    const logged: string[] = []
    const dataDir = dataDirWith({ metricsEndpoint: { enabled: true, port } })
    const owner = await takeOwnership({ dataDir, runtimeDir: join(tempDir('pm-'), 'rt'), kind: 'daemon', engineOptions: { version: 'test', backgroundMetrics: false, log: (m) => logged.push(m) } })
    try {
      if (owner.role !== 'owner') throw new Error('expected to own')
      expect(owner.metrics.url).toBeUndefined()
      expect(logged).toContain(`metrics: cannot listen on 127.0.0.1:${port}: port ${port} is in use; change metricsEndpoint.port or .address in the settings`)
      // The owner itself serves on.
      expect((await createApi(inProcessTransport(owner.engine.router)).listPrograms()).owner).toMatchObject({ pid: process.pid, local: true })
    } finally {
      await owner.close()
      await new Promise((resolve) => taken.close(resolve))
    }
  })
})
