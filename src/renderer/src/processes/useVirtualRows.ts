import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { HEADER_HEIGHT, ROW_HEIGHT } from './columns'
import { isRowVisible, scrollToShow } from './keyboard'
import { rowWindow, viewportOf, type RowWindow, type Viewport } from './virtualRows'

export interface Follow {
  /** The selected row's index in the list, -1 if none (or not in the list). */
  selectedIndex: number
  /** Changes when the user moved the selection (keys, "Show in tree", a click in the details): scroll it into view. */
  revealToken: number
  /** The list itself: a new one is a refresh or a new sort. */
  rows: unknown
  /** The search: a new one starts at the top, unless the selection is among its results. */
  resetKey: unknown
}

/**
 * A virtualized list in a scrolling container (attach `scroller`): the
 * window of rows to render, and the selected row kept on screen —
 * scrolled into view when the user moves the selection, and kept in view
 * across refreshes and sorts if it was in view (one the user scrolled away
 * from is left alone). Every scroll it makes itself updates the window in
 * the same frame, so no frame shows rows that are not rendered.
 */
export function useVirtualRows(count: number, follow: Follow): RowWindow & { scroller: RefObject<HTMLDivElement | null> } {
  const { selectedIndex, revealToken, rows, resetKey } = follow
  const scroller = useRef<HTMLDivElement>(null)
  const [viewport, setViewport] = useState<Viewport>({ firstRow: 0, visibleRows: 40 })
  const following = useRef(true)
  const lastReveal = useRef(revealToken)
  const lastReset = useRef(resetKey)
  const index = useRef(selectedIndex)

  // The scroll position and height as last seen by the scroll and resize events: reading them from
  // the element after a commit would force a synchronous layout at every refresh.
  const geometry = useRef({ scrollTop: 0, clientHeight: 0 })

  const measure = useCallback(() => {
    const { scrollTop, clientHeight } = geometry.current
    const next = viewportOf(scrollTop, clientHeight, ROW_HEIGHT)
    setViewport((prev) => (prev.firstRow === next.firstRow && prev.visibleRows === next.visibleRows ? prev : next))
  }, [])

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const read = () => {
      geometry.current = { scrollTop: el.scrollTop, clientHeight: el.clientHeight }
      measure()
    }
    const onScroll = () => {
      read()
      const { scrollTop, clientHeight } = geometry.current
      if (index.current >= 0) following.current = isRowVisible(index.current, ROW_HEIGHT, HEADER_HEIGHT, scrollTop, clientHeight)
    }
    // ResizeObserver reports the initial size as soon as it observes.
    const resize = new ResizeObserver(read)
    resize.observe(el)
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => {
      resize.disconnect()
      el.removeEventListener('scroll', onScroll)
    }
  }, [measure])

  useLayoutEffect(() => {
    index.current = selectedIndex
    const el = scroller.current
    if (!el) return
    const reset = lastReset.current !== resetKey
    const reveal = lastReveal.current !== revealToken
    lastReset.current = resetKey
    lastReveal.current = revealToken
    const { scrollTop, clientHeight } = geometry.current
    let top = scrollTop
    if (selectedIndex < 0) {
      if (reset) top = 0
    } else if (reveal || reset || following.current) {
      top = scrollToShow(selectedIndex, ROW_HEIGHT, HEADER_HEIGHT, scrollTop, clientHeight)
      following.current = true
    }
    if (top !== scrollTop) {
      el.scrollTop = top
      // What the browser made of it (clamped to the content): one layout, only when it scrolls.
      geometry.current = { scrollTop: el.scrollTop, clientHeight }
      measure()
    }
  }, [selectedIndex, revealToken, rows, resetKey, measure])

  return { scroller, ...rowWindow(viewport, count) }
}
