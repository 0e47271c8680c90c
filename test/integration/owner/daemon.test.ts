import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectToOwner, readOwnerRecord } from '../../../src/main/core/owner/controlClient'
import { startControlServer } from '../../../src/main/core/owner/controlServer'
import { LOCK_FILE, OwnerLock } from '../../../src/main/core/owner/ownerLock'
import { stubRouter } from '../../helpers/stubRouter'
import { NO_OWNER_MESSAGE } from '../../../src/main/core/supervisor/slice'
import type { ProgramLogs, ProgramsOverview, ProgramStatus, StopReport } from '../../../src/shared/supervisor/status'
import { bundledCli } from '../../helpers/bundledCli'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/*
 * `proctor daemon` and the CLI as the user runs them: real processes
 * (tsx), a real control socket, real programs. One daemon is shared by the
 * tests in order, to keep the number of spawns (about a second each) down.
 */

const ROOT = resolve(__dirname, '../../..')

const CLI = bundledCli()

interface Run {
  child: ChildProcess
  out: () => string
  err: () => string
  exit: Promise<number | null>
}

const started: ChildProcess[] = []

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, out: () => out, err: () => err, exit }
}

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = run(args, env)
  const code = await r.exit
  return { code, stdout: r.out(), stderr: r.err() }
}

/** A daemon for `dataDir`, once it says where it listens. */
async function daemon(dataDir: string, env: Record<string, string>): Promise<Run> {
  const d = run(['daemon', '--data-dir', dataDir], env)
  await waitFor(() => /listening on /.test(d.out()) || d.child.exitCode !== null, 20_000, 'the daemon to listen')
  expect(d.out(), d.err()).toMatch(new RegExp(`^proctor daemon: pid ${d.child.pid} supervises the programs of ${dataDir}; listening on ${env.PROCTOR_RUNTIME_DIR}/control.sock\\n$`))
  return d
}

describe('proctor daemon and the CLI through it', () => {
  const dataDir = tempDir()
  const runtimeDir = join(tempDir('pr-'), 'rt')
  const env = { PROCTOR_RUNTIME_DIR: runtimeDir }
  let owner: Run

  beforeAll(async () => {
    owner = await daemon(dataDir, env)
  })
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })

  it('a second daemon refuses to supervise, naming the owner; serve becomes its client; no owner says how to start one', async () => {
    const staticDir = tempDir()
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Proctor</title>')
    const serve = run(['serve', '--data-dir', dataDir], { ...env, PROCTOR_RENDERER_DIR: staticDir })
    const otherData = tempDir()
    const [second, none] = await Promise.all([
      cli(['daemon', '--data-dir', dataDir], env),
      cli(['programs', 'list', '--data-dir', otherData], { PROCTOR_RUNTIME_DIR: join(tempDir('pr-'), 'rt') }),
    ])
    expect(second.code).toBe(1)
    expect(second.stderr).toContain(`already supervised by \`proctor daemon\` (or \`proctor serve\`), pid ${owner.child.pid}`)
    expect(second.stderr).toContain(`listening on ${runtimeDir}/control.sock`)
    expect(none.code).toBe(1)
    expect(none.stderr).toBe(`proctor: UNAVAILABLE: ${NO_OWNER_MESSAGE}\n`)

    // Its stderr line, then its URL on stdout: two pipes, either may arrive first.
    await waitFor(() => (/supervised by proctor daemon/.test(serve.err()) && /\n$/.test(serve.out())) || serve.child.exitCode !== null, 20_000, 'serve to start')
    expect(serve.err()).toContain(`the programs are supervised by proctor daemon (pid ${owner.child.pid}); this page shows them through it`)
    expect(serve.out()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/)
    serve.child.kill('SIGTERM')
    expect(await serve.exit).toBe(0)
    // The client went; the owner's socket and record stay.
    expect(readOwnerRecord(runtimeDir)?.pid).toBe(owner.child.pid)
  })

  it('programs add/start/list/logs/stop/remove round-trip as JSON through the daemon', async () => {
    const script = "let n = 0; setInterval(() => console.log('tick ' + n++), 100)"
    const added = await cli(['programs', 'add', 'ticker', '--data-dir', dataDir, '--json', '--env', 'GREETING=hi', '--', process.execPath, '-e', script], env)
    expect(added.code, added.stderr).toBe(0)
    const status = JSON.parse(added.stdout) as ProgramStatus
    expect(status).toMatchObject({ name: 'ticker', state: 'stopped', program: { command: process.execPath, args: ['-e', script], cwd: ROOT, env: { vars: { GREETING: 'hi' } } } })

    const start = await cli(['programs', 'start', 'ticker', '--data-dir', dataDir, '--json'], env)
    expect(start.code, start.stderr).toBe(0)
    const running = JSON.parse(start.stdout) as ProgramStatus
    expect(running.pid).toBeGreaterThan(0)

    const [list, table] = await Promise.all([cli(['programs', 'list', '--data-dir', dataDir, '--json'], env), cli(['programs', 'list', '--data-dir', dataDir], env)])
    const overview = JSON.parse(list.stdout) as ProgramsOverview
    expect(overview.owner).toMatchObject({ kind: 'daemon', pid: owner.child.pid, local: true })
    expect(overview.programs.map((p) => [p.name, p.pid])).toEqual([['ticker', running.pid]])
    expect(table.stdout).toMatch(/^NAME\s+STATE\s+PID\s+UPTIME\s+RESTARTS\s+CPU%\s+MEM\s+HEALTH\n/)
    expect(table.stdout).toMatch(new RegExp(`^ticker\\s+(starting|running)\\s+${running.pid}\\s`, 'm'))

    const logs = await waitFor(async () => {
      const r = await cli(['logs', 'ticker', '--lines', '2', '--data-dir', dataDir, '--json'], env)
      const parsed = JSON.parse(r.stdout) as ProgramLogs
      return parsed.lines.length === 2 ? parsed : undefined
    }, 15_000, 'two lines of output')
    expect(logs.lines.map((l) => l.stream)).toEqual(['stdout', 'stdout'])
    expect(logs.lines[0]?.text).toMatch(/^tick \d+$/)

    // --follow goes on printing new lines until interrupted.
    const follow = run(['logs', 'ticker', '--follow', '--lines', '1', '--stream', 'stdout', '--data-dir', dataDir], env)
    await waitFor(() => follow.out().split('\n').filter(Boolean).length >= 3, 15_000, 'followed lines')
    expect(follow.out().split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z out \| tick \d+$/)
    follow.child.kill('SIGINT')
    expect(await follow.exit).toBe(0)

    const stop = await cli(['programs', 'stop', 'ticker', '--data-dir', dataDir, '--json'], env)
    expect(stop.code, stop.stderr).toBe(0)
    expect((JSON.parse(stop.stdout) as StopReport).name).toBe('ticker')
    const remove = await cli(['programs', 'remove', 'ticker', '--data-dir', dataDir], env)
    expect(remove.stdout).toBe('removed ticker\n')
    const missing = await cli(['programs', 'show', 'ticker', '--data-dir', dataDir], env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^proctor: NOT_FOUND: /)
  })

  it('waits for an owner that holds the lock but does not listen yet (it is starting), rather than saying there is none', async () => {
    const data = tempDir()
    const rt = join(tempDir('pr-'), 'rt')
    const lock = OwnerLock.acquire(data, 'daemon')
    if (!lock.acquired) throw new Error('expected the lock')
    const pending = run(['programs', 'list', '--json', '--data-dir', data], { PROCTOR_RUNTIME_DIR: rt })
    await waitFor(() => pending.err().includes(`the owner (daemon, pid ${process.pid}) is starting; waiting for it to listen`), 20_000, 'the CLI to wait')
    // The owner (here the test, with a stub router) listens at last.
    const server = await startControlServer({ router: stubRouter().router, runtimeDir: rt, owner: { pid: process.pid, startTicks: lock.lock.holder.startTicks, kind: 'daemon', since: Date.now(), dataDir: data } })
    try {
      expect(await pending.exit, pending.err()).toBe(0)
      expect(JSON.parse(pending.out())).toEqual({ name: 'listPrograms', arg: null })
    } finally {
      await server.close()
      lock.lock.release()
    }
  })

  it('says when checks are configured but off, and programs enable turns them on through the owner', async () => {
    const added = await cli(['programs', 'add', 'checked', '--data-dir', dataDir, '--', 'sleep', '30'], env)
    expect(added.code, added.stderr).toBe(0)
    const edit = await cli(['programs', 'edit', 'checked', '--data-dir', dataDir, '--set', 'health={"checks":[{"kind":"alive"}]}'], env)
    expect(edit.code, edit.stderr).toBe(0)
    const before = await cli(['programs', 'list', '--data-dir', dataDir], env)
    expect(before.stdout).toContain('health checks are configured for 1 program but off: `proctor programs enable health-checks` turns them on')
    const enable = await cli(['programs', 'enable', 'health-checks', '--data-dir', dataDir], env)
    expect(enable.stdout).toBe('health checks are on\n')
    const after = await cli(['programs', 'list', '--data-dir', dataDir, '--json'], env)
    expect((JSON.parse(after.stdout) as ProgramsOverview).healthChecks).toBe(true)
    const bad = await cli(['programs', 'enable', 'everything', '--data-dir', dataDir], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/give health-checks or auto-restart, not "everything"/)
    await cli(['programs', 'disable', 'health-checks', '--data-dir', dataDir], env)
    expect((await cli(['programs', 'remove', 'checked', '--data-dir', dataDir], env)).code).toBe(0)
  })

  it('ipc: says it is off and how to turn it on; on, a registered process connects and answers a request from the CLI', async () => {
    const off = await cli(['ipc', '--data-dir', dataDir], env)
    expect(off.stdout).toBe('IPC is off: programs get no IPC token and nothing listens; `proctor ipc on` turns it on\n')
    const refused = await cli(['ipc', 'send', 'nobody', '{}', '--data-dir', dataDir], env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^proctor: UNAVAILABLE: the IPC broker is off: .*`proctor ipc on`/)
    const on = await cli(['ipc', 'on', '--data-dir', dataDir], env)
    expect(on.stdout).toBe(`IPC is on: listening on ${runtimeDir}/ipc-broker.sock; programs get their token from their next start\n`)

    // A process Proctor did not start: registered by pid; it is handed its token (here on stdin) and connects.
    const tool = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/scripts/ipcProgram.ts')], { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] })
    started.push(tool)
    const reg = await cli(['ipc', 'register', String(tool.pid), '--name', 'tool', '--data-dir', dataDir, '--json'], env)
    expect(reg.code, reg.stderr).toBe(0)
    const r = JSON.parse(reg.stdout) as { id: string; token: string; socket: string }
    expect(r).toMatchObject({ name: 'tool', pid: tool.pid, socket: `${runtimeDir}/ipc-broker.sock` })
    tool.stdin?.write(`${r.socket} ${r.token}\n`)
    const asked = await waitFor(async () => {
      const reply = await cli(['ipc', 'request', r.id, '{"a":1}', '--data-dir', dataDir], env)
      return reply.code === 0 && reply
    }, 15_000, 'the registered process to connect and answer')
    expect(asked.stdout).toMatch(new RegExp(`^\\{"echo":\\{"a":1\\},"pid":${tool.pid}\\}\\n\\(from ${r.id} in \\d+ ms\\)\\n$`))
    const listed = await cli(['ipc', 'status', '--data-dir', dataDir], env)
    expect(listed.stdout).toMatch(new RegExp(`\\n${r.id.replace(':', '\\:')}\\s+tool\\s+${tool.pid}\\s`))
    const gone = await cli(['ipc', 'unregister', r.id, '--data-dir', dataDir], env)
    expect(gone.stdout).toBe(`unregistered ${r.id} and closed its connection\n`)
    tool.kill('SIGKILL')

    const status = await cli(['ipc', 'status', '--data-dir', dataDir], env)
    expect(status.stdout.split('\n')[0]).toBe(`listening on ${runtimeDir}/ipc-broker.sock`)
    expect(status.stdout).toContain('no connections')
    const bad = await cli(['ipc', 'send', 'x', '{nope', '--data-dir', dataDir], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^proctor: ipc send: the message is not JSON/)
    const missing = await cli(['ipc', 'request', 'nobody', '{"a":1}', '--data-dir', dataDir], env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^proctor: NOT_FOUND: /)
    await cli(['ipc', 'off', '--data-dir', dataDir], env)
  })

  it('adopt prints the draft and does nothing without --yes; with --yes the process runs as a program', async () => {
    const stray = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'stray-marker'], { stdio: 'ignore' })
    started.push(stray)
    const pid = await waitFor(() => stray.pid, 2000)
    const dry = await cli(['adopt', String(pid), '--data-dir', dataDir], env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain(`pid ${pid} as program `)
    expect(dry.stdout).toMatch(/Nothing was done: run again with --yes to adopt it \(proctor adopt \d+ --start-time \d+ --yes\)/)
    expect(stray.exitCode).toBeNull()

    const res = await cli(['adopt', String(pid), '--name', 'adopted', '--yes', '--json', '--data-dir', dataDir], env)
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout) as { adopted: boolean; status: ProgramStatus }
    expect(out.adopted).toBe(true)
    expect(out.status).toMatchObject({ name: 'adopted', program: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', 'stray-marker'] } })
    expect(out.status.pid).not.toBe(pid)
    await waitFor(() => stray.exitCode !== null || stray.signalCode !== null, 10_000, 'the adopted process to be stopped')
    const removed = await cli(['programs', 'remove', 'adopted', '--data-dir', dataDir], env)
    expect(removed.code, removed.stderr).toBe(0)
  })

  it('the registry survives kill -9 of the owner: a new daemon takes over the lock, the socket and the programs', async () => {
    const add = await cli(['programs', 'add', 'keeper', '--data-dir', dataDir, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)'], env)
    expect(add.code, add.stderr).toBe(0)
    owner.child.kill('SIGKILL')
    await owner.exit
    // What a kill -9 leaves: the lock, the socket file, owner.json naming a dead pid.
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true)
    expect(existsSync(join(runtimeDir, 'control.sock'))).toBe(true)
    expect(readOwnerRecord(runtimeDir)).toBeUndefined()

    const next = await daemon(dataDir, env)
    const connection = await connectToOwner(runtimeDir)
    try {
      expect(connection.owner.pid).toBe(next.child.pid)
      const overview = await connection.api.listPrograms()
      expect(overview.programs.map((p) => p.name)).toEqual(['keeper'])
    } finally {
      connection.close()
    }
    next.child.kill('SIGTERM')
    expect(await next.exit).toBe(0)
    // A clean exit leaves nothing behind.
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    expect(existsSync(join(runtimeDir, 'control.sock'))).toBe(false)
    expect(existsSync(join(runtimeDir, 'owner.json'))).toBe(false)
  })

  it('--start-daemon starts a detached daemon, waits until it listens, then does what was asked', async () => {
    const res = await cli(['programs', 'list', '--start-daemon', '--json', '--data-dir', dataDir], env)
    const record = readOwnerRecord(runtimeDir)
    try {
      expect(res.code, res.stderr).toBe(0)
      expect(res.stderr).toContain(`started \`proctor daemon\` for ${dataDir} (its output: ${join(dataDir, 'daemon.log')})`)
      const overview = JSON.parse(res.stdout) as ProgramsOverview
      expect(overview.owner.pid).toBe(record?.pid)
      expect(overview.programs.map((p) => p.name)).toEqual(['keeper'])
      expect(readFileSync(join(dataDir, 'daemon.log'), 'utf8')).toContain('listening on')
    } finally {
      if (record) process.kill(record.pid, 'SIGTERM')
    }
    await waitFor(() => !existsSync(join(runtimeDir, 'owner.json')), 10_000, 'the started daemon to exit')
  })
})
