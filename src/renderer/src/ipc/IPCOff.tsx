import { isUnavailable } from '../supervisor/programView'
import { asSentence } from '../../../shared/format'

/** IPC is off: what it is for, and one click to turn it on. */
export function IPCOff({ onTurnOn, busy }: { onTurnOn: () => void; busy: boolean }) {
  return (
    <div className="ipc-empty" role="status">
      <h2>IPC is off</h2>
      <p>
        With IPC on, Proctor runs a message broker on a local socket that only you can open. The programs it runs, and processes you register, connect to it
        and exchange JSON messages with Proctor and with each other: send, request and answer, broadcast. Their heartbeats and <em>ready</em> messages can
        feed health checks and readiness.
      </p>
      <button type="button" className="button primary" onClick={onTurnOn} disabled={busy}>
        Turn on IPC
      </button>
      <p className="muted small-print">
        Programs started after it is on find the socket and their own token in PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN. The setting is enableIPC; it can be
        turned off again here.
      </p>
    </div>
  )
}

/** No overview: no owner for this user (the engine's message says how to start one), or another failure. */
export function NoBroker({ error }: { error: Error | undefined }) {
  if (!error) return <div className="ipc-empty" aria-busy="true">Asking the broker…</div>
  const unavailable = isUnavailable(error)
  return (
    <div className="ipc-empty" role="status">
      <h2>{unavailable ? 'No IPC broker is running' : 'Could not reach the IPC broker'}</h2>
      <p className="unavailable-message">{asSentence(error.message)}</p>
      <p className="muted">{unavailable ? 'This page updates by itself once one runs.' : 'Proctor tries again every few seconds.'}</p>
    </div>
  )
}
