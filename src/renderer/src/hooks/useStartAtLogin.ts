import { useCallback, useMemo } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'
import { useSavedSetting } from './useSavedSetting'

export interface StartAtLoginState {
  /** The startAtLogin setting: the desktop app starts at login, in the tray. */
  on: boolean
  /** Applies at once and saves; on failure goes back and reports. */
  set: (on: boolean) => void
}

/** Start Proctor at login (off until the settings arrive), changed optimistically like every setting of the window. */
export function useStartAtLogin(loaded: Settings | undefined, onError: (message: string) => void): StartAtLoginState {
  const { value: on, change } = useSavedSetting(loaded?.startAtLogin, false, onError, loaded)
  const set = useCallback((next: boolean) => change(next, () => api.updateSettings({ startAtLogin: next }).then((saved) => saved.startAtLogin)), [change])
  // One object while nothing changed: the header is memoized.
  return useMemo(() => ({ on, set }), [on, set])
}
