import { useId, useMemo, useState, type KeyboardEvent } from 'react'
import type { IPCOverview } from '../../../shared/broker/status'
import { formatBytes } from '../../../shared/format'
import { api } from '../api'
import { formatDelay } from '../../../shared/supervisor/schedule'
import { BROADCAST, checkPayload, clockText, durationMsText, errorHint, errorInfo, previewJson, targetChoices } from './ipcView'

interface Props {
  overview: IPCOverview
  target: string
  onTarget: (id: string) => void
}

type Action = 'send' | 'request' | 'broadcast'

interface Result {
  id: number
  at: number
  action: Action
  target: string
  durationMs: number
  ok: boolean
  /** ok: what came back, in words, and the reply's payload for a request. */
  summary: string
  reply?: string
  /** not ok */
  code?: string
  message?: string
}

/** Results kept on screen, newest first. */
const MAX_RESULTS = 20
const INITIAL = '{\n  "type": "ping"\n}'

let nextResultId = 1

/**
 * Proctor as an endpoint: pick a connection (or all), write JSON (checked
 * as it is typed), and send it, request an answer, or broadcast it. Each
 * outcome shows with its duration: the reply, or the error's code and what
 * to do about it. Ctrl+Enter sends (broadcasts with all), Ctrl+Shift+Enter requests.
 */
export function IPCConsole({ overview, target, onTarget }: Props) {
  const [text, setText] = useState(INITIAL)
  const [timeout, setTimeoutText] = useState('')
  const [busy, setBusy] = useState<Action | undefined>(undefined)
  const [results, setResults] = useState<Result[]>([])
  const check = useMemo(() => checkPayload(text, overview.caps.maxFrameBytes), [text, overview.caps.maxFrameBytes])
  const choices = targetChoices(overview.connections, target)
  const all = target === BROADCAST
  const timeoutMs = timeout.trim() === '' ? undefined : Number(timeout)
  const timeoutBad = timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)
  const ids = { target: useId(), payload: useId(), status: useId(), timeout: useId() }

  const run = (action: Action) => {
    if (!check.ok || busy) return
    const payload = check.value
    const to = target
    setBusy(action)
    const started = performance.now()
    const call: Promise<{ summary: string; reply?: string; durationMs?: number }> =
      action === 'broadcast'
        ? api.broadcastIPCMessage({ payload }).then((r) => ({ summary: `Broadcast to ${r.recipients} connection${r.recipients === 1 ? '' : 's'}` }))
        : action === 'send'
          ? api.sendIPCMessage({ processId: to, payload }).then((r) => ({ summary: `Sent to ${r.to}` }))
          : api
              .requestIPCResponse({ processId: to, payload, ...(timeoutMs !== undefined ? { timeoutMs } : {}) })
              .then((r) => ({ summary: `Reply from ${r.from}`, reply: previewJson(r.payload), durationMs: r.durationMs }))
    void call
      .then(
        (r): Result => ({
          id: nextResultId++,
          at: Date.now(),
          action,
          target: action === 'broadcast' ? BROADCAST : to,
          durationMs: r.durationMs ?? performance.now() - started,
          ok: true,
          summary: r.summary,
          ...(r.reply !== undefined ? { reply: r.reply } : {}),
        }),
        (err: unknown): Result => {
          const e = errorInfo(err)
          return {
            id: nextResultId++,
            at: Date.now(),
            action,
            target: action === 'broadcast' ? BROADCAST : to,
            durationMs: performance.now() - started,
            ok: false,
            summary: '',
            code: e.code,
            message: e.message,
          }
        },
      )
      .then((r) => {
        setResults((list) => [r, ...list].slice(0, MAX_RESULTS))
        setBusy(undefined)
      })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return
    e.preventDefault()
    run(all ? 'broadcast' : e.shiftKey ? 'request' : 'send')
  }
  const format = () => {
    if (check.ok) setText(JSON.stringify(check.value, null, 2))
  }

  return (
    <section className="ipc-console" aria-labelledby="ipc-console-title">
      <div className="ipc-section-head">
        <h2 id="ipc-console-title">Console</h2>
        <span className="muted">as Proctor</span>
      </div>
      <div className="ipc-console-body">
        <div className="console-row">
          <label htmlFor={ids.target}>To</label>
          <select id={ids.target} value={target} onChange={(e) => onTarget(e.target.value)}>
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="console-row console-label-row">
          <label htmlFor={ids.payload} className="console-label">
            Message (JSON)
          </label>
          <button type="button" className="button small" onClick={format} disabled={!check.ok} title="Indent the JSON">
            Format
          </button>
        </div>
        <textarea
          id={ids.payload}
          className="console-payload"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          aria-invalid={!check.ok || undefined}
          aria-describedby={ids.status}
          rows={5}
        />
        <div id={ids.status} className={`console-check ${check.ok ? 'ok' : 'bad'}`} aria-live="polite">
          {check.ok
            ? `Valid JSON, ${formatBytes(check.bytes)}`
            : `${check.line !== undefined ? `Line ${check.line}, column ${check.column}: ` : ''}${check.message}`}
        </div>
        <div className="console-actions">
          <button
            type="button"
            className="button primary"
            disabled={!check.ok || all || busy !== undefined}
            onClick={() => run('send')}
            title="Send it to the target; no answer is awaited (Ctrl+Enter)"
          >
            Send
          </button>
          <button
            type="button"
            className="button"
            disabled={!check.ok || all || timeoutBad || busy !== undefined}
            onClick={() => run('request')}
            title="Send it as a request and wait for the answer (Ctrl+Shift+Enter)"
          >
            {busy === 'request' ? 'Waiting…' : 'Request'}
          </button>
          <button type="button" className="button" disabled={!check.ok || busy !== undefined} onClick={() => run('broadcast')} title="Send it to every connection">
            Broadcast
          </button>
        </div>
        <div className="console-timeout">
          <label htmlFor={ids.timeout}>Request timeout</label>
          <input
            id={ids.timeout}
            type="text"
            inputMode="numeric"
            placeholder={String(overview.caps.messageTimeout)}
            value={timeout}
            onChange={(e) => setTimeoutText(e.target.value)}
            aria-invalid={timeoutBad || undefined}
            title={`A request's timeout in ms (1 to 600000); empty: the broker's ${formatDelay(overview.caps.messageTimeout)}`}
          />
          <span className="muted">ms</span>
        </div>
        <ol className="console-results" aria-label="Results" aria-live="polite">
          {results.length === 0 && <li className="console-none muted">Results show here, newest first.</li>}
          {results.map((r) => (
            <li key={r.id} className={`console-result ${r.ok ? 'ok' : 'bad'}`}>
              <div className="result-head">
                <span className="result-action">{r.action === 'broadcast' ? 'Broadcast' : `${r.action === 'send' ? 'Send' : 'Request'} → ${r.target}`}</span>
                <span className="result-duration">{durationMsText(r.durationMs)}</span>
                <span className="result-time muted">{clockText(r.at)}</span>
              </div>
              {r.ok ? (
                <>
                  <div className="result-summary">{r.summary}</div>
                  {r.reply !== undefined && <pre className="result-reply">{r.reply}</pre>}
                </>
              ) : (
                <div className="result-error">
                  <span className="error-code">{r.code}</span> {r.message}
                  {errorHint(r.code ?? '') && <div className="result-hint">{errorHint(r.code ?? '')}</div>}
                </div>
              )}
            </li>
          ))}
        </ol>
      </div>
    </section>
  )
}

