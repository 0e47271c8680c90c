import { formatBytes, formatPercent } from '../../../shared/format'
import type { PoolStatus, WorkerView } from '../../../shared/pools/pool'
import { agoText } from '../ipc/ipcView'
import { WORKER_STATE_LABELS, workerTone } from './poolsView'
import '../components/dataTable.css'
import '../components/statusDot.css'

interface Props {
  pool: PoolStatus
  now: number
  /** Show this pid in the process table. */
  onShowProcess: (pid: number) => void
}

/** A pool's workers: state (busy or idle), the task it runs, tasks done and failed, CPU, memory, restarts; the pid opens the process list on it. */
export function WorkersTable({ pool, now, onShowProcess }: Props) {
  if (pool.workers.length === 0) {
    return (
      <p className="pool-none">
        {pool.state === 'off' ? 'No workers run while the pool is off.' : pool.targetSize === 0 ? 'No workers: the pool is sized to 0 (it starts some when tasks arrive, if dynamic).' : 'No workers yet.'}
      </p>
    )
  }
  return (
    <table className="data-table pool-workers" aria-label={`Workers of ${pool.name}`}>
      <thead>
        <tr>
          <th scope="col">Worker</th>
          <th scope="col">State</th>
          <th scope="col" className="numeric">
            PID
          </th>
          <th scope="col">Current task</th>
          <th scope="col" className="numeric" title="Tasks done / failed on this worker slot">
            Done / failed
          </th>
          <th scope="col" className="numeric">
            CPU
          </th>
          <th scope="col" className="numeric">
            Memory
          </th>
          <th scope="col" className="numeric" title="Crashes and replacements of this worker slot">
            Restarts
          </th>
          <th scope="col" className="numeric" title="Its last heartbeat over IPC">
            Heartbeat
          </th>
        </tr>
      </thead>
      <tbody>
        {pool.workers.map((w) => (
          <WorkerRow key={w.name} w={w} now={now} onShowProcess={onShowProcess} />
        ))}
      </tbody>
    </table>
  )
}

function WorkerRow({ w, now, onShowProcess }: { w: WorkerView; now: number; onShowProcess: (pid: number) => void }) {
  const tone = workerTone(w.state)
  return (
    <tr className="data-row" data-worker={w.name}>
      <th scope="row" className="worker-name">
        {w.name}
      </th>
      <td className="worker-state" title={`${w.reason}${w.lastEnd ? `\nLast end: ${w.lastEnd.reason}` : ''}`}>
        <span className={`worker-badge status-dot tone-${tone}`}>{WORKER_STATE_LABELS[w.state]}</span>
        {(w.state === 'failed' || w.state === 'restarting') && <div className="worker-reason">{w.reason}</div>}
      </td>
      <td className="numeric">
        {w.pid === undefined ? (
          '–'
        ) : (
          <button type="button" className="link-button" onClick={() => onShowProcess(w.pid!)} title="Show this process in the process list">
            {w.pid}
          </button>
        )}
      </td>
      <td className="worker-task">{w.currentTask ?? <span className="muted">–</span>}</td>
      <td className="numeric">
        {w.tasksDone.toLocaleString()} / <span className={w.tasksFailed > 0 ? 'failed-count' : undefined}>{w.tasksFailed.toLocaleString()}</span>
      </td>
      <td className="numeric">{w.cpu === undefined ? '–' : formatPercent(w.cpu)}</td>
      <td className="numeric">{w.memory === undefined ? '–' : formatBytes(w.memory)}</td>
      <td className="numeric">{w.restarts}</td>
      <td className="numeric">{w.lastHeartbeat === undefined ? '–' : agoText(w.lastHeartbeat, now)}</td>
    </tr>
  )
}
