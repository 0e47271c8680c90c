import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { Unsubscribe } from '../../../shared/contract'

export type Subscribe<T> = (listener: (value: T) => void, onError: (error: Error) => void) => Unsubscribe

export interface StreamState<T> {
  /** The latest value, until the first one arrives undefined; kept while the page is hidden. */
  value: T | undefined
  /** Set when the stream ended with an error; retry() subscribes again. */
  error: Error | undefined
  retry: () => void
}

const onVisibilityChange = (notify: () => void): (() => void) => {
  document.addEventListener('visibilitychange', notify)
  return () => document.removeEventListener('visibilitychange', notify)
}
const pageVisible = (): boolean => document.visibilityState !== 'hidden'

/**
 * Subscribes while the component is mounted and the page is visible, and
 * unsubscribes on unmount or when the page is hidden (window hidden to the
 * tray, minimized, a background tab), so a hidden window costs nothing;
 * it subscribes again when the page shows. `subscribe` must be stable (a
 * module-level function).
 */
export function useStream<T>(subscribe: Subscribe<T>): StreamState<T> {
  const [value, setValue] = useState<T | undefined>(undefined)
  const [error, setError] = useState<Error | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)
  const visible = useSyncExternalStore(onVisibilityChange, pageVisible, () => true)

  useEffect(() => {
    if (!visible) return
    let live = true
    const unsubscribe = subscribe(
      (next) => {
        if (!live) return
        setValue(next)
        // Values again (after a hide and show, say): whatever stopped the stream before is over.
        setError(undefined)
      },
      (err) => {
        if (live) setError(err)
      },
    )
    return () => {
      live = false
      unsubscribe()
    }
  }, [subscribe, attempt, visible])

  const retry = useCallback(() => {
    setError(undefined)
    setAttempt((n) => n + 1)
  }, [])

  return { value, error, retry }
}
