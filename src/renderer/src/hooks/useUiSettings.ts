import { useCallback, useEffect, useState } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'

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
  const [local, setLocal] = useState<UiSettings | undefined>(undefined)
  const ui = local ?? loaded?.ui ?? DEFAULT_UI

  const update = useCallback(
    (patch: Partial<UiSettings>) => {
      const before = local ?? loaded?.ui ?? DEFAULT_UI
      setLocal({ ...before, ...patch })
      api.updateSettings({ ui: patch }).then(
        (saved) => setLocal(saved.ui),
        (err: unknown) => {
          setLocal(before)
          onError(`Could not save the setting: ${err instanceof Error ? err.message : String(err)}`)
        },
      )
    },
    [local, loaded, onError],
  )

  const theme = ui.theme
  useEffect(() => {
    document.documentElement.style.colorScheme = theme === 'system' ? '' : theme
    document.documentElement.dataset.theme = theme
  }, [theme])

  return { ui, update }
}
