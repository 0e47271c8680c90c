import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { MetricsAggregates, MetricsHistory, MetricsRange, SystemMetrics } from '../../../shared/types/system'
import { METRICS_RANGES } from '../../../shared/types/system'
import { seriesValues } from '../../../shared/system/series'
import { api } from '../api'
import { rangeMs } from './model/chartData'
import { appendSample, EMPTY_HISTORY, mergeHistory, withEarlierRows } from './model/timeline'

export interface Timeline {
  /** The range's history, live samples appended, trimmed to the range. */
  history: MetricsHistory
  /** The newest live sample (filesystems, load, uptime, ... that history does not chart). */
  latest: SystemMetrics | undefined
  /** The fetched history has arrived (or failed): until then the charts are waiting. */
  loaded: boolean
  /** Counts the fetches merged in: a new value means the history was replaced, not appended to. */
  epoch: number
  /** Fetching the history failed: the charts still fill from live samples. */
  historyError: Error | undefined
  /** The live stream ended with an error. */
  streamError: Error | undefined
  retry: () => void
}

type State = Omit<Timeline, 'retry'>

/** Samples kept while the history is on its way: a few seconds' worth. */
const MAX_PENDING = 30

/** Without the engine's history, the page keeps what it sampled for the widest range, so another range loses nothing. */
const LOCAL_KEEP_MS = Math.max(...METRICS_RANGES.map(rangeMs))

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)))

/**
 * The System page's data: fetches getMetricsHistory for the range, then
 * appends each sample of the system metrics stream, trimming to the range.
 * Subscribed only while `active` (the page is mounted and the window is
 * visible); on becoming active again, or on a new range, it fetches again,
 * so a gap while hidden is filled from the engine's own history.
 *
 * The stream is subscribed before the fetch: samples that arrive while the
 * history is on its way are kept and merged after it, duplicates (by
 * timestamp) dropped, so no sample is lost between the two.
 *
 * When the engine keeps no history (`engineHistory` false: the
 * monitorSystemMetrics setting is off) there is nothing to fetch: the
 * page's own samples, since it opened, are all the charts have, kept
 * across range changes; rows on screen from before a fetched history
 * stay too (history just turned on).
 */
export function useMetricsTimeline(range: MetricsRange, active: boolean, engineHistory = true): Timeline {
  const [state, setState] = useState<State>({
    history: EMPTY_HISTORY,
    latest: undefined,
    loaded: false,
    epoch: 0,
    historyError: undefined,
    streamError: undefined,
  })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!active) return
    const windowMs = engineHistory ? rangeMs(range) : LOCAL_KEEP_MS
    let live = true
    let pending: { timestamp: number; values: ReturnType<typeof seriesValues> }[] | undefined = []

    const unsubscribe = api.subscribeToMetrics(
      (sample) => {
        if (!live) return
        const values = seriesValues(sample)
        if (pending) {
          pending.push({ timestamp: sample.timestamp, values })
          if (pending.length > MAX_PENDING) pending.shift()
          // Samples again: whatever stopped the stream before is over.
          setState((s) => ({ ...s, latest: sample, streamError: undefined }))
          return
        }
        setState((s) => ({
          ...s,
          latest: sample,
          history: appendSample(s.history, sample.timestamp, values, windowMs),
          streamError: undefined,
        }))
      },
      (err) => {
        if (live) setState((s) => ({ ...s, streamError: asError(err) }))
      },
    )

    const settle = (fetched: MetricsHistory | undefined, error: Error | undefined) => {
      if (!live) return
      const samples = pending ?? []
      pending = undefined
      setState((s) => ({
        ...s,
        // Without a fetched history, keep what is already on screen and go on from there.
        history: mergeHistory(fetched ? withEarlierRows(fetched, s.history) : s.history, samples, windowMs),
        loaded: true,
        epoch: s.epoch + 1,
        historyError: error,
      }))
    }
    if (engineHistory) {
      api.getMetricsHistory({ range }).then(
        (h) => settle(h, undefined),
        (err: unknown) => settle(undefined, asError(err)),
      )
    } else {
      settle(undefined, undefined)
    }

    return () => {
      live = false
      unsubscribe()
    }
  }, [range, active, engineHistory, attempt])

  const retry = useCallback(() => {
    setState((s) => ({ ...s, historyError: undefined, streamError: undefined }))
    setAttempt((n) => n + 1)
  }, [])
  return { ...state, retry }
}

/** How often the range's aggregates are asked for again while the page is shown. */
export const AGGREGATES_REFRESH_MS = 5_000

/**
 * min/avg/p95/max of every series over the range, from getAggregatedMetrics,
 * refreshed every few seconds while `active`. Optional: on failure the
 * summary just shows no aggregates.
 */
export function useAggregates(range: MetricsRange, active: boolean): MetricsAggregates | undefined {
  const [aggregates, setAggregates] = useState<{ range: MetricsRange; value: MetricsAggregates } | undefined>(undefined)

  useEffect(() => {
    if (!active) return
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () => {
      api.getAggregatedMetrics({ range }).then(
        (value) => {
          if (live) setAggregates({ range, value })
        },
        () => {
          // Optional: the summary shows current values only.
        },
      ).finally(() => {
        if (live) timer = setTimeout(load, AGGREGATES_REFRESH_MS)
      })
    }
    load()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [range, active])

  // Another range's aggregates are not this range's.
  return aggregates?.range === range ? aggregates.value : undefined
}

const onVisibilityChange = (notify: () => void): (() => void) => {
  document.addEventListener('visibilitychange', notify)
  return () => document.removeEventListener('visibilitychange', notify)
}
const documentVisible = (): boolean => document.visibilityState !== 'hidden'

/** Whether the document is visible (not a window hidden to the tray, minimized, or a background tab). */
export function usePageVisible(): boolean {
  return useSyncExternalStore(onVisibilityChange, documentVisible, () => true)
}
