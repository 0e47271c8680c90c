import { memo, useLayoutEffect } from 'react'
import type { SystemMetrics } from '../../../shared/types/system'
import { api } from '../api'
import { useStream, type Subscribe } from '../hooks/useStream'
import { StatusBar } from './StatusBar'

const subscribeMetrics: Subscribe<SystemMetrics> = (listener, onError) => api.subscribeToMetrics(listener, onError)

/** The metrics stream's failure, for the error banner. */
export interface StreamFailure {
  error: Error | undefined
  retry: () => void
}

type Props = Omit<Parameters<typeof StatusBar>[0], 'metrics'> & {
  /** Told when the metrics stream fails or recovers (and once at mount). */
  onFailure: (failure: StreamFailure) => void
}

/**
 * The status bar with the system metrics it subscribes to itself: a metrics
 * update every second renders this bar, not the whole App around it.
 */
export const LiveStatusBar = memo(function LiveStatusBar({ onFailure, ...props }: Props) {
  const { value, error, retry } = useStream(subscribeMetrics)
  // Before paint, as when the App held the stream: the banner and the bar show the same moment.
  useLayoutEffect(() => onFailure({ error, retry }), [error, retry, onFailure])
  return <StatusBar {...props} metrics={value} />
})
