import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { environHas, scanProcs } from '../../../src/main/core/supervisor/procTree'
import { tempDir } from '../../helpers/tempDir'
import { closeSupervised, supervised, transitionsOf } from '../../helpers/supervisor'
import { waitFor } from '../../helpers/wait'

afterEach(closeSupervised)

describe('a run that ends on its own while what it left is being stopped', () => {
  it('ends as its exit says: a health check failing meanwhile does not turn an exit 0 into unhealthy (and a restart)', async () => {
    const s = supervised({ enableAutoRestart: true, enableHealthChecks: true })
    // Exits 0 after a second, leaving a child that ignores TERM: the stop of what it left takes the stop timeout,
    // and every health round meanwhile finds the program's own process gone.
    await s.api.addProgram({
      program: {
        name: 'done',
        command: 'sh',
        args: ['-c', 'trap "" TERM; sleep 30 & sleep 1; exit 0'],
        restart: 'on-failure',
        startSeconds: 0,
        stopTimeoutMs: 2000,
        restartDelayMs: 50,
        health: { checks: [{ kind: 'alive' }], intervalMs: 250, unhealthyThreshold: 1 },
      },
      start: true,
    })
    await waitFor(async () => (await s.api.getProgram({ name: 'done' })).health.status === 'healthy', 5000, 'a healthy run')
    const ended = await waitFor(async () => (await transitionsOf(s.api, 'done')).find((t) => t.to === 'exited'), 10_000, 'the run to end')
    expect(ended.reason).toMatch(/^exited with code 0 after 1\.\d s$/)
    // on-failure: an exit 0 is not restarted; nothing else happens after it.
    await new Promise((r) => setTimeout(r, 500))
    const after = await s.api.getProgram({ name: 'done' })
    expect(after.transitions.map((t) => t.to)).toEqual(['starting', 'running', 'exited'])
    expect(after.lastExit).toMatchObject({ code: 0, signal: null })
    expect(after.totalRestarts).toBe(0)
  })

  it('ends as its exit says when that exit is not seen yet: a check that finds it exited first does not make it unhealthy', async () => {
    const s = supervised({ enableAutoRestart: true, enableHealthChecks: true })
    const fifo = join(tempDir('exit-'), 'wait')
    execFileSync('mkfifo', [fifo])
    await s.api.addProgram({
      program: {
        name: 'quick',
        command: 'sh',
        args: ['-c', `trap 'exit 0' USR1; read x <> "${fifo}"`],
        restart: 'on-failure',
        startSeconds: 0,
        restartDelayMs: 50,
        health: { checks: [{ kind: 'alive' }], intervalMs: 250, unhealthyThreshold: 1 },
      },
      start: true,
    })
    const { pid } = await waitFor(async () => {
      const p = await s.api.getProgram({ name: 'quick' })
      return p.health.status === 'healthy' && p
    }, 5000, 'a healthy run')
    await new Promise((r) => setTimeout(r, 200))
    process.kill(pid!, 'SIGUSR1')
    // The event loop held, as on a loaded machine, while it exits: a check's timer then runs before the exit is seen.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600)
    const ended = await waitFor(async () => (await transitionsOf(s.api, 'quick')).find((t) => t.to === 'exited'), 10_000, 'the run to end')
    expect(ended.reason).toMatch(/^exited with code 0 after \d+\.\d s$/)
    await new Promise((r) => setTimeout(r, 300))
    const after = await s.api.getProgram({ name: 'quick' })
    expect(after.transitions.map((t) => t.to)).toEqual(['starting', 'running', 'exited'])
    expect(after.totalRestarts).toBe(0)
  })
})

describe('what a run leaves in a session of its own', () => {
  it('stops the grandchildren too of an orphan found by its marker, when the run ends before they were ever seen', async () => {
    const s = supervised({ enableAutoRestart: true })
    const tag = `LEFT_TAG=${Date.now()}-${process.pid}`
    // The leader starts a session of its own (setsid) holding a child and a grandchild, then exits at once:
    // no walk of the tree has seen either, and the session's leader is an orphan only its marker finds.
    await s.api.addProgram({
      program: {
        name: 'leaver',
        command: 'sh',
        args: ['-c', 'setsid sh -c "sleep 300 & exec sleep 301" & sleep 0.3; exit 3'],
        env: { vars: { LEFT_TAG: tag.split('=')[1]! } },
        restart: 'never',
        startSeconds: 0,
      },
      start: true,
    })
    await waitFor(async () => (await transitionsOf(s.api, 'leaver')).find((t) => t.to === 'exited'), 10_000, 'the run to end')
    // The sweep after the exit runs in the background: give it the time it takes.
    const left = await waitFor(async () => {
      const found: string[] = []
      for (const p of await scanProcs()) if (await environHas(p.pid, tag)) found.push(`${p.pid} ${p.comm}`)
      return found.length === 0 ? found : undefined
    }, 5000, 'nothing of the run left').catch(async () => {
      const found: string[] = []
      for (const p of await scanProcs()) if (await environHas(p.pid, tag)) found.push(`${p.pid} ${p.comm} (parent ${p.ppid})`)
      for (const f of found) process.kill(Number(f.split(' ')[0]), 'SIGKILL')
      return found
    })
    expect(left).toEqual([])
  })
})
