import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseProgram, type ProgramInput } from '../../../src/shared/supervisor/program'
import { ProgramLogs } from '../../../src/main/core/supervisor/logs'
import { readProc, scanProcs } from '../../../src/main/core/supervisor/procTree'
import { TreeWatch } from '../../../src/main/core/supervisor/programTree'
import { ProgramRunner, type ExitInfo } from '../../../src/main/core/supervisor/runner'
import { findLeftBehind, START_RECORD_FILE, StartRecord } from '../../../src/main/core/supervisor/startRecord'
import { uniqueArg } from '../../helpers/children'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

const runners: ProgramRunner[] = []
const watches: TreeWatch[] = []

afterEach(async () => {
  await Promise.all(runners.map((r) => r.stop('test over')))
  runners.length = 0
  for (const w of watches) w.close()
  watches.length = 0
})

/** A runner for `input` (a tag in its environment to find its processes by), with its data folder and logs. */
function runnerFor(input: Omit<ProgramInput, 'name'> & { name?: string }, runEnv?: () => Record<string, string> | undefined) {
  const dataDir = tempDir()
  const tag = uniqueArg()
  const program = parseProgram({ name: 'prog', ...input, env: { vars: { PROCTOR_TEST_TAG: tag, ...input.env?.vars } } })
  const logs = new ProgramLogs({ dir: dataDir, name: program.name, maxBytes: program.logs.maxBytes, files: program.logs.files })
  const tree = new TreeWatch(100)
  watches.push(tree)
  const startRecord = new StartRecord(dataDir)
  const runner = new ProgramRunner(program, { logs, tree, startRecord, ...(runEnv ? { runEnv } : {}) })
  runners.push(runner)
  return { runner, logs, dataDir, tag, startRecord }
}

/** Living processes whose environment carries `tag`: the test's own view of a program's processes, apart from the runner's. */
async function livingTagged(tag: string): Promise<number[]> {
  const found: number[] = []
  for (const p of await scanProcs()) {
    if (p.zombie || p.pid === process.pid) continue
    try {
      if (readFileSync(`/proc/${p.pid}/environ`, 'latin1').includes(`PROCTOR_TEST_TAG=${tag}\0`)) found.push(p.pid)
    } catch {
      // gone, or not ours to read
    }
  }
  return found
}

/** Zombies whose parent is this process: children Proctor did not reap. */
async function ourZombies(): Promise<number[]> {
  return (await scanProcs()).filter((p) => p.zombie && p.ppid === process.pid).map((p) => p.pid)
}

function nextExit(runner: ProgramRunner): Promise<ExitInfo> {
  return new Promise((resolve) => {
    const off = runner.onExit((exit) => {
      off()
      resolve(exit)
    })
  })
}

describe('program runner', () => {
  it('is running after startSeconds alive, each move recorded with its time and reason', async () => {
    const { runner } = runnerFor({ command: 'sleep', args: ['30'], startSeconds: 0.3 })
    const before = Date.now()
    runner.start()
    expect(runner.state).toBe('starting')
    await waitFor(() => runner.state === 'running', 3000, 'running')
    const [starting, running] = runner.transitions()
    expect(starting).toMatchObject({ from: 'stopped', to: 'starting', reason: 'start requested' })
    expect(running).toMatchObject({ from: 'starting', to: 'running', reason: 'up for 0.3 s' })
    expect((running?.at ?? 0) - (starting?.at ?? 0)).toBeGreaterThanOrEqual(290)
    expect(starting?.at).toBeGreaterThanOrEqual(before)
    const result = await runner.stop()
    expect(result.graceful).toBe(true)
    expect(runner.state).toBe('stopped')
    expect(runner.lastExit).toMatchObject({ signal: 'SIGTERM', stopped: true })
    expect(runner.transitions().map((t) => t.to)).toEqual(['starting', 'running', 'stopping', 'stopped'])
  })

  it('says how a program that ends on its own ended, before startSeconds or after', async () => {
    const { runner } = runnerFor({ command: 'sh', args: ['-c', 'sleep 0.3; exit 3'], startSeconds: 0 })
    const exited = nextExit(runner)
    runner.start()
    expect((await exited).code).toBe(3)
    expect(runner.state).toBe('exited')
    expect(runner.transitions().at(-1)?.reason).toMatch(/^exited with code 3 after 0\.\d s$/)
    const missing = runnerFor({ command: 'no-such-command-proctor' }).runner
    const failed = nextExit(missing)
    missing.start()
    expect((await failed).spawnError).toMatch(/ENOENT/)
    expect(missing.transitions().map((t) => t.to)).toEqual(['starting', 'exited'])
  })

  it('stops a grandchild, a setsid descendant and a double-forked one: none remains', async () => {
    const { runner, tag } = runnerFor({
      command: 'sh',
      // A child in the group, one in a session of its own, one orphaned at once by its subshell.
      args: ['-c', 'sleep 300 & setsid sleep 301 & (setsid sleep 302 &); wait'],
      startSeconds: 0,
    })
    runner.start()
    // Four processes, each past its exec of sleep (setsid runs first under its own name).
    const settled = async () => {
      const pids = await livingTagged(tag)
      return pids.length === 4 && pids.every((pid) => ['sh', 'sleep'].includes(readProc(pid)?.comm ?? '')) && pids
    }
    const pids = await waitFor(settled, 5000, 'four processes')
    await waitFor(() => runner.descendants().some((d) => d.leftGroup), 3000, 'the setsid descendant in the tree')
    const result = await runner.stop()
    expect(result.graceful).toBe(true)
    expect(result.outsideGroup.map((p) => p.name).sort()).toEqual(['sleep', 'sleep'])
    expect(await livingTagged(tag)).toEqual([])
    for (const pid of pids) {
      const now = readProc(pid)
      // Gone, or a zombie waiting for init to reap it: nothing runs.
      expect(now === undefined || now.zombie, `pid ${pid} (${now?.comm}) still runs`).toBe(true)
    }
  })

  it('stops a descendant that left the group after the tree first saw it', async () => {
    const { runner, tag } = runnerFor({ command: 'sh', args: ['-c', '(sleep 0.5; exec setsid sleep 307) & wait'], startSeconds: 0 })
    runner.start()
    await waitFor(() => runner.descendants().length > 0, 3000, 'the subshell in the tree')
    await waitFor(async () => (await livingTagged(tag)).some((pid) => readProc(pid)?.comm === 'sleep' && readProc(pid)?.pgrp !== runner.pid), 5000, 'the setsid')
    const result = await runner.stop()
    expect(result.outsideGroup.map((p) => p.name)).toEqual(['sleep'])
    expect(await livingTagged(tag)).toEqual([])
  })

  it('keeps track of a detached descendant while the program runs, after the parent that linked it is gone', async () => {
    const { runner, tag } = runnerFor({ command: 'sh', args: ['-c', '(setsid sleep 303 & sleep 0.6); sleep 300'], startSeconds: 0 })
    runner.start()
    const detached = await waitFor(() => runner.descendants().find((d) => d.leftGroup), 3000, 'the setsid descendant')
    // Its parent, the subshell, exits and it goes to init (or a subreaper):
    // the periodic walk down from the tree's members still reaches it.
    const parent = readProc(detached.pid)?.ppid
    await waitFor(() => readProc(detached.pid)?.ppid !== parent, 5000, 'the subshell to exit')
    await new Promise((r) => setTimeout(r, 300)) // a few walks
    expect(runner.descendants().map((d) => d.pid)).toContain(detached.pid)
    await runner.stop()
    expect(await livingTagged(tag)).toEqual([])
  })

  it('sweeps up a detached orphan that a program exiting on its own left, which no walk of its tree could reach', async () => {
    const { runner, tag } = runnerFor({ command: 'sh', args: ['-c', '(setsid sleep 306 &); sleep 1; exit 2'], startSeconds: 0 })
    const exited = nextExit(runner)
    runner.start()
    const pgid = runner.pid
    const outside = async () => (await livingTagged(tag)).filter((pid) => readProc(pid)?.pgrp !== pgid)
    await waitFor(async () => (await outside()).length > 0, 5000, 'the detached orphan')
    expect((await exited).code).toBe(2)
    await waitFor(async () => (await livingTagged(tag)).length === 0, 5000, 'the orphan to be swept')
  })

  it('KILLs a program that ignores its stop signal once the stop timeout is over', async () => {
    const { runner, logs } = runnerFor({
      command: process.execPath,
      args: ['-e', `process.on('SIGTERM', () => console.log('ignoring TERM')); console.log('ready'); setInterval(() => {}, 1000)`],
      stopTimeoutMs: 400,
      startSeconds: 0,
    })
    runner.start()
    await waitFor(() => logs.lines().some((l) => l.text === 'ready'), 10_000, 'the program to be ready')
    const result = await runner.stop()
    expect(result.graceful).toBe(false)
    expect(result.durationMs).toBeGreaterThanOrEqual(400)
    expect(runner.lastExit?.signal).toBe('SIGKILL')
    expect(runner.state).toBe('stopped')
    expect(logs.lines().map((l) => l.text)).toContain('ignoring TERM')
  })

  it('leaves no zombie and nothing running after 50 start/crash cycles, every fifth leaving a child behind', async () => {
    const { runner, tag } = runnerFor({ command: 'sh', args: ['-c', 'exit 1'], startSeconds: 0, stopTimeoutMs: 1000 })
    const crash = runner.program
    // A child left behind costs a scan of the whole process table (thousands of processes on a busy machine).
    const crashLeavingChild = { ...crash, args: ['-c', 'sleep 60 & exit 1'] }
    for (let i = 0; i < 50; i++) {
      runner.update(i % 5 === 0 ? crashLeavingChild : crash)
      const exited = nextExit(runner)
      runner.start(`cycle ${i}`)
      expect((await exited).code).toBe(1)
    }
    expect(runner.state).toBe('exited')
    expect(await livingTagged(tag)).toEqual([])
    expect(await ourZombies()).toEqual([])
    expect(runner.transitions()).toHaveLength(100)
  }, 60_000)
})

describe('programs left behind', () => {
  it("gives each run Proctor's variables (the IPC socket and token), over the program's own, asked afresh at each start", async () => {
    let n = 0
    const runEnv = () => ({ PROCTOR_IPC_TOKEN: `token-${++n}`, PROCTOR_IPC_SOCKET: '/run/broker.sock' })
    const { runner, logs } = runnerFor(
      { command: '/bin/sh', args: ['-c', 'echo "$PROCTOR_IPC_TOKEN $PROCTOR_IPC_SOCKET"'], env: { vars: { PROCTOR_IPC_TOKEN: 'mine' } } },
      runEnv,
    )
    for (let run = 1; run <= 2; run++) {
      const exit = nextExit(runner)
      runner.start()
      await exit
      await waitFor(() => logs.lines().length === run, 3000, `run ${run}'s line`)
    }
    expect(logs.lines().map((l) => l.text)).toEqual(['token-1 /run/broker.sock', 'token-2 /run/broker.sock'])
  })

  it('records each program as it starts, and forgets it when it ends', async () => {
    const { runner, dataDir, startRecord } = runnerFor({ command: 'sleep', args: ['30'], startSeconds: 0 })
    runner.start()
    await startRecord.flush()
    const [found] = findLeftBehind(dataDir)
    expect(found).toMatchObject({ name: 'prog', pid: runner.pid, running: true })
    expect(found?.startTicks).toBe(readProc(runner.pid ?? 0)?.startTicks)
    await runner.stop()
    await startRecord.flush()
    expect(findLeftBehind(dataDir)).toEqual([])
  })

  it('does not take a reused pid for a program left behind', () => {
    const dataDir = tempDir()
    const self = readProc(process.pid)
    const entry = { pid: process.pid, startedAt: Date.now() }
    writeFileSync(
      join(dataDir, START_RECORD_FILE),
      JSON.stringify({
        schemaVersion: 1,
        programs: [
          { name: 'same', ...entry, startTicks: self?.startTicks },
          { name: 'reused', ...entry, startTicks: (self?.startTicks ?? 0) - 1 },
        ],
      }),
    )
    expect(findLeftBehind(dataDir).map((p) => [p.name, p.running])).toEqual([
      ['same', true],
      ['reused', false],
    ])
  })

  it('sets an unreadable record aside and says so', () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, START_RECORD_FILE), '{')
    const notices: string[] = []
    expect(findLeftBehind(dataDir, notices)).toEqual([])
    expect(notices[0]).toMatch(/Record of started programs .* could not be used: it is not valid JSON/)
  })
})
