import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ProctorError } from '../../../src/shared/errors'
import type { Transition } from '../../../src/shared/supervisor/states'
import { tempDir } from '../../helpers/tempDir'
import { closeSupervised, supervised, transitionsOf, waitForState } from '../../helpers/supervisor'
import { waitFor } from '../../helpers/wait'

afterEach(closeSupervised)

const node = process.execPath
const ON = { enableAutoRestart: true, enableHealthChecks: true }

/** ms between each `exited` and the next `starting`, in order. */
function restartGaps(transitions: Transition[]): number[] {
  const gaps: number[] = []
  let exitedAt: number | undefined
  for (const t of transitions) {
    if (t.to === 'exited') exitedAt = t.at
    if (t.to === 'starting' && exitedAt !== undefined) {
      gaps.push(t.at - exitedAt)
      exitedAt = undefined
    }
  }
  return gaps
}

/** Zombies among this process's children: none may be left. */
function zombieChildren(): number[] {
  const children = readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  )
  return children.filter((pid) => {
    try {
      return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))
    } catch {
      return false
    }
  })
}

describe('the supervisor service', () => {
  it('restarts a crashing program on the schedule of its policy, then gives up as fatal with a notification', async () => {
    const s = supervised(ON)
    await s.api.addProgram({
      program: { name: 'crash', command: 'sh', args: ['-c', 'exit 3'], startSeconds: 0, restartDelayMs: 150, restartBackoffMultiplier: 2, maxRestartAttempts: 3 },
      start: true,
    })
    const fatal = await waitForState(s.api, 'crash', 'fatal', 8000)
    expect(fatal.reason).toMatch(/^exited with code 3 after 0\.\d s; ended 4 times in a row without staying up 30 s \(at most 3 restarts\)$/)
    const gaps = restartGaps(fatal.transitions)
    const expected = [150, 300, 600]
    expect(gaps).toHaveLength(3)
    gaps.forEach((gap, i) => {
      const want = expected[i] ?? 0
      expect(gap).toBeGreaterThanOrEqual(want - 5)
      expect(gap).toBeLessThanOrEqual(want * 1.1 + 100)
    })
    expect(s.notifications).toHaveLength(1)
    expect(s.notifications[0]?.title).toContain('crash')
    expect((await s.api.listPrograms()).programs[0]?.totalRestarts).toBe(3)
  })

  it('leaves an exited program alone while auto-restart is off, and says so in the overview', async () => {
    const s = supervised({ enableAutoRestart: false })
    await s.api.addProgram({ program: { name: 'once', command: 'sh', args: ['-c', 'exit 1'], startSeconds: 0, restartDelayMs: 0 }, start: true })
    await waitForState(s.api, 'once', 'exited')
    await new Promise((r) => setTimeout(r, 200))
    const o = await s.api.listPrograms()
    expect(o.autoRestart).toBe(false)
    expect(o.programs[0]?.state).toBe('exited')
    expect(o.programs[0]?.totalRestarts).toBe(0)
  })

  it('does not restart a clean exit under on-failure, and does under always', async () => {
    const s = supervised(ON)
    await s.api.addProgram({ program: { name: 'ok', command: 'true', startSeconds: 0, restartDelayMs: 0 }, start: true })
    await s.api.addProgram({ program: { name: 'again', command: 'true', startSeconds: 0, restartDelayMs: 0, restart: 'always', maxRestartAttempts: 2 }, start: true })
    await waitForState(s.api, 'again', 'fatal')
    expect((await s.api.getProgram({ name: 'ok' })).state).toBe('exited')
  })

  it('leaves no zombie after 200 crash and restart cycles', async () => {
    const s = supervised(ON)
    await s.api.addProgram({
      program: { name: 'loop', command: 'sh', args: ['-c', 'exit 1'], startSeconds: 0, restartDelayMs: 0, maxRestartAttempts: 200 },
      start: true,
    })
    await waitForState(s.api, 'loop', 'fatal', 30_000)
    expect((await s.api.listPrograms()).programs[0]?.totalRestarts).toBe(200)
    expect(zombieChildren()).toEqual([])
  }, 40_000)

  it('is running only once its log line says it is ready', async () => {
    const s = supervised(ON)
    const script = 'setTimeout(() => console.log("server listening on 1234"), 400); setInterval(() => {}, 1000)'
    await s.api.addProgram({ program: { name: 'web', command: node, args: ['-e', script], ready: { kind: 'log', pattern: 'listening on \\d+' } }, start: true })
    const started = Date.now()
    expect((await s.api.getProgram({ name: 'web' })).state).toBe('starting')
    const running = await waitForState(s.api, 'web', 'running')
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
    expect(running.reason).toMatch(/ready: .*listening on 1234/)
  })

  it('is running once its TCP port accepts, and fails visibly when it never does', async () => {
    const s = supervised(ON)
    const port = await freePort()
    const script = `setTimeout(() => require("net").createServer().listen(${port}, "127.0.0.1"), 300)`
    await s.api.addProgram({ program: { name: 'tcp', command: node, args: ['-e', script], ready: { kind: 'tcp', port } }, start: true })
    await waitForState(s.api, 'tcp', 'running')
    await s.api.addProgram({
      program: { name: 'mute', command: 'sleep', args: ['30'], restart: 'never', readyTimeoutMs: 300, ready: { kind: 'tcp', port: await freePort() } },
      start: true,
    })
    const exited = await waitForState(s.api, 'mute', 'exited')
    expect(exited.reason).toMatch(/not ready/)
  })

  it('restarts a program whose HTTP check fails', async () => {
    const s = supervised(ON)
    const port = await freePort()
    const script = `require("http").createServer((q, r) => { r.statusCode = 503; r.end() }).listen(${port}, "127.0.0.1")`
    await s.api.addProgram({
      program: {
        name: 'sick',
        command: node,
        args: ['-e', script],
        startSeconds: 0,
        restartDelayMs: 0,
        health: { checks: [{ kind: 'http', url: `http://127.0.0.1:${port}/` }], intervalMs: 250, unhealthyThreshold: 2 },
      },
      start: true,
    })
    const restarted = await waitFor(async () => {
      const p = await s.api.getProgram({ name: 'sick' })
      return p.transitions.find((t) => t.to === 'exited' && /unhealthy/.test(t.reason)) && p.totalRestarts > 0 ? p : undefined
    }, 8000)
    expect(restarted.transitions.find((t) => /unhealthy/.test(t.reason))?.reason).toMatch(/HTTP 503/)
  })

  it('restarts a program above its memory limit', async () => {
    const s = supervised(ON)
    const script = 'const b = Buffer.alloc(160 * 1024 * 1024, 1); setInterval(() => b[0]++, 100)'
    await s.api.addProgram({
      program: {
        name: 'fat',
        command: node,
        args: ['-e', script],
        startSeconds: 0,
        restartDelayMs: 0,
        health: { checks: [{ kind: 'memory', maxBytes: 96 * 1024 * 1024 }], intervalMs: 250, unhealthyThreshold: 1 },
      },
      start: true,
    })
    const p = await waitFor(async () => {
      const d = await s.api.getProgram({ name: 'fat' })
      return d.totalRestarts > 0 ? d : undefined
    }, 8000)
    expect(p.transitions.find((t) => /unhealthy/.test(t.reason))?.reason).toMatch(/MiB/)
    // The run that restarted at once is stopped by a stop (the last run's stop, still settling its sweep, is not taken for its own).
    const running = await waitFor(async () => (await s.api.getProgram({ name: 'fat' })).pid, 5000, 'the restarted run')
    await s.api.stopProgram({ name: 'fat' })
    expect((await s.api.getProgram({ name: 'fat' })).state).toBe('stopped')
    expect(() => process.kill(running, 0)).toThrow()
  })

  it('a stop that comes while an unhealthy run is being ended leaves it stopped: no restart after the stop', async () => {
    const s = supervised(ON)
    // Ignores TERM, so the unhealthy run's end takes the stop timeout: the user's stop lands in the middle of it.
    // Unhealthy only once its handler is in place (the file says so): a loaded machine can take longer to start node than a check round.
    const armed = join(tempDir(), 'armed')
    const script = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(armed)}, ''); setInterval(() => {}, 1000)`
    await s.api.addProgram({
      program: {
        name: 'sick',
        command: node,
        args: ['-e', script],
        startSeconds: 0,
        restartDelayMs: 0,
        stopTimeoutMs: 600,
        health: { checks: [{ kind: 'command', command: 'test', args: ['!', '-e', armed] }], intervalMs: 250, unhealthyThreshold: 1 },
      },
      start: true,
    })
    await waitFor(async () => (await s.api.getProgram({ name: 'sick' })).state === 'stopping', 8000, 'the unhealthy run being ended')
    const report = await s.api.stopProgram({ name: 'sick' })
    expect(report.graceful).toBe(false)
    await new Promise((r) => setTimeout(r, 500))
    const after = await s.api.getProgram({ name: 'sick' })
    expect(after.state, JSON.stringify(after.transitions.slice(-4))).toBe('stopped')
    expect(after.pid).toBeUndefined()
    expect(after.transitions.filter((t) => t.to === 'starting')).toHaveLength(1)
  })

  it('starts dependencies first and waits for their condition; stops dependents first', async () => {
    const s = supervised(ON)
    const db = 'setTimeout(() => console.log("ready to accept connections"), 300); setInterval(() => {}, 1000)'
    await s.api.addProgram({ program: { name: 'db', command: node, args: ['-e', db], ready: { kind: 'log', pattern: 'ready to accept' } } })
    await s.api.addProgram({ program: { name: 'api', command: 'sleep', args: ['30'], startSeconds: 0, dependsOn: [{ name: 'db', condition: 'ready' }] } })
    await s.api.addProgram({ program: { name: 'web', command: 'sleep', args: ['30'], startSeconds: 0, dependsOn: [{ name: 'api' }] } })
    await s.api.startProgram({ name: 'web' })
    const at = async (name: string, to: string) => (await transitionsOf(s.api, name)).find((t) => t.to === to)?.at ?? NaN
    expect(await at('api', 'starting')).toBeGreaterThanOrEqual(await at('db', 'running'))
    expect(await at('web', 'starting')).toBeGreaterThanOrEqual(await at('api', 'starting'))

    const report = await s.api.stopProgram({ name: 'db' })
    expect(report.dependents.sort()).toEqual(['api', 'web'])
    expect(await at('web', 'stopped')).toBeLessThanOrEqual(await at('api', 'stopping'))
    expect(await at('api', 'stopped')).toBeLessThanOrEqual(await at('db', 'stopping'))
  })

  it('fails a start visibly when a dependency is not ready in time', async () => {
    const s = supervised(ON)
    await s.api.addProgram({ program: { name: 'slow', command: 'sleep', args: ['30'], ready: { kind: 'log', pattern: 'never printed' } } })
    await s.api.addProgram({ program: { name: 'needs', command: 'sleep', args: ['30'], readyTimeoutMs: 300, dependsOn: [{ name: 'slow', condition: 'ready' }] } })
    const err = await s.api.startProgram({ name: 'needs' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProctorError)
    expect((err as ProctorError).code).toBe('TIMEOUT')
    expect((err as ProctorError).message).toMatch(/"needs" waited 300 ms for slow to be ready; it is starting/)
    const needs = await s.api.getProgram({ name: 'needs' })
    expect(needs.state).toBe('stopped')
    expect(needs.startError).toMatch(/waited 300 ms/)
  })

  it('refuses a dependency cycle, naming it', async () => {
    const s = supervised()
    await s.api.addProgram({ program: { name: 'a', command: 'true' } })
    await s.api.addProgram({ program: { name: 'b', command: 'true', dependsOn: [{ name: 'a' }] } })
    const err = await s.api.editProgram({ name: 'a', changes: { dependsOn: [{ name: 'b' }] } }).catch((e: unknown) => e)
    expect((err as ProctorError).code).toBe('INVALID_ARGUMENT')
    expect((err as ProctorError).message).toMatch(/dependency cycle: a -> b -> a|dependency cycle: b -> a -> b/)
  })

  it('records every change in the audit log with who asked, failures too', async () => {
    const s = supervised()
    await s.api.addProgram({ program: { name: 'a', command: 'sleep', args: ['30'], startSeconds: 0 }, start: true })
    await s.api.stopProgram({ name: 'a' })
    await s.api.removeProgram({ name: 'nope' }).catch(() => {})
    const entries = (await s.api.getAuditLog({ limit: 10 })).filter((e) => e.action === 'program')
    expect(entries.map((e) => [e.verb, e.name, e.ok])).toEqual([
      ['add', 'a', true],
      ['stop', 'a', true],
      ['remove', 'nope', false],
    ])
    expect(entries[0]?.outcome).toMatch(/running, pid \d+/)
    expect(entries[2]).toMatchObject({ errorCode: 'NOT_FOUND', caller: { kind: 'internal' } })
  })

  it('stops what a dead owner left running, by identity, and starts it again under capture', async () => {
    const first = supervised(ON)
    const script = 'require("child_process").spawn("sleep", ["30"], { detached: true, stdio: "ignore" }); setInterval(() => {}, 1000)'
    await first.api.addProgram({ program: { name: 'left', command: node, args: ['-e', script], startSeconds: 0 }, start: true })
    const old = await waitFor(async () => {
      const p = await first.api.getProgram({ name: 'left' })
      return p.descendants > 0 ? p : undefined
    }, 5000, 'the detached child')
    // The owner goes without stopping anything, as after kill -9: its record on disk is all that is left.
    await (first.service as unknown as { startRecord: { flush(): Promise<void> } }).startRecord.flush()
    first.service.close()
    first.engine.close()
    const second = supervised(ON, first.dataDir)
    await second.service.begin()
    const overview = await second.api.listPrograms()
    expect(overview.notices.join(' ')).toMatch(/left running by a Proctor that ended.*left, pid \d+/)
    const now = await waitForState(second.api, 'left', 'running')
    expect(now.pid).not.toBe(old.pid)
    for (const pid of old.pids) expect(alive(pid)).toBe(false)
    expect((await second.api.getProgram({ name: 'left' })).transitions[0]?.reason).toBe('started again under capture')
  })

  it('starts again what ran under unless-stopped at a clean stop, and everything that ran when handed over', async () => {
    const first = supervised()
    await first.api.addProgram({ program: { name: 'kept', command: 'sleep', args: ['30'], startSeconds: 0, restart: 'unless-stopped' }, start: true })
    await first.api.addProgram({ program: { name: 'plain', command: 'sleep', args: ['30'], startSeconds: 0 }, start: true })
    await first.api.addProgram({ program: { name: 'stopped', command: 'sleep', args: ['30'], startSeconds: 0, restart: 'unless-stopped' } })
    await first.close()
    const second = supervised({}, first.dataDir)
    await second.service.begin()
    const states = async (s: typeof second) => Object.fromEntries((await s.api.listPrograms()).programs.map((p) => [p.name, p.state]))
    expect(await states(second)).toEqual({ kept: 'running', plain: 'stopped', stopped: 'stopped' })
    await second.api.startProgram({ name: 'plain' })
    await second.service.shutdown({ handOver: true })
    second.engine.close()
    const third = supervised({}, first.dataDir)
    await third.service.begin()
    expect(await states(third)).toEqual({ kept: 'running', plain: 'running', stopped: 'stopped' })
    expect((await third.api.getProgram({ name: 'plain' })).transitions[0]?.reason).toBe('running when the previous owner stopped')
  })

  it('adopts a running process: its argv, cwd and environment drafted, then stopped and started under Proctor', async () => {
    const s = supervised()
    const tag = `adopt-${process.pid}-${Date.now()}`
    const child = spawn(node, ['-e', 'setInterval(() => {}, 1000)', tag], { cwd: '/tmp', env: { ...process.env, ADOPT_ME: tag }, stdio: 'ignore' })
    await waitFor(() => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes(tag), 3000, 'the exec')
    const draft = await s.api.draftAdoption({ pid: child.pid ?? 0 })
    expect(draft.program).toMatchObject({ name: 'node', command: node, args: ['-e', 'setInterval(() => {}, 1000)', tag], cwd: '/tmp', env: { mode: 'add', vars: { ADOPT_ME: tag } } })
    expect(draft.unreadable).toEqual([])
    const status = await s.api.adoptProcess({ pid: draft.pid, startTime: draft.startTime, program: draft.program })
    expect(status.state).toBe('starting')
    expect(status.pid).not.toBe(child.pid)
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, 6000, 'the adopted process to end')
    expect(readFileSync(`/proc/${status.pid}/cmdline`, 'utf8').split('\0')).toContain(tag)
  })

  it('streams the overview on changes and log lines as they arrive', async () => {
    const s = supervised(ON)
    await s.api.addProgram({ program: { name: 'talk', command: node, args: ['-e', 'let i = 0; setInterval(() => console.log("line " + i++), 20)'], startSeconds: 0 } })
    const states: string[] = []
    const lines: string[] = []
    const off1 = s.api.subscribeToPrograms((o) => states.push(o.programs[0]?.state ?? ''))
    const off2 = s.api.subscribeToProgramLogs({ name: 'talk' }, (batch) => lines.push(...batch.map((l) => l.text)))
    await s.api.startProgram({ name: 'talk' })
    await waitFor(() => lines.length >= 5, 5000, 'log lines')
    await waitFor(() => states.includes('running'), 5000, 'a running overview')
    expect(lines.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2'])
    const logs = await s.api.getProgramLogs({ name: 'talk', lines: 2 })
    expect(logs.lines).toHaveLength(2)
    off1()
    off2()
  })
})

function alive(pid: number): boolean {
  try {
    return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))
  } catch {
    return false
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}
