import { useCallback, useEffect, useState } from 'react'

export interface CallState<T> {
  value: T | undefined
  error: Error | undefined
  retry: () => void
}

/** Runs a call once on mount (and again on retry). `call` must be stable (a module-level function). */
export function useCall<T>(call: () => Promise<T>): CallState<T> {
  const [value, setValue] = useState<T | undefined>(undefined)
  const [error, setError] = useState<Error | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    call().then(
      (result) => {
        if (live) setValue(result)
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err : new Error(String(err)))
      },
    )
    return () => {
      live = false
    }
  }, [call, attempt])

  const retry = useCallback(() => {
    setError(undefined)
    setAttempt((n) => n + 1)
  }, [])

  return { value, error, retry }
}
