/**
 * The tray icon, drawn from raw pixels: two bars (CPU left, memory right)
 * filled from the bottom, or, when a CPU history is given, a small CPU graph
 * beside the memory bar. Pure: numbers in, an RGBA buffer out; the edge
 * encodes it (png.ts) and hands it to Electron.
 *
 * Pixel geometry is whole pixels (frames land on the pixel grid, so they
 * stay sharp at 16 px); only the top edge of a fill is partial, drawn with
 * its exact coverage, so 50% and 53% differ visibly even in a 12-pixel bar.
 */

export type TrayIconTheme = 'light' | 'dark' | 'template'

export interface TrayIconInput {
  /** Total CPU busy, 0..100; null when unknown (first sample). */
  cpu: number | null
  /** Memory used, 0..100; null when unknown. */
  memory: number | null
  /** Edge of the square icon in pixels: 16, 22, 32 or their @2x. */
  size: number
  /**
   * 'light': for a light panel (dark frames); 'dark': for a dark panel
   * (light frames); 'template': black and alpha only, for macOS, which
   * recolours it for the menu bar.
   */
  theme: TrayIconTheme
  /** Recent CPU totals, oldest first. With two or more, CPU is drawn as a graph of the latest ones. */
  history?: readonly (number | null)[]
  /** Monitoring is paused: empty, dimmed frames. */
  paused?: boolean
}

export interface RgbaImage {
  width: number
  height: number
  /** Straight (not premultiplied) RGBA, row by row, top row first. */
  rgba: Uint8Array
}

type Color = readonly [r: number, g: number, b: number, a: number]

interface Palette {
  /** A faint ring of the opposite colour around each frame, so a wrong guess of the panel colour stays legible. */
  halo?: Color
  frame: Color
  track: Color
  cpu: readonly [normal: Color, warm: Color, hot: Color]
  memory: readonly [normal: Color, warm: Color, hot: Color]
}

/** Above these, a fill turns amber, then red (not in the template: macOS recolours it). */
export const CPU_LEVELS = { warm: 70, hot: 90 } as const
export const MEMORY_LEVELS = { warm: 80, hot: 92 } as const

const hex = (rgb: number, a = 1): Color => [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, a]

const PALETTES: Record<TrayIconTheme, Palette> = {
  // Light strokes and bright fills for a dark panel.
  dark: {
    halo: hex(0x000000, 0.45),
    frame: hex(0xffffff, 0.95),
    track: hex(0xffffff, 0.18),
    cpu: [hex(0x34d399), hex(0xfbbf24), hex(0xf87171)],
    memory: [hex(0x60a5fa), hex(0xfbbf24), hex(0xf87171)],
  },
  // Dark strokes and deeper fills for a light panel.
  light: {
    halo: hex(0xffffff, 0.6),
    frame: hex(0x000000, 0.8),
    track: hex(0x000000, 0.1),
    cpu: [hex(0x059669), hex(0xd97706), hex(0xdc2626)],
    memory: [hex(0x2563eb), hex(0xd97706), hex(0xdc2626)],
  },
  // Black only; the level is the height. The track stays faint so an empty bar still reads as a bar.
  template: {
    frame: hex(0x000000),
    track: hex(0x000000, 0.2),
    cpu: [hex(0x000000), hex(0x000000), hex(0x000000)],
    memory: [hex(0x000000), hex(0x000000), hex(0x000000)],
  },
}

/** A float canvas, premultiplied, with area-coverage rectangle fills. */
class Canvas {
  readonly px: Float64Array

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.px = new Float64Array(width * height * 4)
  }

  /** Fills [x0,x1) x [y0,y1) (fractional edges get partial coverage), source-over. */
  fill(x0: number, y0: number, x1: number, y1: number, color: Color): void {
    const left = Math.max(0, x0)
    const right = Math.min(this.width, x1)
    const top = Math.max(0, y0)
    const bottom = Math.min(this.height, y1)
    if (right <= left || bottom <= top) return
    const [r, g, b, a] = color
    for (let y = Math.floor(top); y < Math.ceil(bottom); y++) {
      const cy = Math.min(bottom, y + 1) - Math.max(top, y)
      for (let x = Math.floor(left); x < Math.ceil(right); x++) {
        const cx = Math.min(right, x + 1) - Math.max(left, x)
        const alpha = a * cx * cy
        if (alpha <= 0) continue
        const i = (y * this.width + x) * 4
        const keep = 1 - alpha
        this.px[i] = (r / 255) * alpha + this.px[i]! * keep
        this.px[i + 1] = (g / 255) * alpha + this.px[i + 1]! * keep
        this.px[i + 2] = (b / 255) * alpha + this.px[i + 2]! * keep
        this.px[i + 3] = alpha + this.px[i + 3]! * keep
      }
    }
  }

  /** A frame `stroke` pixels wide just inside the rectangle. */
  frame(x0: number, y0: number, x1: number, y1: number, stroke: number, color: Color): void {
    this.fill(x0, y0, x1, y0 + stroke, color)
    this.fill(x0, y1 - stroke, x1, y1, color)
    this.fill(x0, y0 + stroke, x0 + stroke, y1 - stroke, color)
    this.fill(x1 - stroke, y0 + stroke, x1, y1 - stroke, color)
  }

  toRgba(): RgbaImage {
    const rgba = new Uint8Array(this.width * this.height * 4)
    for (let i = 0; i < rgba.length; i += 4) {
      const a = this.px[i + 3]!
      if (a <= 0) continue
      rgba[i] = Math.round(Math.min(1, this.px[i]! / a) * 255)
      rgba[i + 1] = Math.round(Math.min(1, this.px[i + 1]! / a) * 255)
      rgba[i + 2] = Math.round(Math.min(1, this.px[i + 2]! / a) * 255)
      rgba[i + 3] = Math.round(Math.min(1, a) * 255)
    }
    return { width: this.width, height: this.height, rgba }
  }
}

/** 0..1, or undefined for unknown / not a number. */
function fraction(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined || !Number.isFinite(value)) return undefined
  return Math.min(1, Math.max(0, value / 100))
}

function level(value: number, levels: { warm: number; hot: number }): 0 | 1 | 2 {
  return value >= levels.hot ? 2 : value >= levels.warm ? 1 : 0
}

interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

/**
 * Where things go, in whole pixels. `unit` is one pixel at 16 px, two at 32:
 * margins and frames scale with it, so @2x looks like 1x, only sharper.
 */
export function trayIconLayout(size: number, graph: boolean): { stroke: number; cpu: Box; memory: Box } {
  const unit = Math.max(1, Math.round(size / 16))
  const margin = unit
  const inner = size - 2 * margin
  if (!graph) {
    // Even leftovers only, so the two bars sit symmetrically.
    let gap = Math.max(2, Math.round(size / 8))
    if ((inner - gap) % 2 !== 0) gap++
    const bar = Math.floor((inner - gap) / 2)
    const x = margin + Math.floor((inner - gap - 2 * bar) / 2)
    return {
      stroke: unit,
      cpu: { x0: x, y0: margin, x1: x + bar, y1: size - margin },
      memory: { x0: x + bar + gap, y0: margin, x1: x + 2 * bar + gap, y1: size - margin },
    }
  }
  // Graph: CPU takes what the memory bar leaves (about two thirds).
  const gap = unit
  const bar = Math.max(4, Math.round((size * 5) / 16))
  const graphWidth = inner - gap - bar
  return {
    stroke: unit,
    cpu: { x0: margin, y0: margin, x1: margin + graphWidth, y1: size - margin },
    memory: { x0: margin + graphWidth + gap, y0: margin, x1: margin + graphWidth + gap + bar, y1: size - margin },
  }
}

/** How many history points the graph shows at `size` (one pixel column each). */
export function trayGraphCapacity(size: number): number {
  const { stroke, cpu } = trayIconLayout(size, true)
  return cpu.x1 - cpu.x0 - 2 * stroke
}

function drawBar(c: Canvas, box: Box, stroke: number, value: number | undefined, colors: Palette['cpu'], lv: 0 | 1 | 2, p: Palette, dim: boolean): void {
  const frame: Color = dim ? [p.frame[0], p.frame[1], p.frame[2], p.frame[3] * 0.45] : p.frame
  if (p.halo) c.frame(box.x0 - stroke, box.y0 - stroke, box.x1 + stroke, box.y1 + stroke, stroke, p.halo)
  c.frame(box.x0, box.y0, box.x1, box.y1, stroke, frame)
  const ix0 = box.x0 + stroke
  const ix1 = box.x1 - stroke
  const iy0 = box.y0 + stroke
  const iy1 = box.y1 - stroke
  c.fill(ix0, iy0, ix1, iy1, p.track)
  if (value === undefined || dim) return
  c.fill(ix0, iy1 - (iy1 - iy0) * value, ix1, iy1, colors[lv])
}

/** Renders the tray icon for the given values; see TrayIconInput. */
export function renderTrayIcon(input: TrayIconInput): RgbaImage {
  const size = Math.round(input.size)
  if (!Number.isFinite(size) || size < 8 || size > 256) throw new RangeError(`renderTrayIcon: size ${input.size} is outside 8..256`)
  const p = PALETTES[input.theme]
  const history = input.history && input.history.length >= 2 ? input.history : undefined
  const { stroke, cpu, memory } = trayIconLayout(size, history !== undefined)
  const c = new Canvas(size, size)
  const dim = input.paused === true

  const mem = fraction(input.memory)
  drawBar(c, memory, stroke, mem, p.memory, mem === undefined ? 0 : level(mem * 100, MEMORY_LEVELS), p, dim)

  const now = fraction(input.cpu)
  const cpuLevel = now === undefined ? 0 : level(now * 100, CPU_LEVELS)
  if (!history) {
    drawBar(c, cpu, stroke, now, p.cpu, cpuLevel, p, dim)
  } else {
    // The graph: one column per sample, newest at the right, coloured by the current level.
    drawBar(c, cpu, stroke, undefined, p.cpu, cpuLevel, p, dim)
    if (!dim) {
      const ix0 = cpu.x0 + stroke
      const ix1 = cpu.x1 - stroke
      const iy0 = cpu.y0 + stroke
      const iy1 = cpu.y1 - stroke
      const columns = ix1 - ix0
      const recent = history.slice(-columns)
      const start = ix1 - recent.length
      recent.forEach((v, i) => {
        const f = fraction(v)
        if (f !== undefined) c.fill(start + i, iy1 - (iy1 - iy0) * f, start + i + 1, iy1, p.cpu[cpuLevel])
      })
    }
  }
  return c.toRgba()
}
