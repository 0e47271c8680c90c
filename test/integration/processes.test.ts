import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { LinuxProcessAdapter } from '../../src/main/core/processes/linux/linuxAdapter'
import { deriveSnapshot } from '../../src/shared/process/derive'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

const linux = process.platform === 'linux'

describe.runIf(linux)('the linux adapter on real processes', () => {
  const engine = new Engine({ dataDir: tempDir(), version: 'test' })
  afterAll(() => {
    killAll()
    engine.close()
  })

  it('finds a spawned child by its unique argument, with the right parent and command', async () => {
    const marker = uniqueArg()
    const child = spawnIdle(marker)
    const snap = await waitFor(async () => {
      const s = await engine.processList()
      return s.processes.some((p) => p.pid === child.pid) ? s : undefined
    })
    const found = snap.processes.filter((p) => p.command.includes(marker))
    expect(found).toHaveLength(1)
    const p = found[0]
    expect(p?.pid).toBe(child.pid)
    expect(p?.ppid).toBe(process.pid)
    expect(p?.command).toBe(`${process.execPath} -e setInterval(() => {}, 1000) ${marker}`)
    expect(p?.name).toBe('node')
    expect(p?.user).toBe(execFileSync('id', ['-un'], { encoding: 'utf8' }).trim())
    expect(p?.startTime).toBeGreaterThan(Date.now() - 60_000)
    expect(p?.startTime).toBeLessThanOrEqual(Date.now())
  })

  it('agrees with ps on parent, user, state, command line and resident memory', async () => {
    const children = [spawnIdle(uniqueArg()), spawnIdle(uniqueArg())]
    await new Promise((r) => setTimeout(r, 300))
    const snap = await engine.processList()
    const pids = children.map((c) => c.pid).concat(process.pid)
    const ps = execFileSync('ps', ['-o', 'pid=,ppid=,user=,stat=,rss=,args=', '-p', pids.join(',')], { encoding: 'utf8' })
    const lines = ps.trim().split('\n')
    expect(lines).toHaveLength(3)
    for (const line of lines) {
      const [pid, ppid, user, stat, rssKb, ...args] = line.trim().split(/\s+/)
      const mine = snap.processes.find((p) => p.pid === Number(pid))
      expect(mine, `pid ${pid}`).toBeDefined()
      expect(mine?.ppid).toBe(Number(ppid))
      expect(mine?.user).toBe(user)
      // This test process is running while it reads itself; the idle children sleep in both readings.
      if (Number(pid) !== process.pid) {
        expect(stat?.charAt(0)).toBe('S')
        expect(mine?.state).toBe('sleeping')
      }
      expect(mine?.command.split(/\s+/).join(' ')).toBe(args.join(' '))
      expect(Math.abs((mine?.memoryBytes ?? 0) - Number(rssKb) * 1024) / (Number(rssKb) * 1024)).toBeLessThan(0.05)
    }
  })

  it('measures a busy child at about one core and an idle one at about zero', async () => {
    const busy = spawnIdle(uniqueArg('busy'), 'for(;;){}')
    const idle = spawnIdle(uniqueArg('idle'))
    await new Promise((r) => setTimeout(r, 300))
    const adapter = new LinuxProcessAdapter()
    const a = await adapter.sample()
    await new Promise((r) => setTimeout(r, 1000))
    const b = await adapter.sample()
    const snap = deriveSnapshot(a, b)
    const cpu = (pid: number | undefined) => snap.processes.find((p) => p.pid === pid)?.cpuPercent ?? -1
    expect(cpu(busy.pid)).toBeGreaterThan(85)
    expect(cpu(busy.pid)).toBeLessThan(115)
    expect(cpu(idle.pid)).toBeLessThan(5)
    busy.kill('SIGKILL')
  })

  it('drops a process that exits between two readings, without error', async () => {
    const child = spawnIdle(uniqueArg())
    await waitFor(async () => (await engine.processList()).processes.some((p) => p.pid === child.pid))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    await waitFor(async () => !(await engine.processList()).processes.some((p) => p.pid === child.pid))
  })
})
