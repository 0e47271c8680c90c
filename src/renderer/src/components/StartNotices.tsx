import { useState } from 'react'
import './banners.css'

/**
 * What the engine could not use at start (a data folder it cannot write, a
 * settings file kept aside), said over the page until dismissed. The
 * desktop app says it in a dialog over its first window instead.
 */
export function StartNotices({ notices }: { notices: readonly string[] | undefined }) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const shown = (notices ?? []).filter((n) => !dismissed.has(n))
  if (shown.length === 0) return null
  return (
    <div className="banners">
      {shown.map((n) => (
        <div key={n} className="banner notice-tone" role="status">
          <span className="banner-mark" data-mark="!" aria-hidden="true" />
          <span className="banner-message">{n}</span>
          <button type="button" className="banner-action" onClick={() => setDismissed((prev) => new Set([...prev, n]))}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  )
}
