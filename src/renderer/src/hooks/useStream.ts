import { useCallback, useEffect, useState } from 'react'
import type { Unsubscribe } from '../../../shared/contract'

export type Subscribe<T> = (listener: (value: T) => void, onError: (error: Error) => void) => Unsubscribe

export interface StreamState<T> {
  /** The latest value, until the first one arrives undefined. */
  value: T | undefined
  /** Set when the stream ended with an error; retry() subscribes again. */
  error: Error | undefined
  retry: () => void
}

/**
 * Subscribes while the component is mounted and unsubscribes on unmount.
 * `subscribe` must be stable (a module-level function).
 */
export function useStream<T>(subscribe: Subscribe<T>): StreamState<T> {
  const [value, setValue] = useState<T | undefined>(undefined)
  const [error, setError] = useState<Error | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    const unsubscribe = subscribe(
      (next) => {
        if (live) setValue(next)
      },
      (err) => {
        if (live) setError(err)
      },
    )
    return () => {
      live = false
      unsubscribe()
    }
  }, [subscribe, attempt])

  const retry = useCallback(() => {
    setError(undefined)
    setAttempt((n) => n + 1)
  }, [])

  return { value, error, retry }
}
