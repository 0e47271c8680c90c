import { describe, expect, it } from 'vitest'
import { PolledStream } from '../../src/main/core/polledStream'
import type { SystemMetrics } from '../../src/shared/types/system'
import { waitFor } from '../helpers/wait'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A stream of numbered samples every 20 ms; `reads` counts the samples taken. */
function numbered() {
  const counter = { reads: 0 }
  const stream = new PolledStream<SystemMetrics>(() => ({ timestamp: ++counter.reads }) as SystemMetrics, () => 20, () => {})
  return { stream, counter }
}

describe('PolledStream', () => {
  it('samples only while someone subscribes, by default', async () => {
    const { stream, counter } = numbered()
    await sleep(60)
    expect([stream.active, counter.reads]).toEqual([false, 0])
    const got: number[] = []
    const stop = stream.subscribe((m) => got.push(m.timestamp))
    expect([stream.active, stream.subscribers]).toEqual([true, 1])
    await waitFor(() => got.length >= 2, 5000, 'two samples')
    stop()
    expect([stream.active, stream.subscribers, stream.latest]).toEqual([false, 0, undefined])
    const reads = counter.reads
    await sleep(60)
    expect(counter.reads).toBe(reads)
  })

  it('keeps sampling with nobody subscribed while kept running, and gives a new subscriber the newest sample at once', async () => {
    const { stream, counter } = numbered()
    stream.keepRunning(true)
    await waitFor(() => counter.reads >= 2, 5000, 'two samples')
    expect([stream.active, stream.subscribers]).toEqual([true, 0])
    const got: number[] = []
    const stop = stream.subscribe((m) => got.push(m.timestamp))
    expect(got).toEqual([counter.reads])
    expect(stream.subscribers).toBe(1)
    stop()
    expect(stream.active).toBe(true)
    stream.keepRunning(false)
    expect([stream.active, stream.latest]).toEqual([false, undefined])
    const reads = counter.reads
    await sleep(60)
    expect(counter.reads).toBe(reads)
  })

  it('stays stopped once stopped, whoever subscribes', () => {
    const { stream } = numbered()
    stream.keepRunning(true)
    stream.stop()
    stream.subscribe(() => {})
    stream.keepRunning(true)
    expect(stream.active).toBe(false)
  })

  it('drops a read that ends after the last subscriber left: no stale latest for the next one', async () => {
    const stream = new PolledStream<number>(() => sleep(50).then(() => 7), () => 20, () => {})
    const got: number[] = []
    const stop = stream.subscribe((v) => got.push(v))
    stop()
    await sleep(120)
    expect([got, stream.latest, stream.active]).toEqual([[], undefined, false])
  })
})
