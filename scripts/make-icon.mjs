#!/usr/bin/env node
/**
 * Draws Proctor's app icon and writes it as PNG, with no dependencies: a
 * rounded square, four CPU bars and a pulse line across them. Each pixel is
 * 4x4 supersampled for smooth edges. Run: `node scripts/make-icon.mjs`.
 *
 * Writes resources/icon.png (512x512: the window and Linux desktop icon,
 * the .icns source for electron-builder) and resources/icons/NxN.png, 16 to 512
 * (the Linux icon set of the installers, tray fallbacks). The output is deterministic; commit it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/* ---------------------------------------------------------------- PNG */

const CRC_TABLE = new Uint32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  CRC_TABLE[n] = c >>> 0
}

function crc32(bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** RGBA, 8 bits per channel, rows filtered with "Up" (smaller than none for smooth art). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type: RGBA
  ihdr[10] = 0 // deflate
  ihdr[11] = 0 // adaptive filtering
  ihdr[12] = 0 // no interlace
  const stride = width * 4
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1)
    raw[row] = 2 // filter: Up
    for (let x = 0; x < stride; x++) {
      const above = y > 0 ? rgba[(y - 1) * stride + x] : 0
      raw[row + 1 + x] = (rgba[y * stride + x] - above) & 0xff
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/* ------------------------------------------------------------ drawing */

/** Everything is designed on a 512 grid and scaled. */
const GRID = 512

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t)

const TILE = { x0: 32, y0: 32, x1: 480, y1: 480, r: 104 }
const TILE_TOP = hex('#2c4468')
const TILE_BOTTOM = hex('#0f1a2b')
const BAR_TOP = hex('#4fe0b6')
const BAR_BOTTOM = hex('#1f8f7a')
const PULSE = hex('#ffffff')

const BASELINE = 404
const BAR_WIDTH = 56
const BAR_GAP = 22
const BAR_HEIGHTS = [118, 206, 150, 250]
const BAR_LEFT = (GRID - (BAR_HEIGHTS.length * BAR_WIDTH + (BAR_HEIGHTS.length - 1) * BAR_GAP)) / 2
const BARS = BAR_HEIGHTS.map((h, i) => ({
  x0: BAR_LEFT + i * (BAR_WIDTH + BAR_GAP),
  x1: BAR_LEFT + i * (BAR_WIDTH + BAR_GAP) + BAR_WIDTH,
  y0: BASELINE - h,
  y1: BASELINE,
  r: 12,
}))

/** A heartbeat trace: flat, a spike up, a deep dip, a tall spike, back to flat. */
const PULSE_POINTS = [
  [72, 262],
  [168, 262],
  [200, 196],
  [242, 330],
  [290, 120],
  [328, 290],
  [354, 262],
  [440, 262],
]
const PULSE_WIDTH = 22
const HALO_WIDTH = 46

function inRoundedRect(x, y, { x0, y0, x1, y1, r }) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}

/** A bar: rounded at the top only. */
function inBar(x, y, bar) {
  if (y > bar.y0 + bar.r) return x >= bar.x0 && x <= bar.x1 && y <= bar.y1
  return inRoundedRect(x, y, { ...bar, y1: bar.y1 + bar.r })
}

function distanceToPulse(x, y) {
  let best = Infinity
  for (let i = 1; i < PULSE_POINTS.length; i++) {
    const [ax, ay] = PULSE_POINTS[i - 1]
    const [bx, by] = PULSE_POINTS[i]
    const dx = bx - ax
    const dy = by - ay
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)))
  }
  return best
}

/** The colour at a point of the 512 grid, or undefined outside the tile. */
function sample(x, y) {
  if (!inRoundedRect(x, y, TILE)) return undefined
  const tile = mix(TILE_TOP, TILE_BOTTOM, (y - TILE.y0) / (TILE.y1 - TILE.y0))
  const d = distanceToPulse(x, y)
  if (d <= PULSE_WIDTH / 2) return PULSE
  if (d <= HALO_WIDTH / 2) return tile
  for (const bar of BARS) {
    if (inBar(x, y, bar)) return mix(BAR_TOP, BAR_BOTTOM, (y - bar.y0) / (bar.y1 - bar.y0))
  }
  return tile
}

export function drawIcon(size, supersample = 4) {
  const rgba = Buffer.alloc(size * size * 4)
  const scale = GRID / size
  const n = supersample * supersample
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < supersample; sy++) {
        for (let sx = 0; sx < supersample; sx++) {
          const c = sample((px + (sx + 0.5) / supersample) * scale, (py + (sy + 0.5) / supersample) * scale)
          if (!c) continue
          r += c[0]
          g += c[1]
          b += c[2]
          a++
        }
      }
      const o = (py * size + px) * 4
      if (a > 0) {
        rgba[o] = Math.round(r / a)
        rgba[o + 1] = Math.round(g / a)
        rgba[o + 2] = Math.round(b / a)
        rgba[o + 3] = Math.round((255 * a) / n)
      }
    }
  }
  return rgba
}

function write(path, size) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, encodePng(size, size, drawIcon(size)))
  console.log(`wrote ${path.slice(root.length + 1)} (${size}x${size})`)
}

write(join(root, 'resources', 'icon.png'), 512)
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) write(join(root, 'resources', 'icons', `${size}x${size}.png`), size)
