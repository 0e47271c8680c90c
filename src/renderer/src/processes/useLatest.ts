import { useLayoutEffect, useRef, type RefObject } from 'react'

/**
 * A ref to the last committed value: callbacks that read it keep their
 * identity across refreshes (so memoised children do not render again),
 * yet act on what is on screen when they run.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value)
  useLayoutEffect(() => {
    ref.current = value
  })
  return ref
}
