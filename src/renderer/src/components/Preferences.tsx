import type { Settings } from '../../../shared/settings'
import type { StartAtLoginState } from '../hooks/useStartAtLogin'
import { MetricsEndpointSetting } from './MetricsEndpointSetting'
import { Popover } from './Popover'
import { StartAtLoginOption } from './StartAtLoginOption'

export type Theme = Settings['ui']['theme']

interface Props {
  theme: Theme
  onTheme: (theme: Theme) => void
  confirmDestructive: boolean
  onConfirmDestructive: (on: boolean) => void
  /** The monitorSystemMetrics setting. */
  keepHistory: boolean
  onKeepHistory: (on: boolean) => void
  startAtLogin: StartAtLoginState
}

const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'Match the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/**
 * The look (light, dark, or the system's), whether destructive actions ask
 * first, whether system metrics history is kept, and whether Proctor starts
 * at login; all remembered in the settings.
 */
export function Preferences({ theme, onTheme, confirmDestructive, onConfirmDestructive, keepHistory, onKeepHistory, startAtLogin }: Props) {
  return (
    <Popover label="Preferences" title="Preferences" className="popover-end">
      <fieldset className="radio-list">
        <legend>Appearance</legend>
        {THEMES.map((t) => (
          <label key={t.value} className="check">
            <input type="radio" name="proctor-theme" value={t.value} checked={theme === t.value} onChange={() => onTheme(t.value)} />
            {t.label}
          </label>
        ))}
      </fieldset>
      <fieldset className="radio-list">
        <legend>Actions</legend>
        <label className="check">
          <input type="checkbox" checked={confirmDestructive} onChange={(e) => onConfirmDestructive(e.target.checked)} />
          Ask before terminating, killing or suspending
        </label>
      </fieldset>
      <fieldset className="radio-list">
        <legend>System</legend>
        <label className="check">
          <input type="checkbox" checked={keepHistory} onChange={(e) => onKeepHistory(e.target.checked)} />
          Keep system metrics history (sampled in the background, for the System page)
        </label>
      </fieldset>
      <StartAtLoginOption {...startAtLogin} />
      <MetricsEndpointSetting />
    </Popover>
  )
}
