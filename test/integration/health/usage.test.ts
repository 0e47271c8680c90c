import { afterEach, describe, expect, it } from 'vitest'
import { MiB } from '../../../src/shared/supervisor/program'
import { UsageSampler } from '../../../src/main/core/health/usage'
import { killAll, spawnIdle, uniqueArg } from '../../helpers/children'
import { waitFor } from '../../helpers/wait'

afterEach(killAll)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('UsageSampler', () => {
  it('has no CPU figure on its first sample, then the CPU of the pids since the previous one', async () => {
    const busy = spawnIdle(uniqueArg(), 'for (;;) {}')
    const idle = spawnIdle(uniqueArg())
    // Past Node's own start, which takes a core for a moment.
    await sleep(200)
    const busySampler = new UsageSampler()
    const idleSampler = new UsageSampler()
    expect(busySampler.sample([busy.pid ?? 0]).cpu).toBeUndefined()
    expect(idleSampler.sample([idle.pid ?? 0]).cpu).toBeUndefined()
    await sleep(300)
    const hot = busySampler.sample([busy.pid ?? 0]).cpu ?? 0
    const cold = idleSampler.sample([idle.pid ?? 0]).cpu ?? -1
    // One spinning thread is near 100 % of a core; leave room for a loaded machine.
    expect(hot).toBeGreaterThan(40)
    expect(hot).toBeLessThan(130)
    expect(cold).toBeGreaterThanOrEqual(0)
    expect(cold).toBeLessThan(20)
  })

  it('sums resident memory of the pids, and skips pids that are gone', async () => {
    const holder = spawnIdle(uniqueArg(), 'const b = Buffer.alloc(100 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000)')
    const idle = spawnIdle(uniqueArg())
    const sampler = new UsageSampler()
    const held = await waitFor(() => {
      const m = sampler.sample([holder.pid ?? 0]).memory
      return m > 100 * MiB && m
    }, 5000, 'the holder to fill its buffer')
    expect(held).toBeLessThan(400 * MiB)
    const idleBytes = new UsageSampler().sample([idle.pid ?? 0]).memory
    expect(idleBytes).toBeGreaterThan(MiB)
    const both = new UsageSampler().sample([holder.pid ?? 0, idle.pid ?? 0]).memory
    expect(both).toBeGreaterThan(held)
    idle.kill('SIGKILL')
    await new Promise((r) => idle.once('exit', r))
    const after = new UsageSampler().sample([holder.pid ?? 0, idle.pid ?? 0, 999_999_999])
    expect(after.memory).toBeGreaterThan(100 * MiB)
    expect(after.memory).toBeLessThan(both)
    expect(new UsageSampler().sample([]).memory).toBe(0)
  })
})
