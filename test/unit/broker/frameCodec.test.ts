import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, encodeFrameText, FrameDecoder, FrameError } from '../../../src/shared/broker/frameCodec'

function header(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff])
}

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

describe('the frame codec', () => {
  it('writes a 4-byte big-endian length, then the UTF-8 JSON', () => {
    const f = encodeFrame({ t: 'hello', token: 'é' })
    const body = '{"t":"hello","token":"é"}'
    expect([...f.subarray(0, 4)]).toEqual([0, 0, 0, new TextEncoder().encode(body).length])
    expect(new TextDecoder().decode(f.subarray(4))).toBe(body)
    expect(() => encodeFrameText('x'.repeat(11), 10)).toThrow(new FrameError('FRAME_TOO_LARGE', 'frame too large: 11 bytes (limit 10)'))
  })

  it('reads frames back however the bytes are cut, one byte at a time included', () => {
    const texts = ['{"a":1}', '', '{"emoji":"😀","ü":true}', 'x'.repeat(70_000)]
    const all = new Uint8Array(texts.reduce((n, t) => n + 4 + new TextEncoder().encode(t).length, 0))
    let at = 0
    for (const t of texts) {
      const f = encodeFrameText(t)
      all.set(f, at)
      at += f.length
    }
    for (const step of [1, 3, 4, 5, 1000, all.length]) {
      const d = new FrameDecoder()
      const out: string[] = []
      for (let i = 0; i < all.length; i += step) out.push(...d.push(all.subarray(i, i + step)))
      expect(out).toEqual(texts)
      expect(d.buffered).toBe(0)
    }
  })

  it('refuses a length over the limit as soon as the 4 bytes of its prefix are in, then refuses everything', () => {
    const d = new FrameDecoder(100)
    expect(d.push(header(101).subarray(0, 3))).toEqual([])
    expect(caught(() => d.push(header(101).subarray(3)))).toEqual(new FrameError('FRAME_TOO_LARGE', 'frame too large: 101 bytes (limit 100)'))
    expect(caught(() => d.push(encodeFrame({})))).toBeInstanceOf(FrameError)
    expect(d.buffered).toBe(0)
  })

  it('refuses invalid UTF-8 (bytes that are never UTF-8, an overlong form, a lone surrogate)', () => {
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const d = new FrameDecoder()
      expect(caught(() => d.push(new Uint8Array([...header(bad.length), ...bad])))).toEqual(new FrameError('BAD_FRAME', 'frame is not valid UTF-8'))
    }
  })

  it('property: random bytes in random chunks never throw anything but a FrameError, and hold at most limit + 4 bytes', () => {
    const limit = 64
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 100 }),
            // Plausible frames too, so not every stream fails at its first prefix.
            fc.string({ maxLength: 80 }).map((s) => encodeFrameText(s, Infinity)),
            fc.integer({ min: 0, max: 2 * limit }).map((n) => header(n)),
          ),
          { maxLength: 30 },
        ),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        (pieces, cuts) => {
          const stream = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0))
          let at = 0
          for (const p of pieces) {
            stream.set(p, at)
            at += p.length
          }
          const d = new FrameDecoder(limit)
          let failed = false
          for (let i = 0, k = 0; i < stream.length; k++) {
            const n = cuts[k % cuts.length]!
            try {
              for (const text of d.push(stream.subarray(i, i + n))) expect(typeof text).toBe('string')
            } catch (err) {
              expect(err).toBeInstanceOf(FrameError)
              expect(['FRAME_TOO_LARGE', 'BAD_FRAME']).toContain((err as FrameError).code)
              failed = true
              break
            }
            expect(d.buffered).toBeLessThanOrEqual(limit + 4)
            i += n
          }
          if (failed) expect(d.buffered).toBe(0)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('property: any JSON message survives encoding and any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 10 }), fc.integer({ min: 1, max: 64 }), (values, step) => {
        const frames = values.map((v) => encodeFrame(v, DEFAULT_MAX_FRAME_BYTES))
        const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0))
        let at = 0
        for (const f of frames) {
          all.set(f, at)
          at += f.length
        }
        const d = new FrameDecoder()
        const out: unknown[] = []
        for (let i = 0; i < all.length; i += step) out.push(...d.push(all.subarray(i, i + step)).map((t) => JSON.parse(t)))
        expect(out).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))))
      }),
      { numRuns: 200 },
    )
  })
})
