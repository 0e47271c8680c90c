import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import { Engine } from '../../src/main/core/engine'
import type { ProctorApi } from '../../src/shared/contract'
import { ProcessController } from '../../src/main/core/control/controller'
import { LinuxInspector } from '../../src/main/core/processes/linux/linuxInspector'
import { INTERNAL_CALLER } from '../../src/shared/types/caller'
import { AuditLog } from '../../src/main/core/control/auditLog'
import { detectElevation } from '../../src/main/core/control/elevation'
import type { ActionReport } from '../../src/shared/types/control'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { NOBODY, runFixtureAs, whyUserCannotRunFixtures } from '../helpers/asUser'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

const linux = process.platform === 'linux'
const ROOT = resolve(__dirname, '../..')

function procState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  } catch {
    return undefined
  }
}

function exists(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`)
    return true
  } catch {
    return false
  }
}

function niceOf(pid: number, tid = pid): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r))

describe.runIf(linux)('process control on real processes', () => {
  let engine: Engine
  let api: ProctorApi
  let dataDir: string
  beforeAll(() => {
    dataDir = tempDir()
    engine = new Engine({ dataDir, version: 'test' })
    api = createApi(inProcessTransport(engine.router))
  })
  afterAll(() => {
    killAll()
    engine.close()
  })

  const startTimeOf = async (pid: number) => {
    const [p] = await api.findProcesses({ filter: { pid } })
    if (!p) throw new Error(`pid ${pid} not found`)
    return p.startTime
  }

  it('suspends a child into state T and resumes it', async () => {
    const child = spawnIdle(uniqueArg('suspend'))
    const pid = child.pid ?? 0
    const startTime = await waitFor(() => startTimeOf(pid).catch(() => undefined))
    const suspended = await api.suspendProcess({ pid, startTime })
    expect(suspended.results).toEqual([{ pid, startTime, name: 'node', action: 'suspend', ok: true }])
    await waitFor(() => procState(pid) === 'T', 3000, 'state T')
    const resumed = await api.resumeProcess({ pid, startTime })
    expect(resumed.results[0]?.ok).toBe(true)
    await waitFor(() => procState(pid) === 'S', 3000, 'state S')
  })

  it('terminates a child that ignores TERM with KILL after the grace', async () => {
    const child = spawnIdle(uniqueArg('stubborn'), "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)")
    const pid = child.pid ?? 0
    await new Promise((r) => setTimeout(r, 400)) // let it install its handler
    const startTime = await startTimeOf(pid)
    const t0 = Date.now()
    const report = await api.terminateProcess({ pid, startTime, graceMs: 600 })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550)
    expect(report.results[0]).toMatchObject({ ok: true, endedBy: 'KILL', signal: 'KILL' })
    await exited(child)
    expect(child.signalCode).toBe('SIGKILL')
  })

  it('terminates a well-behaved child with TERM alone', async () => {
    const child = spawnIdle(uniqueArg('polite'))
    const pid = child.pid ?? 0
    const startTime = await waitFor(() => startTimeOf(pid).catch(() => undefined))
    const report = await api.terminateProcess({ pid, startTime, graceMs: 5000 })
    expect(report.results[0]).toMatchObject({ ok: true, endedBy: 'TERM' })
    await exited(child)
    expect(child.signalCode).toBe('SIGTERM')
  })

  it('terminates a whole subtree, descendants first, leaving nothing alive and no zombie', async () => {
    const marker = uniqueArg('subtree')
    // The root waits on its stdin, not on its children: with `wait` it could exit on its own once they were
    // ended, before its own TERM (endedBy 'gone'), as it once did in CI.
    const shell = spawn('bash', ['-c', `sleep 1000 & sleep 1000 & (sleep 1000 & wait) & read _ # ${marker}`], { stdio: ['pipe', 'ignore', 'ignore'] })
    const pid = shell.pid ?? 0
    const tree = await waitFor(async () => {
      const found = await api.findProcesses({ query: 'name = sleep' })
      const t = await api.getProcessTree()
      const stack = [...t.roots]
      while (stack.length) {
        const n = stack.pop()!
        if (n.process.pid === pid) return n.descendantCount === 4 && found.length >= 3 ? n : undefined
        stack.push(...n.children)
      }
      return undefined
    }, 5000, 'the shell and its four descendants')
    const all: number[] = []
    const stack = [tree]
    while (stack.length) {
      const n = stack.pop()!
      all.push(n.process.pid)
      stack.push(...n.children)
    }
    const report = await api.terminateProcess({ pid, startTime: tree.process.startTime, tree: true, graceMs: 2000 })
    expect(report.results[0], JSON.stringify(report)).toMatchObject({ ok: true, endedBy: 'TERM' })
    expect(report.results[0]?.affected).toHaveLength(5)
    expect(report.results[0]?.affected?.[4]).toBe(pid) // the root last
    await exited(shell)
    await waitFor(() => all.every((p) => !exists(p)), 3000, 'every process of the tree to be gone')
    const zombies = readdirSync('/proc').filter((e) => /^\d+$/.test(e) && procState(Number(e)) === 'Z')
    expect(zombies.filter((z) => all.includes(Number(z)))).toEqual([])
  })

  it('refuses a wrong start time with STALE_PROCESS and leaves the process alone', async () => {
    const child = spawnIdle(uniqueArg('stale'))
    const pid = child.pid ?? 0
    const startTime = await waitFor(() => startTimeOf(pid).catch(() => undefined))
    const report = await api.killProcess({ pid, startTime: startTime - 10_000, signal: 'KILL' })
    expect(report.results[0]).toMatchObject({ ok: false, error: { code: 'STALE_PROCESS' } })
    await new Promise((r) => setTimeout(r, 200))
    expect(exists(pid)).toBe(true)
    expect(child.exitCode).toBeNull()
  })

  it('refuses pid 1, Proctor itself, its ancestors and protected names with PROTECTED', async () => {
    const report = await api.killProcess({ targets: [{ pid: 1 }, { pid: process.pid }, { pid: process.ppid }], signal: 'STOP' })
    expect(report.results.map((r) => r.error?.code)).toEqual(['PROTECTED', 'PROTECTED', 'PROTECTED'])
    expect(report.results[0]?.error?.message).toMatch(/init/)
    expect(report.results[1]?.error?.message).toMatch(/Proctor itself/)
    expect(report.results[2]?.error?.message).toMatch(/ancestor of Proctor/)
    expect(procState(process.pid)).not.toBe('T')
    const sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' })
    await api.updateSettings({ protectedNames: ['sleep'] })
    const named = await api.killProcess({ pid: sleeper.pid ?? 0 })
    expect(named.results[0]?.error?.code).toBe('PROTECTED')
    expect(named.results[0]?.error?.message).toMatch(/protected list/)
    await api.updateSettings({ protectedNames: [] })
    sleeper.kill('SIGKILL')
  })

  it('refuses a subtree that contains Proctor itself', async () => {
    const report = await api.suspendProcess({ pid: process.ppid, tree: true })
    expect(report.results[0]?.error?.code).toBe('PROTECTED')
  })

  it('sends named signals, gives each target its own result, and says NOT_FOUND for a gone pid', async () => {
    const child = spawn(
      process.execPath,
      ['-e', "process.on('SIGUSR1', () => { console.log('got USR1'); process.exit(0) }); console.log('ready'); setInterval(() => {}, 1000)"],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    // Until its handler is in, USR1 would start node's inspector instead (and the child would never exit): wait for it.
    await waitFor(() => out.includes('ready'), 15_000, 'the child to handle USR1')
    const report = await api.killProcess({ targets: [{ pid: child.pid ?? 0 }, { pid: 2 ** 31 - 1 }], signal: 'usr1' })
    expect(report.results[0]).toMatchObject({ ok: true, signal: 'USR1' })
    expect(report.results[1]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await exited(child)
    expect(out).toContain('got USR1')
  })

  it('answers bad signals and malformed targets with INVALID_ARGUMENT', async () => {
    await expect(api.killProcess({ pid: process.pid, signal: 'SIGNOPE' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: /unknown signal/ })
    await expect(api.killProcess({ pid: -5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: /pid/ })
    await expect(api.killProcess({ pid: 5, targets: [{ pid: 6 }] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: /either pid/ })
    await expect(api.reniceProcess({ pid: 5, priority: 40 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: /priority/ })
  })

  it('renices every thread, read back from /proc', async () => {
    const child = spawnIdle(uniqueArg('nice'), "new (require('worker_threads').Worker)('setInterval(()=>{},1000)', { eval: true }); setInterval(() => {}, 1000)")
    const pid = child.pid ?? 0
    await waitFor(() => readdirSync(`/proc/${pid}/task`).length >= 7, 5000, 'the worker thread')
    const report = await api.reniceProcess({ pid, priority: 12 })
    expect(report.results[0]).toMatchObject({ ok: true, nice: 12 })
    for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) expect(niceOf(pid, tid)).toBe(12)
    const raised = await api.reniceProcess({ pid, priority: -3 })
    expect(raised.results[0]).toMatchObject({ ok: true, nice: -3 })
    expect(niceOf(pid)).toBe(-3)
  })

  it('records every action and its result in the audit log', async () => {
    const entries = (await api.getAuditLog({ limit: 100 })).filter((e) => e.action !== 'settings')
    const actions = entries.map((e) => `${e.action}:${e.ok ? 'ok' : e.errorCode}`)
    expect(actions).toContain('suspend:ok')
    expect(actions).toContain('terminate:ok')
    expect(actions).toContain('signal:STALE_PROCESS')
    expect(actions).toContain('signal:PROTECTED')
    const stale = entries.find((e) => e.errorCode === 'STALE_PROCESS')
    expect(stale?.outcome).toMatch(/is now another process .*nothing was done/)
    expect(entries.length).toBeLessThanOrEqual(100)
    expect((await api.getAuditLog({ limit: 2 })).length).toBe(2)
  })

  it('with elevate, refuses clearly when no elevation method exists here', async () => {
    const child = spawnIdle(uniqueArg('elevate'))
    const report = await api.killProcess({ pid: child.pid ?? 0, elevate: true })
    const elevation = detectElevation()
    if (elevation.possible) throw new Error('this test expects a machine without pkexec and a display')
    expect(report.results[0]).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', details: { elevationPossible: false } } })
    expect(report.results[0]?.error?.message).toContain(`cannot run as administrator here: ${elevation.reason}`)
    expect(exists(child.pid ?? 0)).toBe(true)
  })

  it('with elevate, runs the action as an argv through the elevation method', async () => {
    const ran: string[][] = []
    const controller = new ProcessController({
      inspector: new LinuxInspector(),
      audit: new AuditLog(tempDir()),
      protectedNames: () => [],
      ownPids: () => [process.pid],
      elevation: () => ({ possible: true, method: 'pkexec' }),
      // Stands in for the polkit prompt: runs the argv pkexec would run, minus pkexec itself.
      runElevated: async (argv) => {
        ran.push(argv)
        execFileSync(argv[1] ?? '', argv.slice(2))
      },
    })
    const child = spawnIdle(uniqueArg('elevated'))
    const pid = child.pid ?? 0
    await waitFor(async () => (await engine.processes.list()).processes.some((p) => p.pid === pid))
    const report = await controller.run('terminate', { pid, elevate: true, graceMs: 2000 }, INTERNAL_CALLER)
    expect(report.results[0]).toMatchObject({ ok: true, endedBy: 'TERM', elevated: true })
    expect(ran).toEqual([['pkexec', '/bin/kill', '-s', 'TERM', String(pid)]])
    await exited(child)
  })

  // Needs root to switch to uid nobody; and nobody must be able to run node and read the fixture.
  const cannot = process.getuid?.() === 0 ? whyUserCannotRunFixtures(NOBODY) : 'not root: cannot run a process as uid nobody'
  describe.skipIf(cannot !== undefined)(`as an unprivileged user${cannot ? ` (skipped: ${cannot})` : ''}`, () => {
    const asNobody = (args: string[]): ActionReport =>
      JSON.parse(runFixtureAs(resolve(ROOT, 'test/fixtures/scripts/actAs.ts'), args).result.stdout) as ActionReport

    it("gets PERMISSION_DENIED on another user's process, saying whether elevation is possible", () => {
      const child = spawnIdle(uniqueArg('root-owned'))
      const report = asNobody(['kill', String(child.pid)])
      expect(report.results[0]).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', details: { elevationPossible: false } } })
      expect(report.results[0]?.error?.message).toMatch(/not permitted to send TERM to pid \d+ \(node, user root\)/)
      expect(exists(child.pid ?? 0)).toBe(true)
    })

    it('gets PERMISSION_DENIED when raising the priority of its own process, but may lower it', () => {
      const raise = asNobody(['renice', 'own', '-5'])
      expect(raise.results[0]).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
      expect(raise.results[0]?.error?.message).toMatch(/raise the priority \(nice 0 -> -5\)/)
      const lower = asNobody(['renice', 'own', '5'])
      expect(lower.results[0]).toMatchObject({ ok: true, nice: 5 })
    })
  })
})
