import { describe, expect, it } from 'vitest'
import { SystemSampler } from '../../../src/main/core/system/systemSampler'
import type { SystemReader } from '../../../src/main/core/system/reader'
import type { RawSystemReading } from '../../../src/shared/system/derive'
import { readingNow } from '../../helpers/systemReading'

/** A reader whose network counters come from a background read, as the portable reader's do: `answer` is its latest. */
class BackgroundReader implements SystemReader {
  readonly deriveOptions = {}
  answer = { at: performance.now() - 60_000, rxBytes: 1000 }
  read(): RawSystemReading {
    return readingNow({
      interfaces: [{ name: 'en0', rxBytes: this.answer.rxBytes, txBytes: 0, rxErrors: 0, txErrors: 0 }],
      ioMonotonicMs: this.answer.at,
    })
  }
}

describe('SystemSampler with counters read in the background', () => {
  it('takes no rates against counters read before it started or was reset: they would average over the pause', async () => {
    const reader = new BackgroundReader()
    const sampler = new SystemSampler(reader)
    // An answer from a minute ago: not a base.
    expect(sampler.sample().network.interfaces).toEqual([])
    const first = { at: performance.now(), rxBytes: 61_000 }
    reader.answer = first
    const second = sampler.sample()
    expect(second.network.interfaces.map((n) => n.rxBytes)).toEqual([61_000])
    expect(second.network.rxBytesPerSec).toBeNull()
    await new Promise((r) => setTimeout(r, 20))
    reader.answer = { at: performance.now(), rxBytes: 62_000 }
    expect(sampler.sample().network.rxBytesPerSec).toBeCloseTo(1000 / ((reader.answer.at - first.at) / 1000), 6)
    // After a reset the same (now old) answer is no base either.
    sampler.reset()
    expect(sampler.sample().network.interfaces).toEqual([])
  })
})
