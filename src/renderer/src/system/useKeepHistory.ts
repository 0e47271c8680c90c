import { useCallback, useState } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'

export interface KeepHistoryState {
  /** The monitorSystemMetrics setting: the engine samples from launch and keeps history (metricsHistorySize samples). */
  keep: boolean
  /** Applies at once and saves; on failure goes back and reports. */
  setKeep: (on: boolean) => void
}

/**
 * Whether the engine keeps system metrics history: read with the rest of
 * the settings (the default, on, until they arrive), changed optimistically,
 * saved with updateSettings.
 */
export function useKeepHistory(loaded: Settings | undefined, onError: (message: string) => void): KeepHistoryState {
  const [local, setLocal] = useState<boolean | undefined>(undefined)
  const keep = local ?? loaded?.monitorSystemMetrics ?? true

  const setKeep = useCallback(
    (on: boolean) => {
      const before = keep
      setLocal(on)
      api.updateSettings({ monitorSystemMetrics: on }).then(
        (saved) => setLocal(saved.monitorSystemMetrics),
        (err: unknown) => {
          setLocal(before)
          onError(`Could not save the setting: ${err instanceof Error ? err.message : String(err)}`)
        },
      )
    },
    [keep, onError],
  )

  return { keep, setKeep }
}
