import { describe, expect, it } from 'vitest'
import { MiB } from '../../../src/shared/supervisor/program'
import { UsageSampler } from '../../../src/main/core/health/usage'
import { waitFor } from '../../helpers/wait'
import { HOLD_100_MB, IDLE, SPIN, startChild } from './programs'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('UsageSampler', () => {
  it('has no CPU figure on its first sample, then the CPU of the pids since the previous one', async () => {
    const [busy, idle] = await Promise.all([startChild(SPIN), startChild(IDLE)])
    const busySampler = new UsageSampler()
    const idleSampler = new UsageSampler()
    expect(busySampler.sample([busy.pid]).cpu).toBeUndefined()
    expect(idleSampler.sample([idle.pid]).cpu).toBeUndefined()
    await sleep(300)
    const hot = busySampler.sample([busy.pid]).cpu ?? 0
    const cold = idleSampler.sample([idle.pid]).cpu ?? -1
    // One spinning thread is near 100 % of a core; leave room for a loaded machine (and two cores for JIT and GC threads).
    expect(hot).toBeGreaterThan(25)
    expect(hot).toBeLessThan(130)
    expect(cold).toBeGreaterThanOrEqual(0)
    expect(cold).toBeLessThan(10)
  })

  it('sums resident memory of the pids, and skips pids that are gone', async () => {
    const [holder, idle] = await Promise.all([startChild(HOLD_100_MB), startChild(IDLE)])
    const sampler = new UsageSampler()
    const held = await waitFor(() => {
      const m = sampler.sample([holder.pid]).memory
      return m > 100 * MiB && m
    }, 5000, 'the holder to fill its buffer')
    expect(held).toBeLessThan(400 * MiB)
    const idleBytes = new UsageSampler().sample([idle.pid]).memory
    expect(idleBytes).toBeGreaterThan(MiB)
    const both = new UsageSampler().sample([holder.pid, idle.pid]).memory
    expect(both).toBeGreaterThan(held)
    idle.kill('SIGKILL')
    await new Promise((r) => idle.once('exit', r))
    const after = new UsageSampler().sample([holder.pid, idle.pid, 999_999_999])
    expect(after.memory).toBeGreaterThan(100 * MiB)
    expect(after.memory).toBeLessThan(both)
    expect(new UsageSampler().sample([]).memory).toBe(0)
  })
})
