import { browserMode } from '../hooks/useConnection'
import type { StartAtLoginState } from '../hooks/useStartAtLogin'

/**
 * "Start Proctor at login" in Preferences. In a browser it shows the setting
 * but cannot change it: the login entry starts the desktop app, whose path
 * only the app knows, and the app applies the setting, not the headless host.
 */
export function StartAtLoginOption({ on, set }: StartAtLoginState) {
  return (
    <fieldset className="radio-list">
      <legend>Startup</legend>
      <label className="check" title={browserMode ? 'Turn this on or off in the desktop app: it is the app that starts at login.' : undefined}>
        <input type="checkbox" checked={on} disabled={browserMode} onChange={(e) => set(e.target.checked)} />
        Start Proctor at login, in the tray
        {browserMode && <span className="check-note">(set in the desktop app)</span>}
      </label>
    </fieldset>
  )
}
