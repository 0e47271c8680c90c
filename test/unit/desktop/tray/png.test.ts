import { createRequire } from 'node:module'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32, encodePng } from '../../../../src/main/desktop/tray/png'

// An independent decoder (pngjs, bundled with Playwright) to read back what ours writes.
const { PNG } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } }
}

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]) {
  const rgba = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(pixel(x, y), (y * width + x) * 4)
  return { width, height, rgba }
}

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32(Buffer.from(''))).toBe(0)
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082)
  })
})

describe('encodePng', () => {
  it('writes a PNG another decoder reads back pixel for pixel', () => {
    const img = image(7, 5, (x, y) => [x * 36, y * 60, (x * y * 13) % 256, (x + y) % 3 === 0 ? 0 : 128 + x * 10])
    const png = encodePng(img)
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const decoded = PNG.sync.read(png)
    expect([decoded.width, decoded.height]).toEqual([7, 5])
    expect(new Uint8Array(decoded.data)).toEqual(img.rgba)
  })

  it('has IHDR (8-bit RGBA), IDAT and IEND chunks with correct CRCs', () => {
    const png = encodePng(image(3, 2, () => [1, 2, 3, 4]))
    const chunks: Array<{ type: string; data: Buffer }> = []
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at)
      const type = png.toString('latin1', at + 4, at + 8)
      const data = png.subarray(at + 8, at + 8 + length)
      expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)))
      chunks.push({ type, data })
      at += 12 + length
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
    const ihdr = chunks[0]!.data
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[12]]).toEqual([3, 2, 8, 6, 0])
    // Each row: filter byte 0, then the pixels as given.
    expect(inflateSync(chunks[1]!.data)).toEqual(Buffer.from([0, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 0, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]))
  })

  it('refuses a buffer that does not match the size', () => {
    expect(() => encodePng({ width: 2, height: 2, rgba: new Uint8Array(15) })).toThrow(RangeError)
    expect(() => encodePng({ width: 0, height: 2, rgba: new Uint8Array(0) })).toThrow(RangeError)
  })
})
