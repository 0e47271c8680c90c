import { useEffect, useState } from 'react'
import type { ProgramsOverview } from '../../../shared/supervisor/status'
import { api } from '../api'
import { isUnavailable } from './programView'

export interface ProgramsState {
  overview: ProgramsOverview | undefined
  /** Why there is no overview: UNAVAILABLE (no supervisor for this user) or another failure. */
  error: Error | undefined
}

/** While the supervisor is unavailable, asked again this often: a daemon started meanwhile shows up by itself. */
const RETRY_MS = 3000

/**
 * The programs overview, live (subscribeToPrograms), for the Supervisor
 * page and the process page's managed badge. The current overview is asked
 * for at once (listPrograms) so the page does not wait for a change; a
 * failed stream is subscribed again after a pause. `epoch` is the
 * connection's count of openings: a reconnect starts afresh.
 */
export function usePrograms(epoch: number): ProgramsState {
  const [state, setState] = useState<ProgramsState>({ overview: undefined, error: undefined })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (epoch <= 0) return
    let live = true
    let got = false
    let retry: ReturnType<typeof setTimeout> | undefined
    const fail = (error: Error) => {
      if (!live) return
      setState((s) => ({ overview: isUnavailable(error) ? undefined : s.overview, error }))
      retry ??= setTimeout(() => setAttempt((n) => n + 1), RETRY_MS)
    }
    const unsubscribe = api.subscribeToPrograms((overview) => {
      if (!live) return
      got = true
      setState({ overview, error: undefined })
    }, fail)
    api.listPrograms().then(
      (overview) => {
        if (live && !got) setState({ overview, error: undefined })
      },
      (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
    )
    return () => {
      live = false
      if (retry !== undefined) clearTimeout(retry)
      unsubscribe()
    }
  }, [epoch, attempt])

  return state
}
