import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import { Engine } from '../../src/main/core/engine'
import { ProctorError } from '../../src/shared/errors'
import type { ProcessWatchEvent } from '../../src/shared/types/process'
import type { ProctorApi } from '../../src/shared/contract'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

const linux = process.platform === 'linux'

describe.runIf(linux)('process tree, queries and watch on real processes', () => {
  let engine: Engine
  let api: ProctorApi
  beforeAll(() => {
    engine = new Engine({ dataDir: tempDir(), version: 'test' })
    engine.settings.update({ refreshInterval: 250 })
    api = createApi(inProcessTransport(engine.router))
  })
  afterAll(() => {
    killAll()
    engine.close()
  })

  it('places a spawned child and grandchild exactly in the tree', async () => {
    const marker = uniqueArg('tree')
    const parent = spawnIdle(marker, `require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)', '${marker}-grandchild'], { stdio: 'ignore' }); setInterval(() => {}, 1000)`)
    const tree = await waitFor(async () => {
      const t = await api.getProcessTree()
      const me = findNode(t.roots, process.pid)
      const child = me?.children.find((c) => c.process.pid === parent.pid)
      return child && child.children.length === 1 ? { me, child } : undefined
    }, 10_000, 'the grandchild')
    const grandchild = tree.child.children[0]
    expect(grandchild?.process.ppid).toBe(parent.pid)
    expect(grandchild?.process.command).toContain(`${marker}-grandchild`)
    expect(tree.child.descendantCount).toBe(1)
    expect(tree.child.subtreeMemoryBytes).toBe(tree.child.process.memoryBytes + (grandchild?.process.memoryBytes ?? 0))
    parent.kill('SIGKILL')
    if (grandchild) process.kill(grandchild.process.pid, 'SIGKILL')
  })

  it('findProcesses takes the query language and a structured filter', async () => {
    const marker = uniqueArg('find')
    const child = spawnIdle(marker)
    await waitFor(async () => (await api.findProcesses({ query: marker })).length === 1, 5000, 'the child')
    const byQuery = await api.findProcesses({ query: `cmd =~ "${marker}" and pid = ${child.pid}` })
    expect(byQuery.map((p) => p.pid)).toEqual([child.pid])
    const byFilter = await api.findProcesses({ filter: { ppid: process.pid, commandRegex: marker } })
    expect(byFilter.map((p) => p.pid)).toEqual([child.pid])
    const none = await api.findProcesses({ query: `${marker} and user != ${byQuery[0]?.user}` })
    expect(none).toEqual([])
    const top = await api.findProcesses({ sortBy: 'memory', limit: 3 })
    expect(top).toHaveLength(3)
    expect(top[0]!.memoryBytes).toBeGreaterThanOrEqual(top[2]!.memoryBytes)
  })

  it('answers a bad query with INVALID_ARGUMENT and the position', async () => {
    const err = await api.findProcesses({ query: 'cpu > 5 and (user = root' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProctorError)
    expect((err as ProctorError).code).toBe('INVALID_ARGUMENT')
    expect((err as ProctorError).message).toMatch(/unclosed '\('/)
    expect((err as ProctorError).details).toMatchObject({ position: 12 })
    const regex = await api.findProcesses({ filter: { commandRegex: '(' } }).catch((e: unknown) => e)
    expect((regex as ProctorError).message).toMatch(/commandRegex/)
  })

  it('watchProcess streams samples with history, then one exited event', async () => {
    const child = spawnIdle(uniqueArg('watch'))
    await waitFor(async () => (await api.findProcesses({ filter: { pid: child.pid } })).length === 1)
    const events: ProcessWatchEvent[] = []
    const errors: Error[] = []
    const stop = api.watchProcess({ pid: child.pid ?? 0 }, (e) => events.push(e), (e) => errors.push(e))
    await waitFor(() => events.length >= 3, 5000, 'three samples')
    const last = events[events.length - 1]
    expect(last?.type).toBe('sample')
    if (last?.type === 'sample') {
      expect(last.process.pid).toBe(child.pid)
      expect(last.history.timestamps.length).toBeGreaterThanOrEqual(3)
      expect(last.history.cpuPercent).toHaveLength(last.history.timestamps.length)
    }
    child.kill('SIGKILL')
    await waitFor(() => events.some((e) => e.type === 'exited'), 5000, 'exited')
    const count = events.length
    await new Promise((r) => setTimeout(r, 600))
    expect(events.length).toBe(count)
    expect(events.filter((e) => e.type === 'exited')).toHaveLength(1)
    expect(errors).toEqual([])
    stop()
  })

  it('watchProcess refuses a pid that is not running, and a start time that is not the process', async () => {
    const gone = await new Promise<Error>((resolve) => api.watchProcess({ pid: 2 ** 31 }, () => {}, resolve))
    expect((gone as ProctorError).code).toBe('NOT_FOUND')
    const stale = await new Promise<Error>((resolve) => api.watchProcess({ pid: process.pid, startTime: 12345 }, () => {}, resolve))
    expect((stale as ProctorError).code).toBe('STALE_PROCESS')
    await waitFor(() => engine.processes.stream.subscribers === 0, 3000, 'streams to stop')
  })

  it('samples at the slower background interval while no window is visible', async () => {
    await api.updateSettings({ refreshInterval: 250, backgroundRefreshInterval: 1000 })
    const times: number[] = []
    const stop = engine.processes.stream.subscribe((s) => times.push(s.timestamp))
    await new Promise((r) => setTimeout(r, 1300))
    const foreground = times.length
    engine.setForeground(false)
    expect(engine.refreshInterval()).toBe(1000)
    times.length = 0
    await new Promise((r) => setTimeout(r, 2300))
    const background = times.length
    engine.setForeground(true)
    stop()
    expect(foreground).toBeGreaterThanOrEqual(4)
    expect(background).toBeGreaterThanOrEqual(1)
    expect(background).toBeLessThanOrEqual(3)
  })

  it('reports CPU per machine when the setting says so', async () => {
    const busy = spawnIdle(uniqueArg('busy'), 'for(;;){}')
    await api.updateSettings({ cpuScale: 'machine' })
    // Past its start-up (several threads compiling), a busy loop is one core: 100 / cores per machine.
    await new Promise((r) => setTimeout(r, 1500))
    const seen: number[] = []
    let cores = 0
    await waitFor(async () => {
      const s = await api.getProcessList()
      cores = s.cpuCount
      expect(s.cpuScale).toBe('machine')
      const b = s.processes.find((p) => p.pid === busy.pid)
      if (b) seen.push(b.cpuPercent)
      return b !== undefined && Math.abs(b.cpuPercent - 100 / s.cpuCount) <= 15
    }, 12_000, 'a reading of the busy child near one core').catch(() => undefined)
    expect(seen.some((v) => Math.abs(v - 100 / cores) <= 15), `per machine: ${seen.map((v) => v.toFixed(1)).join(', ')}`).toBe(true)
    // Never the per-core figure: that would be about 100.
    expect(Math.max(...seen)).toBeLessThan(100 / cores + 30)
    await api.updateSettings({ cpuScale: 'core' })
    busy.kill('SIGKILL')
  })
})

type Node = { process: { pid: number }; children: Node[] }
function findNode<N extends Node>(roots: N[], pid: number): N | undefined {
  const stack = [...roots]
  while (stack.length) {
    const n = stack.pop() as N
    if (n.process.pid === pid) return n
    stack.push(...(n.children as N[]))
  }
  return undefined
}
