import { spawn } from 'node:child_process'
import { userInfo } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { DarwinProcessAdapter } from '../../src/main/core/processes/darwin/darwinAdapter'
import { ListingInspector, type ProcessInspector } from '../../src/main/core/processes/inspector'
import { LinuxInspector } from '../../src/main/core/processes/linux/linuxInspector'
import { LinuxProcessAdapter } from '../../src/main/core/processes/linux/linuxAdapter'
import { deriveSnapshot } from '../../src/shared/process/derive'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { waitFor } from '../helpers/wait'

/**
 * Actions read the processes they name one by one (the inspector), not a
 * snapshot of every process. Checked here against the live collector's
 * own reading of the same real processes.
 */

/** A shell with two children, one of which has a child of its own: `sh -> (sleep, sh -> sleep)`. */
function spawnTree(marker: string) {
  const script = `sleep 60 & sh -c 'sleep 61 & wait' & wait # ${marker}`
  const root = spawn('sh', ['-c', script], { stdio: 'ignore' })
  return root
}

const inspectors: Array<[string, () => ProcessInspector]> = [
  ['Linux: /proc, one process at a time', () => new LinuxInspector()],
  // macOS's way (one ps listing of its own), run here on procps's ps with the same argv.
  ['a listing of its own (ps, as on macOS)', () => new ListingInspector(new DarwinProcessAdapter())],
]

describe.each(inspectors)('the process inspector: %s', (_name, make) => {
  const roots: ReturnType<typeof spawn>[] = []
  afterAll(() => {
    killAll()
    for (const r of roots) r.kill('SIGKILL')
  })

  it('reads one real process as the live collector sees it', async () => {
    const child = spawnIdle(uniqueArg('inspect'))
    const pid = child.pid!
    const adapter = new LinuxProcessAdapter()
    const live = await waitFor(async () => deriveSnapshot(undefined, await adapter.sample()).processes.find((p) => p.pid === pid && p.command.includes('inspect')))
    adapter.close()
    const seen = await make().inspect(pid)
    expect(seen).toMatchObject({ pid, ppid: process.pid, name: live.name, user: userInfo().username, uid: live.uid, kernelThread: false })
    expect(seen?.command).toBe(live.command)
    // ps shows start times to the second.
    expect(Math.abs((seen?.startTime ?? 0) - live.startTime)).toBeLessThanOrEqual(1000)
    expect(seen?.state).toMatch(/sleeping|running/)
  })

  it('answers undefined for a pid that runs nothing', async () => {
    const child = spawnIdle(uniqueArg('gone'))
    const pid = child.pid!
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(await make().inspect(pid)).toBeUndefined()
  })

  it('lists a real tree’s descendants, children before their parent', async () => {
    const root = spawnTree(uniqueArg('tree'))
    roots.push(root)
    const inspector = make()
    const order = await waitFor(async () => {
      const d = await inspector.descendants(root.pid!)
      return d.filter((p) => p.name === 'sleep').length === 2 ? d : undefined
    }, 10_000, 'two sleeps under the shell')
    const pids = order.map((p) => p.pid)
    const inner = order.find((p) => p.name === 'sh' && p.ppid === root.pid)
    const innerSleep = order.find((p) => p.name === 'sleep' && p.ppid === inner?.pid)
    expect(inner && innerSleep).toBeTruthy()
    expect(pids.indexOf(innerSleep!.pid)).toBeLessThan(pids.indexOf(inner!.pid))
    expect(pids).not.toContain(root.pid)
  })

  it('probes a live process as alive and a gone one as not', async () => {
    const child = spawnIdle(uniqueArg('probe'))
    const inspector = make()
    expect(inspector.probe(child.pid!).alive).toBe(true)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(inspector.probe(child.pid!).alive).toBe(false)
  })
})
