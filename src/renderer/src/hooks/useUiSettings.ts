import { useCallback, useEffect } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'
import { useSavedSetting } from './useSavedSetting'

export type UiSettings = Settings['ui']

const DEFAULT_UI: UiSettings = { theme: 'system', confirmDestructive: true }

export interface UiSettingsState {
  ui: UiSettings
  /** Applies at once and saves; on failure goes back and reports. */
  update: (patch: Partial<UiSettings>) => void
}

/**
 * The window's own settings (columns, theme, confirmations): read with the
 * rest of the settings, changed here optimistically, saved with
 * updateSettings. The theme goes to :root's color-scheme, which every
 * light-dark() colour of the CSS follows; "system" leaves the page's
 * `light dark`, i.e. the system's choice.
 */
export function useUiSettings(loaded: Settings | undefined, onError: (message: string) => void): UiSettingsState {
  const { value: ui, change } = useSavedSetting(loaded?.ui, DEFAULT_UI, onError, loaded)
  const update = useCallback(
    (patch: Partial<UiSettings>) => change({ ...ui, ...patch }, () => api.updateSettings({ ui: patch }).then((saved) => saved.ui)),
    [ui, change],
  )

  const theme = ui.theme
  useEffect(() => {
    document.documentElement.style.colorScheme = theme === 'system' ? '' : theme
    document.documentElement.dataset.theme = theme
  }, [theme])

  return { ui, update }
}
