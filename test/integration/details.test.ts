import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LsofDetails } from '../../src/main/core/details/lsofDetails'
import { Engine } from '../../src/main/core/engine'
import type { ProctorApi } from '../../src/shared/contract'
import { parseCgroup } from '../../src/shared/details/cgroup'
import { ProctorError } from '../../src/shared/errors'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import { NOBODY, runFixtureAs, whyUserCannotRunFixtures } from '../helpers/asUser'
import { startSubject, SUBJECT_TOKEN, type Subject } from '../helpers/detailsSubject'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

const linux = process.platform === 'linux'
const READ_AS = resolve(__dirname, '../fixtures/scripts/readDetails.ts')
const TOKEN = SUBJECT_TOKEN

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (err) {
    if (err instanceof ProctorError) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('expected the call to fail')
}

describe.runIf(linux)('process details on a real process', () => {
  let engine: Engine
  let api: ProctorApi
  let subject: Subject
  let target: { pid: number; startTime: number }

  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    api = createApi(inProcessTransport(engine.router))
    subject = await startSubject(tempDir('proctor-details-'), { spin: true })
    const pid = subject.child.pid!
    const [p] = await waitFor(async () => {
      const found = await api.findProcesses({ filter: { pid } })
      return found.length > 0 ? found : undefined
    })
    target = { pid, startTime: p!.startTime }
  }, 30_000)

  afterAll(() => {
    subject?.child.kill('SIGKILL')
    engine?.close()
  })

  it('lists open files with their mode and type, and marks the deleted-but-open one', async () => {
    const answer = await api.getOpenFiles(target)
    if (!answer.permitted) throw new Error(answer.reason)
    const { ready } = subject
    expect(answer.value.find((f) => f.fd === ready.deletedFd)).toEqual({ fd: ready.deletedFd, path: ready.deletedPath, type: 'file', mode: 'w', deleted: true })
    expect(answer.value.find((f) => f.fd === ready.keptFd)).toEqual({ fd: ready.keptFd, path: ready.keptPath, type: 'file', mode: 'rw', deleted: false })
    // stdin is /dev/null: a character device, read-only.
    expect(answer.value.find((f) => f.fd === 0)).toMatchObject({ path: '/dev/null', type: 'char', mode: 'r' })
    // The event loop's epoll, and stdout: node's 'pipe' to a child is a socket pair.
    expect(answer.value.some((f) => f.type === 'anon_inode' && f.path.includes('eventpoll'))).toBe(true)
    expect(answer.value.find((f) => f.fd === 1)).toMatchObject({ type: 'socket', mode: 'rw' })
    expect(answer.value.map((f) => f.fd)).toEqual(readdirSync(`/proc/${target.pid}/fd`).map(Number).sort((a, b) => a - b))
  })

  it.runIf(hasLsof())('reads the same from lsof, as on macOS', async () => {
    const answer = await new LsofDetails().openFiles(target.pid)
    if (!answer.permitted) throw new Error(answer.reason)
    const { ready } = subject
    expect(answer.value.find((f) => f.fd === ready.deletedFd)).toMatchObject({ path: ready.deletedPath, mode: 'w', deleted: true, type: 'file' })
    expect(answer.value.find((f) => f.fd === ready.keptFd)).toMatchObject({ path: ready.keptPath, mode: 'rw', deleted: false })
  })

  it('withholds MY_API_TOKEN’s value until it is revealed by name', async () => {
    const answer = await api.getEnvironment(target)
    if (!answer.permitted) throw new Error(answer.reason)
    expect(answer.value.find((v) => v.name === 'MY_API_TOKEN')).toEqual({ name: 'MY_API_TOKEN', secret: true })
    expect(answer.value.find((v) => v.name === 'PLAIN_SETTING')).toEqual({ name: 'PLAIN_SETTING', value: 'visible-value', secret: false })
    // Not anywhere in what crossed the contract.
    expect(JSON.stringify(answer)).not.toContain(TOKEN)
    expect(await api.revealEnvironmentVariable({ ...target, name: 'MY_API_TOKEN' })).toBe(TOKEN)
    expect(await codeOf(api.revealEnvironmentVariable({ ...target, name: 'NO_SUCH_VARIABLE' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('NO_SUCH_VARIABLE') })
  })

  it('lists every thread, and measures the spinning worker near a full core between two readings', async () => {
    const first = await api.getThreads(target)
    if (!first.permitted) throw new Error(first.reason)
    expect(first.value.cpuBasis).toBe('lifetime')
    const tids = readdirSync(`/proc/${target.pid}/task`).map(Number).sort((a, b) => a - b)
    expect(first.value.threads.map((t) => t.tid)).toEqual(tids)
    // The main thread and two workers at least (node runs a few of its own too).
    expect(first.value.threads.length).toBeGreaterThanOrEqual(3)
    expect(first.value.threads[0]).toMatchObject({ tid: target.pid, name: 'node' })
    await new Promise((r) => setTimeout(r, 1000))
    const second = await api.getThreads(target)
    if (!second.permitted) throw new Error(second.reason)
    expect(second.value.cpuBasis).toBe('interval')
    const busiest = [...second.value.threads].sort((a, b) => b.cpuPercent - a.cpuPercent)
    // On a shared 2-core machine the spinner may get far less than a core, but far more than the rest.
    expect(busiest[0]!.cpuPercent).toBeGreaterThan(10)
    expect(busiest[0]!.state).toBe('running')
    expect(busiest[1]!.cpuPercent).toBeLessThan(busiest[0]!.cpuPercent / 2)
  })

  it('sums memory by mapping, with the kernel’s totals', async () => {
    const answer = await api.getMemoryMaps(target)
    if (!answer.permitted) throw new Error(answer.reason)
    const { totals, mappings } = answer.value
    const vmRssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${target.pid}/status`, 'utf8'))?.[1])
    // Within a fifth of what status says a moment apart (the workers keep allocating).
    expect(Math.abs(totals.rssBytes / 1024 - vmRssKb)).toBeLessThan(vmRssKb / 5)
    expect(mappings.find((m) => m.name === realpathSync(process.execPath))).toMatchObject({ kind: 'file' })
    expect(mappings.find((m) => m.name === 'anonymous')?.rssBytes).toBeGreaterThan(0)
    expect(mappings.some((m) => m.kind === 'stack')).toBe(true)
    // Largest resident first.
    expect(mappings.map((m) => m.rssBytes)).toEqual([...mappings.map((m) => m.rssBytes)].sort((a, b) => b - a))
  })

  it('reads the control groups the child inherited from this process', async () => {
    const answer = await api.getCgroup(target)
    expect(answer.entries).toEqual(parseCgroup(readFileSync('/proc/self/cgroup', 'utf8')))
    expect(answer.entries.length).toBeGreaterThan(0)
  })

  it('refuses a pid that now runs another process, and names bad arguments', async () => {
    expect(await codeOf(api.getEnvironment({ pid: target.pid, startTime: target.startTime + 10_000 }))).toMatchObject({ code: 'STALE_PROCESS' })
    expect(await codeOf(api.revealEnvironmentVariable({ pid: target.pid, startTime: target.startTime - 10_000, name: 'MY_API_TOKEN' }))).toMatchObject({ code: 'STALE_PROCESS' })
    // @ts-expect-error: startTime is required
    expect(await codeOf(api.getOpenFiles({ pid: target.pid }))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('startTime') })
    expect(await codeOf(api.getThreads({ pid: -4, startTime: 0 }))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('pid') })
    expect(await codeOf(api.revealEnvironmentVariable({ ...target, name: '' }))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('name') })
    expect(await codeOf(api.getMemoryMaps({ pid: 2 ** 30, startTime: 1 }))).toMatchObject({ code: 'NOT_FOUND' })
  })

  it.runIf(process.getuid?.() === 0 && whyUserCannotRunFixtures(NOBODY) === undefined)(
    'tells another user that the environment, files and maps are not theirs to read, as an answer',
    () => {
      const { result } = runFixtureAs(READ_AS, [String(target.pid)])
      const seen = JSON.parse(result.stdout) as Record<string, { permitted: boolean; reason?: string }> & { cgroup: { entries: unknown[] } }
      for (const what of ['environment', 'openFiles', 'memoryMaps'] as const) {
        expect(seen[what], what).toEqual({ permitted: false, reason: expect.stringContaining('may not be read by this user') })
      }
      // Threads and control groups are anyone's to read.
      expect(seen.threads).toBe(true)
      expect(seen.cgroup.entries.length).toBeGreaterThan(0)
    },
  )
})

function hasLsof(): boolean {
  try {
    execFileSync('lsof', ['-v'], { stdio: 'ignore' })
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}
