import { describe, expect, it } from 'vitest'
import { encodeFrame, FrameReader } from '../../../src/main/core/owner/frames'

function collect(limit?: number) {
  const got: string[] = []
  const reader = new FrameReader({ frame: (t) => got.push(t), oversize: (n) => got.push(`oversize ${n}`) }, limit)
  return { got, reader }
}

describe('control socket frames', () => {
  const messages = [{ t: 'call', id: 1, name: 'getAppInfo' }, { t: 'ready' }, { text: 'ünïcødé ✓' }]
  const stream = Buffer.concat(messages.map((m) => encodeFrame(m)))

  it('come out whole however the bytes are cut', () => {
    for (let cut = 1; cut <= stream.length; cut++) {
      const { got, reader } = collect()
      for (let i = 0; i < stream.length; i += cut) reader.push(stream.subarray(i, i + cut))
      expect(got.map((t) => JSON.parse(t) as unknown), `cut every ${cut} bytes`).toEqual(messages)
    }
  })

  it('skips a frame over the limit unread and stays in step, even when its bytes trickle in', () => {
    const big = encodeFrame({ pad: 'x'.repeat(100) })
    const after = encodeFrame({ t: 'ok' })
    const all = Buffer.concat([big, after])
    for (const cut of [1, 7, all.length]) {
      const { got, reader } = collect(50)
      for (let i = 0; i < all.length; i += cut) reader.push(all.subarray(i, i + cut))
      expect(got).toEqual([`oversize ${big.length - 4}`, '{"t":"ok"}'])
    }
  })

  it('an empty frame is an empty text', () => {
    const { got, reader } = collect()
    reader.push(Buffer.from([0, 0, 0, 0]))
    expect(got).toEqual([''])
  })
})
