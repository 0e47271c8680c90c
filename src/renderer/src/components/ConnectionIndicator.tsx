import type { Connection } from '../hooks/useConnection'

const LABELS = { open: 'Connected', connecting: 'Connecting…', closed: 'Disconnected' } as const

/** Browser mode only: the state of the WebSocket to the headless host. */
export function ConnectionIndicator({ connection }: { connection: Connection }) {
  const { status } = connection
  return (
    <div className={`connection connection-${status}`} role="status" title={`Proctor host at ${window.location.host}`}>
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
    </div>
  )
}
