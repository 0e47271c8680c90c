import { useEffect, useId, useRef, useState } from 'react'
import type { IPCRegistration } from '../../../shared/broker/status'
import { api } from '../api'
import { copyText } from '../clipboard'
import type { Toasts } from '../hooks/useToasts'
import { envLines } from '../../../shared/broker/envLines'
import { errorInfo, registerArgs, type RegisterRequest } from './ipcView'

type Issued = IPCRegistration & { token: string; socket: string }

/**
 * Register a running process Proctor did not start: its pid (and a name),
 * then its id, token and socket, shown once, to hand to the process as
 * PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN. The token is bound to the
 * process (pid and start time): a recycled pid cannot use it.
 */
export function RegisterDialog({ initial, onClose, toasts }: { initial?: RegisterRequest | undefined; onClose: () => void; toasts: Toasts }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [pid, setPid] = useState(initial ? String(initial.pid) : '')
  const [name, setName] = useState(initial?.name ?? '')
  const [tried, setTried] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [issued, setIssued] = useState<Issued | undefined>(undefined)
  const ids = { title: useId(), pid: useId(), pidError: useId(), name: useId(), env: useId() }
  const parsed = registerArgs(pid, name)
  const problems: { pid?: string; name?: string } = tried && !parsed.ok ? parsed : {}

  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
    return () => {
      if (el?.open) el.close()
    }
  }, [])

  const submit = () => {
    setTried(true)
    if (!parsed.ok) return
    setBusy(true)
    setFailure(undefined)
    // The process the user picked, by its start time too: the pid alone could be another one by now.
    const args = initial && parsed.args.pid === initial.pid ? { ...parsed.args, startTime: initial.startTime } : parsed.args
    api.registerProcessForIPC(args).then(
      (r) => {
        setIssued(r)
        setBusy(false)
      },
      (err: unknown) => {
        const e = errorInfo(err)
        setFailure(`${e.code}: ${e.message}`)
        setBusy(false)
      },
    )
  }
  const copy = (text: string, what: string) =>
    copyText(text).then(
      () => toasts.show({ tone: 'success', title: `${what} copied` }),
      (err: unknown) => toasts.show({ tone: 'error', title: 'Could not copy', detail: err instanceof Error ? err.message : String(err) }),
    )

  return (
    <dialog
      ref={dialog}
      className="ipc-register"
      aria-labelledby={ids.title}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <h2 id={ids.title}>{issued ? `${issued.name} registered as ${issued.id}` : 'Register a process for IPC'}</h2>
      {!issued ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            submit()
          }}
          noValidate
        >
          <p className="muted">
            A token for a running process Proctor did not start. It is bound to that process: once it exits, its pid cannot be reused to connect.
          </p>
          {failure && (
            <div className="ipc-register-failure" role="alert">
              {failure}
            </div>
          )}
          <div className="ipc-field">
            <label htmlFor={ids.pid}>Process ID</label>
            <input
              id={ids.pid}
              type="text"
              inputMode="numeric"
              value={pid}
              onChange={(e) => setPid(e.target.value)}
              aria-invalid={problems.pid ? true : undefined}
              aria-describedby={problems.pid ? ids.pidError : undefined}
              autoFocus
            />
            {problems.pid && (
              <div id={ids.pidError} className="ipc-field-error">
                {problems.pid}
              </div>
            )}
          </div>
          <div className="ipc-field">
            <label htmlFor={ids.name}>Name (optional)</label>
            <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="its process name" aria-invalid={problems.name ? true : undefined} />
            {problems.name && <div className="ipc-field-error">{problems.name}</div>}
          </div>
          <div className="ipc-dialog-buttons">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              Register
            </button>
          </div>
        </form>
      ) : (
        <div>
          <p className="muted">
            Give the process these two variables (its token is shown only now). It connects as <b>{issued.id}</b>; Unregister on this page revokes the token.
          </p>
          <label htmlFor={ids.env} className="console-label">
            Environment
          </label>
          <textarea id={ids.env} className="ipc-env" readOnly value={envLines(issued.socket, issued.token)} rows={2} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
          <div className="ipc-dialog-buttons">
            <button type="button" className="button" onClick={() => void copy(envLines(issued.socket, issued.token), 'Environment')}>
              Copy
            </button>
            <button type="button" className="button primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      )}
    </dialog>
  )
}
