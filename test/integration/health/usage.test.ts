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
    // One spinning thread is near 100 % of a core. The machine is shared: a window where the child
    // was starved says nothing about the math, so the best of a few windows (each since the previous sample).
    const hots: number[] = []
    await waitFor(
      async () => {
        await sleep(300)
        hots.push(busySampler.sample([busy.pid]).cpu ?? -1)
        return hots.at(-1)! > 50
      },
      10_000,
      'a window where the busy child got most of a core',
    ).catch(() => undefined)
    expect(Math.max(...hots), `busy child measured at ${hots.map((v) => v.toFixed(1)).join(', ')}`).toBeGreaterThan(50)
    // Room for JIT and GC threads beside the spinning one.
    expect(Math.max(...hots)).toBeLessThan(130)
    const cold = idleSampler.sample([idle.pid]).cpu ?? -1
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
