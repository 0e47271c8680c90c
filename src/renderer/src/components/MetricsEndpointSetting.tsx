import { useEffect, useState } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'
import './metricsEndpoint.css'

type Endpoint = Settings['metricsEndpoint']

/** The address Prometheus scrapes, as its scrape config names it. */
function scrapeUrl({ address, port }: Endpoint): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`
}

/**
 * Preferences' Prometheus part: the metricsEndpoint setting (on or off, its
 * port), read when the panel opens and saved at once. Self-contained, so
 * the rest of Preferences passes nothing to it; a refused value says why
 * (the engine names the field) and the saved one stays.
 */
export function MetricsEndpointSetting() {
  const [saved, setSaved] = useState<Endpoint | undefined>(undefined)
  const [port, setPort] = useState('')
  const [error, setError] = useState<string | undefined>(undefined)

  useEffect(() => {
    let live = true
    api.getSettings().then(
      (s) => {
        if (!live) return
        setSaved(s.metricsEndpoint)
        setPort(String(s.metricsEndpoint.port))
      },
      (err: unknown) => live && setError(`Could not read the settings: ${(err as Error).message}`),
    )
    return () => {
      live = false
    }
  }, [])

  // Shown at once, as every setting of the window; a refusal puts back what was saved and says why.
  const save = (patch: Partial<Endpoint>) => {
    if (!saved) return
    const before = saved
    setSaved({ ...before, ...patch })
    api.updateSettings({ metricsEndpoint: patch }).then(
      (s) => {
        setSaved(s.metricsEndpoint)
        setPort(String(s.metricsEndpoint.port))
        setError(undefined)
      },
      (err: unknown) => {
        setSaved(before)
        setError((err as Error).message)
      },
    )
  }
  const savePort = () => {
    if (!saved || port === String(saved.port)) return
    const n = Number(port)
    // A number goes to the engine, whose message names the field and its range when it refuses it.
    if (port.trim() === '' || !Number.isFinite(n)) setError(`metricsEndpoint.port: "${port}" is not a number`)
    else save({ port: n })
  }

  return (
    <fieldset className="radio-list metrics-endpoint">
      <legend>Prometheus</legend>
      <label className="check">
        <input type="checkbox" disabled={!saved} checked={saved?.enabled ?? false} onChange={(e) => save({ enabled: e.target.checked })} />
        Serve metrics for Prometheus
      </label>
      <div className="metrics-endpoint-port">
        <label htmlFor="metrics-endpoint-port">Port</label>
        <input
          id="metrics-endpoint-port"
          inputMode="numeric"
          disabled={!saved}
          value={port}
          aria-invalid={error !== undefined}
          onChange={(e) => setPort(e.target.value)}
          onBlur={savePort}
          onKeyDown={(e) => e.key === 'Enter' && savePort()}
        />
        {saved && <code>{scrapeUrl(saved)}</code>}
      </div>
      <p className="check-note">Bearer token: metrics.token in the data folder, or PROCTOR_TOKEN. Served by the app or daemon that runs your programs.</p>
      {error && (
        <p className="metrics-endpoint-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
