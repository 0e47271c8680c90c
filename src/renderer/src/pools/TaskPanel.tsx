import { useId, useState } from 'react'
import type { PoolStatus, TaskView } from '../../../shared/pools/pool'
import { isTerminal } from '../../../shared/pools/pool'
import { api } from '../api'
import { errorInfo } from '../ipc/ipcView'
import { parsePayload, TASK_STATE_LABELS, taskOutcome, taskTimes } from './poolsView'

/** A task sent from this panel: its view, or why it could not be queued or awaited. */
interface Sent {
  key: number
  taskId?: string
  payload: string
  task?: TaskView
  error?: { code: string; message: string }
}

/** Results kept in the panel, newest first. */
const KEEP = 8
/** awaitTask waits this much longer than the task may run (queue time, a retry). */
const AWAIT_MARGIN_MS = 30_000

/**
 * Send a test task to a pool: a JSON payload, a timeout and a priority; the
 * result (awaitTask) or the error shows below, newest first, with how long
 * it waited and ran. A pending task can be cancelled.
 */
export function TaskPanel({ pool }: { pool: PoolStatus }) {
  const [payload, setPayload] = useState('{"op": "echo", "value": "hello"}')
  const [timeout, setTimeoutText] = useState('')
  const [priority, setPriority] = useState('0')
  const [sent, setSent] = useState<Sent[]>([])
  const [counter, setCounter] = useState(0)
  const ids = useId()
  const parsed = parsePayload(payload)
  const timeoutMs = timeout.trim() === '' ? undefined : Number(timeout)
  const timeoutBad = timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 3_600_000)
  const priorityN = Number(priority.trim() === '' ? '0' : priority)
  const priorityBad = !(Number.isInteger(priorityN) && priorityN >= -1000 && priorityN <= 1000)
  const canSend = parsed.ok && !timeoutBad && !priorityBad && pool.state === 'running'

  const update = (key: number, patch: Partial<Sent>) => setSent((list) => list.map((s) => (s.key === key ? { ...s, ...patch } : s)))

  const send = async () => {
    if (!parsed.ok) return
    const key = counter + 1
    setCounter(key)
    setSent((list) => [{ key, payload: JSON.stringify(parsed.value) }, ...list].slice(0, KEEP))
    try {
      const queued = await api.submitTaskToPool({ poolId: pool.id, payload: parsed.value as never, priority: priorityN, ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}) })
      update(key, { taskId: queued.taskId })
      const task = await api.awaitTask({ taskId: queued.taskId, timeoutMs: (timeoutMs ?? pool.definition.taskTimeout) * (pool.definition.retries + 1) + AWAIT_MARGIN_MS })
      update(key, { task })
    } catch (err) {
      update(key, { error: errorInfo(err) })
    }
  }

  const cancel = async (key: number, taskId: string) => {
    try {
      const r = await api.cancelTask({ taskId })
      update(key, { task: r.task })
    } catch (err) {
      update(key, { error: errorInfo(err) })
    }
  }

  return (
    <section className="pool-task" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Send a test task</h3>
      <form
        className="pool-task-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (canSend) void send()
        }}
      >
        <label htmlFor={`${ids}-payload`} className="pool-label">
          Payload (JSON)
        </label>
        <textarea
          id={`${ids}-payload`}
          className="pool-payload"
          rows={3}
          spellCheck={false}
          value={payload}
          aria-invalid={!parsed.ok || undefined}
          aria-describedby={`${ids}-check`}
          onChange={(e) => setPayload(e.target.value)}
        />
        <div id={`${ids}-check`} className={`pool-check ${parsed.ok ? 'ok' : 'bad'}`}>
          {parsed.ok ? 'Valid JSON' : parsed.message}
        </div>
        <div className="pool-task-row">
          <label>
            <span className="pool-label">Timeout (ms)</span>
            <input type="text" inputMode="numeric" value={timeout} placeholder={String(pool.definition.taskTimeout)} aria-invalid={timeoutBad || undefined} onChange={(e) => setTimeoutText(e.target.value)} />
          </label>
          <label>
            <span className="pool-label">Priority</span>
            <input type="text" inputMode="numeric" value={priority} aria-invalid={priorityBad || undefined} onChange={(e) => setPriority(e.target.value)} title="-1000..1000; higher runs first" />
          </label>
          <button type="submit" className="button primary" disabled={!canSend}>
            Submit and wait
          </button>
        </div>
      </form>
      {sent.length > 0 && (
        <ol className="pool-results" aria-label="Task results">
          {sent.map((s) => (
            <TaskResult key={s.key} s={s} onCancel={cancel} />
          ))}
        </ol>
      )}
    </section>
  )
}

function TaskResult({ s, onCancel }: { s: Sent; onCancel: (key: number, taskId: string) => void }) {
  const outcome = s.task ? taskOutcome(s.task) : undefined
  const pending = !s.error && (!s.task || !isTerminal(s.task.state))
  const times = s.task ? taskTimes(s.task) : undefined
  return (
    <li className={`pool-result tone-${s.error ? 'bad' : (outcome?.tone ?? 'pending')}`} data-state={s.error ? 'error' : (s.task?.state ?? 'pending')}>
      <div className="pool-result-head">
        <code className="task-id">{s.taskId ?? '…'}</code>
        <span className="task-state">{s.error ? s.error.code : s.task ? TASK_STATE_LABELS[s.task.state] : s.taskId ? 'Waiting…' : 'Sending…'}</span>
        {s.task?.worker && <span className="muted">on {s.task.worker}</span>}
        {times && <span className="muted task-times">{times}</span>}
        {pending && s.taskId && (
          <button type="button" className="button small" onClick={() => onCancel(s.key, s.taskId!)}>
            Cancel
          </button>
        )}
      </div>
      <div className="task-payload muted" title={s.payload}>
        {s.payload}
      </div>
      {s.error ? <pre className="task-outcome">{s.error.message}</pre> : outcome && outcome.tone !== 'pending' && <pre className="task-outcome">{outcome.text}</pre>}
    </li>
  )
}

