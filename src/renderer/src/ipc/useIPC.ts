import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { IPCOverview, IPCTrafficEvent } from '../../../shared/broker/status'
import { api } from '../api'
import { isUnavailable } from '../supervisor/programView'
import { appendEvents, nextRates, NO_RATES, type Rates } from './ipcView'

const onVisibilityChange = (notify: () => void): (() => void) => {
  document.addEventListener('visibilitychange', notify)
  return () => document.removeEventListener('visibilitychange', notify)
}
const pageVisible = (): boolean => document.visibilityState !== 'hidden'

export interface LiveOverview {
  overview: IPCOverview
  /** Per connection id (and TOTALS), per second; absent until an interval has passed. */
  rates: ReadonlyMap<string, Rates>
}

export interface OverviewState {
  live: LiveOverview | undefined
  /** Why there is no overview (UNAVAILABLE: no owner runs a broker), or why it stopped updating. */
  error: Error | undefined
}

/** While the broker is unreachable, asked again this often: an owner started meanwhile shows up by itself. */
const RETRY_MS = 3000

/**
 * The broker's overview with live rates (subscribeToIPCConnections), while
 * the window is visible. Each subscription keeps its own bases (the
 * counters a rate is taken from), on a monotonic clock. The overview is
 * also asked for once at the start (getIPCConnections) so the page does
 * not wait for the first refresh; a failed stream is subscribed again
 * after a pause. `epoch` is the connection's count of openings: a
 * reconnect starts afresh.
 */
export function useIPCOverview(epoch: number): OverviewState {
  const [state, setState] = useState<OverviewState>({ live: undefined, error: undefined })
  const [attempt, setAttempt] = useState(0)
  const visible = useSyncExternalStore(onVisibilityChange, pageVisible, () => true)

  useEffect(() => {
    if (epoch <= 0 || !visible) return
    let live = true
    let got = false
    let rates = NO_RATES
    let retry: ReturnType<typeof setTimeout> | undefined
    const take = (overview: IPCOverview) => {
      if (!live) return
      got = true
      rates = nextRates(rates, overview, performance.now())
      setState({ live: { overview, rates: rates.rates }, error: undefined })
    }
    const fail = (err: unknown) => {
      if (!live) return
      const error = err instanceof Error ? err : new Error(String(err))
      setState((s) => ({ live: isUnavailable(error) ? undefined : s.live, error }))
      retry ??= setTimeout(() => setAttempt((n) => n + 1), RETRY_MS)
    }
    const unsubscribe = api.subscribeToIPCConnections(take, fail)
    api.getIPCConnections().then(
      (o) => {
        if (!got) take(o)
      },
      (err: unknown) => {
        if (!got) fail(err)
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

export interface TrafficState {
  /** The events shown: the live ones, or those frozen at a pause. */
  events: readonly IPCTrafficEvent[]
  /** Events that arrived while paused. */
  waiting: number
  /** Events dropped from the front to keep the log bounded. */
  dropped: number
  paused: boolean
  setPaused: (on: boolean) => void
  clear: () => void
  error: Error | undefined
  retry: () => void
}

type Log = { events: readonly IPCTrafficEvent[]; dropped: number }
const EMPTY: Log = { events: [], dropped: 0 }

/**
 * The broker's traffic, bounded (the oldest go first), while the broker
 * listens and the window is visible. Pause freezes what is shown; new events
 * keep arriving behind it and show at resume. Clear empties the log.
 */
export function useTraffic(listening: boolean, epoch: number): TrafficState {
  const [log, setLog] = useState<Log>(EMPTY)
  const [frozen, setFrozen] = useState<Log | undefined>(undefined)
  const [error, setError] = useState<Error | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)
  const visible = useSyncExternalStore(onVisibilityChange, pageVisible, () => true)

  useEffect(() => {
    if (!listening || !visible || epoch <= 0) return
    let live = true
    const unsubscribe = api.subscribeToIPCTraffic(
      (batch) => {
        if (!live) return
        setLog((l) => appendEvents(l, batch))
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
  }, [listening, visible, epoch, attempt])

  const setPaused = useCallback((on: boolean) => setFrozen(on ? log : undefined), [log])
  const clear = useCallback(() => {
    setLog(EMPTY)
    setFrozen((f) => (f ? EMPTY : f))
  }, [])
  const retry = useCallback(() => {
    setError(undefined)
    setAttempt((n) => n + 1)
  }, [])

  const shown = frozen ?? log
  // Arrived since the pause: the live log's count past the frozen one (dropped ones included).
  const waiting = frozen ? log.events.length + log.dropped - (frozen.events.length + frozen.dropped) : 0
  return { events: shown.events, dropped: shown.dropped, waiting: Math.max(0, waiting), paused: frozen !== undefined, setPaused, clear, error, retry }
}
