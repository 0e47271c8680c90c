import { useCallback, useEffect, useState } from 'react'

export interface CallState<T> {
  value: T | undefined
  error: Error | undefined
  retry: () => void
}

/**
 * Runs a call, and again on retry and whenever `epoch` grows (pass the
 * connection's `opened` count: a host that came back may have other
 * settings, another pid). Nothing runs while `epoch` is 0 (never
 * connected): the connection's own message says why. The last value stays
 * until a new one arrives. `call` must be stable (a module-level function).
 */
export function useCall<T>(call: () => Promise<T>, epoch = 1): CallState<T> {
  const [value, setValue] = useState<T | undefined>(undefined)
  const [error, setError] = useState<Error | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (epoch <= 0) return
    let live = true
    call().then(
      (result) => {
        if (!live) return
        setValue(result)
        setError(undefined)
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err : new Error(String(err)))
      },
    )
    return () => {
      live = false
    }
  }, [call, attempt, epoch])

  const retry = useCallback(() => {
    setError(undefined)
    setAttempt((n) => n + 1)
  }, [])

  return { value, error, retry }
}
