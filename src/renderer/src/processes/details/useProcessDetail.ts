import { useCallback, useEffect, useState } from 'react'
import type { CallResult } from '../../../../shared/contract'
import { api } from '../../api'

/** The calls behind the details tabs: each takes the process the user saw. */
export type DetailCall = 'getOpenFiles' | 'getEnvironment' | 'getThreads' | 'getMemoryMaps' | 'getCgroup'

export interface Detail<K extends DetailCall> {
  value: CallResult<K> | undefined
  error: Error | undefined
  loading: boolean
  refresh: () => void
}

/**
 * One details tab's reading of one process: read when the tab opens, on
 * refresh, and every `pollMs` while it stays open (threads). A new process
 * starts empty; a failed poll keeps the last value beside the error.
 */
export function useProcessDetail<K extends DetailCall>(call: K, pid: number, startTime: number, pollMs?: number): Detail<K> {
  const key = `${call}:${pid}:${startTime}`
  const [state, setState] = useState<{ key: string; value?: CallResult<K>; error?: Error; loading: boolean }>({ key, loading: true })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const read = () => {
      setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }))
      const request = api[call] as (arg: { pid: number; startTime: number }) => Promise<CallResult<K>>
      void request({ pid, startTime })
        .then(
          (value) => live && setState({ key, value, loading: false }),
          (err: unknown) => live && setState((s) => ({ ...(s.key === key ? s : { key }), error: err instanceof Error ? err : new Error(String(err)), loading: false })),
        )
        .finally(() => {
          if (live && pollMs !== undefined) timer = setTimeout(read, pollMs)
        })
    }
    read()
    return () => {
      live = false
      if (timer) clearTimeout(timer)
    }
  }, [call, pid, startTime, pollMs, key, attempt])

  const refresh = useCallback(() => setAttempt((n) => n + 1), [])
  const mine = state.key === key
  return { value: mine ? state.value : undefined, error: mine ? state.error : undefined, loading: !mine || state.loading, refresh }
}
