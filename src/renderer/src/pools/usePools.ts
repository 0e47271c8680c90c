import { useEffect, useState, useSyncExternalStore } from 'react'
import type { PoolsOverview } from '../../../shared/pools/pool'
import { api } from '../api'
import { isUnavailable } from '../supervisor/programView'
import { appendOverview, type PoolHistories } from './poolsView'

const onVisibilityChange = (notify: () => void): (() => void) => {
  document.addEventListener('visibilitychange', notify)
  return () => document.removeEventListener('visibilitychange', notify)
}
const pageVisible = (): boolean => document.visibilityState !== 'hidden'

/** While the owner is unreachable, asked again this often: an owner started meanwhile shows up by itself. */
const RETRY_MS = 3000

export interface PoolsState {
  overview: PoolsOverview | undefined
  /** Each pool's metrics since the page subscribed (bounded), for the charts. */
  histories: PoolHistories
  /** Why there is no overview (UNAVAILABLE: no owner runs the pools), or why it stopped updating. */
  error: Error | undefined
}

const NO_HISTORIES: PoolHistories = new Map()

/**
 * Every pool with its status and metrics (subscribeToPools) while the
 * window is visible, and each pool's live history for the charts. A failed
 * stream is subscribed again after a pause; `epoch` (the connection's count
 * of openings) starts afresh on a reconnect. The history survives a
 * resubscription: a hidden window leaves a gap, not an empty chart.
 */
export function usePools(epoch: number): PoolsState {
  const [state, setState] = useState<PoolsState>({ overview: undefined, histories: NO_HISTORIES, error: undefined })
  const [attempt, setAttempt] = useState(0)
  const visible = useSyncExternalStore(onVisibilityChange, pageVisible, () => true)

  useEffect(() => {
    if (epoch <= 0 || !visible) return
    let live = true
    let retry: ReturnType<typeof setTimeout> | undefined
    const unsubscribe = api.subscribeToPools(
      (overview) => {
        if (!live) return
        setState((s) => ({ overview, histories: appendOverview(s.histories, overview, Date.now()), error: undefined }))
      },
      (err) => {
        if (!live) return
        setState((s) => ({ ...s, overview: isUnavailable(err) ? undefined : s.overview, error: err }))
        retry ??= setTimeout(() => setAttempt((n) => n + 1), RETRY_MS)
      },
    )
    return () => {
      live = false
      if (retry !== undefined) clearTimeout(retry)
      unsubscribe()
    }
  }, [epoch, visible, attempt])

  return state
}
