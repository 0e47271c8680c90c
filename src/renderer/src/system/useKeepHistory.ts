import { useCallback } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'
import { useSavedSetting } from '../hooks/useSavedSetting'

export interface KeepHistoryState {
  /** The monitorSystemMetrics setting: the engine samples from launch and keeps history (metricsHistorySize samples). */
  keep: boolean
  /** Applies at once and saves; on failure goes back and reports. */
  setKeep: (on: boolean) => void
}

/**
 * Whether the engine keeps system metrics history (on until the settings
 * arrive), changed optimistically like every setting of the window.
 */
export function useKeepHistory(loaded: Settings | undefined, onError: (message: string) => void): KeepHistoryState {
  const { value: keep, change } = useSavedSetting(loaded?.monitorSystemMetrics, true, onError, loaded)
  const setKeep = useCallback(
    (on: boolean) => change(on, () => api.updateSettings({ monitorSystemMetrics: on }).then((saved) => saved.monitorSystemMetrics)),
    [change],
  )
  return { keep, setKeep }
}
