import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderTrayIcon, trayGraphCapacity, trayIconLayout, type RgbaImage, type TrayIconTheme } from '../../../../src/main/desktop/tray/icon'
import { encodePng } from '../../../../src/main/desktop/tray/png'
import { contactSheet, onPanel, scaleUp, type Rgb } from './sheet'

const SIZES = [16, 22, 32, 44, 64] as const
const THEMES: TrayIconTheme[] = ['light', 'dark', 'template']

const alphaAt = (img: RgbaImage, x: number, y: number) => img.rgba[(y * img.width + x) * 4 + 3]!
const rgbAt = (img: RgbaImage, x: number, y: number) => [...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)]

/** Total alpha inside a box: how much is drawn there. */
function ink(img: RgbaImage, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let sum = 0
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) sum += alphaAt(img, x, y)
  return sum
}

/** Pixels drawn fully opaque inside a box (the template's fill is opaque black). */
function solid(img: RgbaImage, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let n = 0
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) if (alphaAt(img, x, y) === 255) n++
  return n
}

/** The inside of a frame. */
const interior = (box: { x0: number; y0: number; x1: number; y1: number }, stroke: number) => ({
  x0: box.x0 + stroke,
  y0: box.y0 + stroke,
  x1: box.x1 - stroke,
  y1: box.y1 - stroke,
})

describe('renderTrayIcon', () => {
  it('is size x size RGBA at every size and theme', () => {
    for (const size of SIZES) {
      for (const theme of THEMES) {
        const img = renderTrayIcon({ cpu: 40, memory: 60, size, theme })
        expect([img.width, img.height, img.rgba.length]).toEqual([size, size, size * size * 4])
      }
    }
  })

  it('refuses sizes it cannot draw legibly', () => {
    expect(() => renderTrayIcon({ cpu: 1, memory: 1, size: 4, theme: 'dark' })).toThrow(RangeError)
    expect(() => renderTrayIcon({ cpu: 1, memory: 1, size: Number.NaN, theme: 'dark' })).toThrow(RangeError)
  })

  it('lays the two bars out symmetrically, frames on whole pixels', () => {
    for (const size of SIZES) {
      const { cpu, memory, stroke } = trayIconLayout(size, false)
      for (const v of [cpu.x0, cpu.x1, memory.x0, memory.x1, cpu.y0, cpu.y1, stroke]) expect(Number.isInteger(v)).toBe(true)
      expect(cpu.x0).toBe(size - memory.x1)
      expect(cpu.x1 - cpu.x0).toBe(memory.x1 - memory.x0)
      expect(memory.x0 - cpu.x1).toBeGreaterThanOrEqual(2)
      // At least 4 pixels of fill height per 16 px of icon... in practice 12 of 16.
      expect(cpu.y1 - cpu.y0 - 2 * stroke).toBeGreaterThanOrEqual((size * 3) / 4 - 1)
    }
  })

  it('fills the CPU bar more for more CPU, strictly, in 5% steps, at every size', () => {
    for (const size of SIZES) {
      const { cpu, stroke } = trayIconLayout(size, false)
      let previous = -1
      for (let v = 0; v <= 100; v += 5) {
        const amount = ink(renderTrayIcon({ cpu: v, memory: 50, size, theme: 'template' }), interior(cpu, stroke))
        expect(amount, `cpu ${v}% at ${size} px`).toBeGreaterThan(previous)
        previous = amount
      }
    }
  })

  it('fills the bar to the value: solid pixels are the value times the interior (within one row)', () => {
    for (const size of [16, 22, 32]) {
      const { memory, stroke } = trayIconLayout(size, false)
      const inside = interior(memory, stroke)
      const width = inside.x1 - inside.x0
      const height = inside.y1 - inside.y0
      for (const v of [0, 25, 50, 61, 90, 100]) {
        const rows = solid(renderTrayIcon({ cpu: 0, memory: v, size, theme: 'template' }), inside) / width
        expect(Math.abs(rows - (height * v) / 100), `memory ${v}% at ${size} px`).toBeLessThanOrEqual(1)
      }
    }
  })

  it('draws each value in its own bar: CPU left, memory right', () => {
    const { cpu, memory, stroke } = trayIconLayout(16, false)
    const base = renderTrayIcon({ cpu: 10, memory: 10, size: 16, theme: 'dark' })
    const moreCpu = renderTrayIcon({ cpu: 90, memory: 10, size: 16, theme: 'dark' })
    const moreMem = renderTrayIcon({ cpu: 10, memory: 90, size: 16, theme: 'dark' })
    expect(ink(moreCpu, interior(cpu, stroke))).toBeGreaterThan(ink(base, interior(cpu, stroke)))
    expect(ink(moreCpu, interior(memory, stroke))).toBe(ink(base, interior(memory, stroke)))
    expect(ink(moreMem, interior(memory, stroke))).toBeGreaterThan(ink(base, interior(memory, stroke)))
    expect(ink(moreMem, interior(cpu, stroke))).toBe(ink(base, interior(cpu, stroke)))
  })

  it('template: black and alpha only', () => {
    for (const size of SIZES) {
      for (const [cpu, memory] of [[0, 0], [37, 81], [100, 100], [null, null]] as const) {
        const img = renderTrayIcon({ cpu, memory, size, theme: 'template' })
        for (let i = 0; i < img.rgba.length; i += 4) expect([img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]]).toEqual([0, 0, 0])
        expect(img.rgba.some((_, i) => i % 4 === 3 && img.rgba[i] === 255)).toBe(true)
      }
    }
  })

  it('light panels get dark frames, dark panels light ones; fills turn amber then red', () => {
    const { cpu } = trayIconLayout(16, false)
    const lum = ([r, g, b]: number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
    expect(lum(rgbAt(renderTrayIcon({ cpu: 0, memory: 0, size: 16, theme: 'light' }), cpu.x0, 8))).toBeLessThan(60)
    expect(lum(rgbAt(renderTrayIcon({ cpu: 0, memory: 0, size: 16, theme: 'dark' }), cpu.x0, 8))).toBeGreaterThan(200)
    const fill = (v: number) => rgbAt(renderTrayIcon({ cpu: v, memory: 0, size: 16, theme: 'dark' }), cpu.x0 + 2, cpu.y1 - 2)
    const [r1, g1] = fill(30)
    const [r2, g2] = fill(80)
    const [r3, g3, b3] = fill(97)
    expect(g1!).toBeGreaterThan(r1!) // green
    expect(r2!).toBeGreaterThan(200) // amber: red and green high
    expect(g2!).toBeGreaterThan(150)
    expect(r3!).toBeGreaterThan(g3! + 80) // red
    expect(r3!).toBeGreaterThan(b3! + 80)
  })

  it('draws unknown values (null, NaN) as empty bars, and clamps out-of-range values', () => {
    const empty = renderTrayIcon({ cpu: 0, memory: 0, size: 22, theme: 'dark' })
    expect(renderTrayIcon({ cpu: null, memory: null, size: 22, theme: 'dark' }).rgba).toEqual(empty.rgba)
    expect(renderTrayIcon({ cpu: Number.NaN, memory: 0, size: 22, theme: 'dark' }).rgba).toEqual(empty.rgba)
    expect(renderTrayIcon({ cpu: -5, memory: -1, size: 22, theme: 'dark' }).rgba).toEqual(empty.rgba)
    expect(renderTrayIcon({ cpu: 250, memory: 100, size: 22, theme: 'dark' }).rgba).toEqual(
      renderTrayIcon({ cpu: 100, memory: 100, size: 22, theme: 'dark' }).rgba,
    )
  })

  it('paused: no fill whatever the values, and dimmer frames', () => {
    const paused = renderTrayIcon({ cpu: 80, memory: 90, size: 16, theme: 'template', paused: true })
    expect(paused.rgba).toEqual(renderTrayIcon({ cpu: 0, memory: 0, size: 16, theme: 'template', paused: true }).rgba)
    const maxAlpha = (img: RgbaImage) => Math.max(...img.rgba.filter((_, i) => i % 4 === 3))
    expect(maxAlpha(paused)).toBeLessThan(maxAlpha(renderTrayIcon({ cpu: 0, memory: 0, size: 16, theme: 'template' })))
  })

  it('with a history, draws CPU as a graph whose columns follow the samples, newest at the right', () => {
    for (const size of [16, 22, 32]) {
      const { cpu, stroke } = trayIconLayout(size, true)
      const inside = interior(cpu, stroke)
      const columns = trayGraphCapacity(size)
      expect(columns).toBe(inside.x1 - inside.x0)
      const history = Array.from({ length: columns + 5 }, (_, i) => i * (100 / (columns + 4)))
      const img = renderTrayIcon({ cpu: 100, memory: 0, size, theme: 'template', history })
      const heights = Array.from({ length: columns }, (_, c) => ink(img, { x0: inside.x0 + c, y0: inside.y0, x1: inside.x0 + c + 1, y1: inside.y1 }))
      for (let c = 1; c < columns; c++) expect(heights[c]!).toBeGreaterThan(heights[c - 1]!)
      // The newest sample (100%) fills its column; the oldest drawn ones are the last `columns` samples.
      expect(solid(img, { x0: inside.x1 - 1, y0: inside.y0, x1: inside.x1, y1: inside.y1 })).toBe(inside.y1 - inside.y0)
    }
  })

  it('a short history fills from the right, leaving older columns empty', () => {
    const { cpu, stroke } = trayIconLayout(32, true)
    const inside = interior(cpu, stroke)
    const img = renderTrayIcon({ cpu: 50, memory: 0, size: 32, theme: 'template', history: [50, 50] })
    expect(solid(img, { x0: inside.x0, y0: inside.y0, x1: inside.x1 - 2, y1: inside.y1 })).toBe(0)
    expect(solid(img, { x0: inside.x1 - 2, y0: inside.y0, x1: inside.x1, y1: inside.y1 })).toBeGreaterThan(0)
  })
})

/* ------------------------------------------------------------ artifacts */

const OUT = resolve(import.meta.dirname, '..', '..', '..', '..', 'test-results', 'tray-icons')
const VALUES: Array<{ name: string; cpu: number | null; memory: number | null; paused?: boolean }> = [
  { name: 'cpu0-mem0', cpu: 0, memory: 0 },
  { name: 'cpu5-mem30', cpu: 5, memory: 30 },
  { name: 'cpu23-mem61', cpu: 23, memory: 61 },
  { name: 'cpu50-mem50', cpu: 50, memory: 50 },
  { name: 'cpu75-mem85', cpu: 75, memory: 85 },
  { name: 'cpu95-mem97', cpu: 95, memory: 97 },
  { name: 'cpu100-mem100', cpu: 100, memory: 100 },
  { name: 'unknown', cpu: null, memory: null },
  { name: 'paused', cpu: 40, memory: 60, paused: true },
]
const HISTORY = Array.from({ length: 40 }, (_, i) => 50 + 45 * Math.sin(i / 2.5))
const LIGHT_PANEL: Rgb = [236, 236, 236]
const DARK_PANEL: Rgb = [38, 38, 38]

describe('icon artifacts (test-results/tray-icons, for looking at)', () => {
  it('writes every size, theme and value as PNG, plus contact sheets on light and dark panels', () => {
    mkdirSync(OUT, { recursive: true })
    let written = 0
    for (const style of ['bars', 'graph'] as const) {
      const history = style === 'graph' ? HISTORY : undefined
      for (const theme of THEMES) {
        for (const size of SIZES) {
          for (const v of VALUES) {
            const png = encodePng(renderTrayIcon({ cpu: v.cpu, memory: v.memory, size, theme, paused: v.paused, history }))
            writeFileSync(join(OUT, `${style}-${theme}-${size}px-${v.name}.png`), png)
            written++
          }
        }
      }
      // Sheets: each theme on the panel it is meant for, and on the other one (a wrong guess must stay legible).
      // Template images as macOS shows them: black on a light menu bar, white on a dark one.
      const cases: Array<{ theme: TrayIconTheme; panel: Rgb; tint?: Rgb; file: string }> = [
        { theme: 'dark', panel: DARK_PANEL, file: 'dark-on-dark' },
        { theme: 'light', panel: LIGHT_PANEL, file: 'light-on-light' },
        { theme: 'dark', panel: LIGHT_PANEL, file: 'dark-on-light (wrong guess)' },
        { theme: 'light', panel: DARK_PANEL, file: 'light-on-dark (wrong guess)' },
        { theme: 'template', panel: LIGHT_PANEL, tint: [0, 0, 0], file: 'template-light-menubar' },
        { theme: 'template', panel: [30, 30, 30], tint: [255, 255, 255], file: 'template-dark-menubar' },
      ]
      for (const c of cases) {
        const actual = SIZES.map((size) =>
          VALUES.map((v) => onPanel(renderTrayIcon({ cpu: v.cpu, memory: v.memory, size, theme: c.theme, paused: v.paused, history }), c.panel, c.tint)),
        )
        const zoomed = SIZES.map((size, r) => actual[r]!.map((img) => scaleUp(img, Math.max(1, Math.round(96 / size)))))
        writeFileSync(join(OUT, `sheet-${style}-${c.file.replace(/[ ()]+/g, '-').replace(/-$/, '')}-actual.png`), encodePng(contactSheet(actual, c.panel)))
        writeFileSync(join(OUT, `sheet-${style}-${c.file.replace(/[ ()]+/g, '-').replace(/-$/, '')}-zoomed.png`), encodePng(contactSheet(zoomed, c.panel)))
        written += 2
      }
    }
    expect(written).toBe(2 * (THEMES.length * SIZES.length * VALUES.length + 12))
  })
})
