import type { RgbaImage } from '../../../../src/main/desktop/tray/icon'

/**
 * Test helpers for looking at icons: composite onto a panel colour, scale
 * up without smoothing, and lay several side by side in a contact sheet.
 */

export type Rgb = readonly [number, number, number]

/** The icon as the panel shows it: alpha-composited over `panel`, opaque. */
export function onPanel(icon: RgbaImage, panel: Rgb, tint?: Rgb): RgbaImage {
  const rgba = new Uint8Array(icon.rgba.length)
  for (let i = 0; i < rgba.length; i += 4) {
    const a = icon.rgba[i + 3]! / 255
    for (let k = 0; k < 3; k++) {
      // A template image is recoloured by the system: only its alpha counts.
      const src = tint ? tint[k]! : icon.rgba[i + k]!
      rgba[i + k] = Math.round(src * a + panel[k]! * (1 - a))
    }
    rgba[i + 3] = 255
  }
  return { width: icon.width, height: icon.height, rgba }
}

export function scaleUp(image: RgbaImage, factor: number): RgbaImage {
  const width = image.width * factor
  const height = image.height * factor
  const rgba = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4
      rgba.set(image.rgba.subarray(from, from + 4), (y * width + x) * 4)
    }
  }
  return { width, height, rgba }
}

/** Rows of images, each row left to right with `pad` pixels of `background` around each. */
export function contactSheet(rows: RgbaImage[][], background: Rgb, pad = 8): RgbaImage {
  const rowHeights = rows.map((row) => Math.max(...row.map((i) => i.height)))
  const width = Math.max(...rows.map((row) => row.reduce((w, i) => w + i.width + pad, pad)))
  const height = rowHeights.reduce((h, rh) => h + rh + pad, pad)
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < rgba.length; i += 4) rgba.set([background[0], background[1], background[2], 255], i)
  let y = pad
  rows.forEach((row, r) => {
    let x = pad
    for (const image of row) {
      for (let yy = 0; yy < image.height; yy++) {
        rgba.set(image.rgba.subarray(yy * image.width * 4, (yy + 1) * image.width * 4), ((y + yy) * width + x) * 4)
      }
      x += image.width + pad
    }
    y += rowHeights[r]! + pad
  })
  return { width, height, rgba }
}
