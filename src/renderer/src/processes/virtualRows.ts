/**
 * Which rows of a fixed-row-height list to render: those near the visible
 * part, so a list of thousands renders a few dozen. Pure.
 *
 * The viewport is kept in CHUNK-row steps, so a smooth scroll changes what
 * is rendered every CHUNK rows (a few times a second), not at every frame.
 */

export const CHUNK = 4
export const OVERSCAN = 3

export interface Viewport {
  /** The first visible row, rounded down to a multiple of CHUNK. */
  firstRow: number
  /** Rows that fit, rounded up to a multiple of CHUNK. */
  visibleRows: number
}

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number
  /** Last row to render (exclusive). */
  end: number
}

export function viewportOf(scrollTop: number, clientHeight: number, rowHeight: number): Viewport {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight))
  const visible = Math.ceil(clientHeight / rowHeight) + 1
  return { firstRow: first - (first % CHUNK), visibleRows: Math.ceil(visible / CHUNK) * CHUNK }
}

export function rowWindow(viewport: Viewport, count: number, overscan = OVERSCAN): RowWindow {
  const span = viewport.visibleRows + CHUNK
  // The list may have shrunk below the scroll position (a search): clamp, so the rows shown are the last ones.
  const first = Math.min(viewport.firstRow, Math.max(0, count - span))
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + span + overscan) }
}
