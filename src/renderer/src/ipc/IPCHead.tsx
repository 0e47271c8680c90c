import { formatBytes } from '../../../shared/format'
import { copyText } from '../clipboard'
import type { Toasts } from '../hooks/useToasts'
import { rateText, TOTALS } from './ipcView'
import type { LiveOverview } from './useIPC'
import '../components/statusDot.css'

interface Props {
  live: LiveOverview | undefined
  busy: boolean
  onTurnOff: () => void
  onRegister: () => void
  toasts: Toasts
}

const STATE_LABELS = { listening: 'Listening', off: 'IPC off', problem: 'Not listening', starting: 'Starting…' } as const
const STATE_TONES = { listening: 'ok', off: 'idle', problem: 'bad', starting: 'idle' } as const

/** The page's toolbar: whether the broker listens and where (copyable), its totals, and its two actions. */
export function IPCHead({ live, busy, onTurnOff, onRegister, toasts }: Props) {
  const o = live?.overview
  const state = !o ? undefined : !o.enabled ? 'off' : o.listening ? 'listening' : o.problem ? 'problem' : 'starting'
  const rates = live?.rates.get(TOTALS)
  const copy = (socket: string) =>
    copyText(socket).then(
      () => toasts.show({ tone: 'success', title: 'Socket path copied' }),
      (err: unknown) => toasts.show({ tone: 'error', title: 'Could not copy', detail: err instanceof Error ? err.message : String(err) }),
    )
  return (
    <div className="ipc-toolbar page-toolbar">
      {state && (
        <span className={`ipc-state status-dot tone-${STATE_TONES[state]}`}>
          {STATE_LABELS[state]}
        </span>
      )}
      {o?.listening && o.socket && (
        <span className="ipc-socket">
          <span className="muted">on</span>
          <code title="The broker's Unix socket: programs get it as PROCTOR_IPC_SOCKET">{o.socket}</code>
          <button type="button" className="button small" onClick={() => void copy(o.socket!)} aria-label="Copy the socket path">
            Copy
          </button>
        </span>
      )}
      {o?.enabled && (
        <span className="ipc-totals" aria-label="Totals">
          <span title="Messages through the broker since it started">
            <b>{o.totals.messages.toLocaleString()}</b> messages
            {rates && <span className="rate"> {rateText(rates.messagesIn, 'messages')}</span>}
          </span>
          <span title="Bytes through the broker since it started">
            <b>{formatBytes(o.totals.bytes)}</b>
            {rates && <span className="rate"> {rateText(rates.bytesIn, 'bytes')}</span>}
          </span>
          <span className={o.totals.rejected > 0 ? 'rejected' : undefined} title="Connections and frames refused (bad token, caps, garbage)">
            <b>{o.totals.rejected.toLocaleString()}</b> rejected
          </span>
        </span>
      )}
      <div className="toolbar-spacer" />
      {o?.enabled && (
        <>
          <button type="button" className="button" onClick={onRegister} disabled={!o.listening} title="Give a running process Proctor did not start a token to connect with">
            Register a process…
          </button>
          <button type="button" className="button danger-outline" onClick={onTurnOff} disabled={busy}>
            Turn off IPC
          </button>
        </>
      )}
    </div>
  )
}
