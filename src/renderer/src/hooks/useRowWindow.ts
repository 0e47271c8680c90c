import { useLayoutEffect, useState, type RefObject } from 'react'

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number
  /** Last row to render (exclusive). */
  end: number
}

interface Viewport {
  firstRow: number
  visibleRows: number
}

/**
 * Which rows of a fixed-row-height list are near the visible part of a
 * scrolling container, so a long table renders a few dozen rows instead of
 * thousands. Re-renders only when the row range changes, not on every pixel.
 */
export function useRowWindow(
  container: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan = 12,
): RowWindow {
  const [viewport, setViewport] = useState<Viewport>({ firstRow: 0, visibleRows: 40 })

  useLayoutEffect(() => {
    const el = container.current
    if (!el) return
    const update = () => {
      const next = { firstRow: Math.floor(el.scrollTop / rowHeight), visibleRows: Math.ceil(el.clientHeight / rowHeight) + 1 }
      setViewport((prev) => (prev.firstRow === next.firstRow && prev.visibleRows === next.visibleRows ? prev : next))
    }
    // ResizeObserver reports the initial size as soon as it observes.
    const resize = new ResizeObserver(update)
    resize.observe(el)
    el.addEventListener('scroll', update, { passive: true })
    return () => {
      resize.disconnect()
      el.removeEventListener('scroll', update)
    }
  }, [container, rowHeight])

  // The list may have shrunk below the scroll position (a search): clamp, so the rows shown are the last ones.
  const first = Math.min(viewport.firstRow, Math.max(0, count - viewport.visibleRows))
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, first + viewport.visibleRows + overscan),
  }
}
