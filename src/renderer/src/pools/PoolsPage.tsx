import { useCallback, useState } from 'react'
import type { PoolMetrics, PoolStatus } from '../../../shared/pools/pool'
import type { Settings } from '../../../shared/settings'
import type { MetricsHistory } from '../../../shared/types/system'
import { asSentence, formatPercent } from '../../../shared/format'
import { api } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import type { Toasts } from '../hooks/useToasts'
import type { UiSettings } from '../hooks/useUiSettings'
import { errorInfo } from '../ipc/ipcView'
import { isUnavailable } from '../supervisor/programView'
import { useNow } from '../supervisor/useNow'
import { PoolCharts } from './PoolCharts'
import { PoolFormDialog } from './PoolFormDialog'
import { clampScale, formatMs, poolStateText, poolTone, readyWorkers } from './poolsView'
import { TaskPanel } from './TaskPanel'
import { usePools } from './usePools'
import { WorkersTable } from './WorkersTable'
import '../components/banners.css'
import '../components/dataTable.css'
import '../components/statusDot.css'
import '../components/featurePage.css'
import './pools.css'

interface Props {
  settings: Settings | undefined
  toasts: Toasts
  ui: UiSettings
  onUi: (patch: Partial<UiSettings>) => void
  /** The page is on screen: heartbeat times tick. */
  active: boolean
  /** The connection's count of openings: a reconnect subscribes afresh. */
  epoch: number
  /** Show a pid in the process list. */
  onShowProcess: (pid: number) => void
}

type Pool = PoolStatus & { metrics: PoolMetrics }
type Confirm = { kind: 'drain' | 'force'; pool: Pool }
const EMPTY_HISTORY: MetricsHistory = { timestamps: [], series: {} }

/**
 * The Pools page: whether pooling (and the IPC broker it needs) is on, the
 * pools with their figures, and the selected pool's live charts, workers,
 * scale and removal, and a form to send it a test task.
 */
export function PoolsPage({ settings, toasts, ui, onUi, active, epoch, onShowProcess }: Props) {
  const { overview, histories, error } = usePools(epoch)
  const [creating, setCreating] = useState(false)
  const [picked, setPicked] = useState<string | undefined>(undefined)
  const [confirm, setConfirm] = useState<Confirm | undefined>(undefined)
  const [switching, setSwitching] = useState(false)
  const now = useNow(active && (overview?.pools.length ?? 0) > 0)
  const { show } = toasts
  const pools = overview?.pools ?? []
  const selected = pools.find((p) => p.id === picked) ?? pools[0]

  const turnOn = useCallback(
    (patch: Partial<Pick<Settings, 'enablePooling' | 'enableIPC'>>) => {
      setSwitching(true)
      api
        .updateSettings(patch)
        .then(
          () => show({ tone: 'success', title: patch.enablePooling ? 'Worker pools turned on' : 'IPC turned on' }),
          (err: unknown) => show({ tone: 'error', title: 'Could not turn it on', detail: errorInfo(err).message, hint: 'Try again; the setting was not changed.' }),
        )
        .finally(() => setSwitching(false))
    },
    [show],
  )

  const remove = useCallback(
    (pool: Pool, force: boolean) => {
      api.removePool({ poolId: pool.id, force }).then(
        (r) =>
          show({
            tone: 'success',
            title: `Pool ${pool.name} removed`,
            detail: force ? `${r.cancelled} task${r.cancelled === 1 ? '' : 's'} cancelled.` : r.drained ? 'Its tasks finished first.' : undefined,
          }),
        (err: unknown) => {
          const e = errorInfo(err)
          show({ tone: 'error', title: `Could not remove ${pool.name}`, detail: `${e.code}: ${e.message}` })
        },
      )
    },
    [show],
  )
  const onRemove = (pool: Pool, force: boolean) => {
    if (force || ui.confirmDestructive) setConfirm({ kind: force ? 'force' : 'drain', pool })
    else remove(pool, false)
  }

  if (!overview) {
    return (
      <div className="pools-page feature-page">
        <NoOwner error={error} />
      </div>
    )
  }
  const off = !overview.enabled || !overview.ipc
  return (
    <div className="pools-page feature-page">
      <div className="pools-toolbar page-toolbar">
        <span className={`pools-state status-dot ${off ? 'tone-idle' : 'tone-ok'}`}>{off ? 'Pools off' : 'Pools on'}</span>
        <span className="pools-totals" aria-label="Totals">
          <span>
            <b>{pools.length}</b> pool{pools.length === 1 ? '' : 's'}
          </span>
          <span>
            <b>{pools.reduce((n, p) => n + readyWorkers(p), 0)}</b> workers ready
          </span>
          <span>
            <b>{pools.reduce((n, p) => n + p.queued, 0)}</b> queued
          </span>
          <span>
            <b>{pools.reduce((n, p) => n + p.running, 0)}</b> running
          </span>
        </span>
        <div className="toolbar-spacer" />
        <button type="button" className="button primary" onClick={() => setCreating(true)} disabled={off}>
          New pool…
        </button>
      </div>
      {off && (
        <div className="banner notice-tone pools-off" role="status">
          <span className="banner-mark" data-mark="!" aria-hidden="true" />
          <span className="banner-message">
            {!overview.enabled && !overview.ipc
              ? 'Worker pools are off, and so is the IPC broker their workers connect through: no pool runs and no task is taken.'
              : !overview.enabled
                ? 'Worker pools are off: no pool runs and no task is taken.'
                : 'IPC is off: worker pools need the IPC broker to reach their workers, so none runs.'}
          </span>
          <button
            type="button"
            className="button small"
            disabled={switching}
            onClick={() => turnOn({ ...(overview.enabled ? {} : { enablePooling: true }), ...(overview.ipc ? {} : { enableIPC: true }) })}
          >
            {!overview.enabled && !overview.ipc ? 'Turn on pools and IPC' : !overview.enabled ? 'Turn on pools' : 'Turn on IPC'}
          </button>
        </div>
      )}
      {overview.notices.map((n) => (
        <div key={n} className="banner notice-tone" role="status">
          <span className="banner-mark" data-mark="i" aria-hidden="true" />
          <span className="banner-message">{n}</span>
        </div>
      ))}
      {error && (
        <div className="banner" role="alert">
          <span className="banner-message">The pools’ updates stopped: {error.message}. Trying again…</span>
        </div>
      )}
      {pools.length === 0 ? (
        <div className="pools-empty" role="status">
          <h2>No worker pools yet</h2>
          <p>
            A pool runs a set of worker processes and hands them tasks from a queue: JSON in, JSON out, with timeouts, retries and scaling between a minimum
            and a maximum. A worker is any program that answers tasks over Proctor’s IPC; in Node, <code>serveTasks</code> of Proctor’s client module.
          </p>
          {off ? (
            <p className="muted">Turn them on above to create one.</p>
          ) : (
            <button type="button" className="button primary" onClick={() => setCreating(true)}>
              Create a pool…
            </button>
          )}
        </div>
      ) : (
        <div className="pools-body">
          <PoolList pools={pools} selected={selected?.id} onSelect={setPicked} />
          {selected && (
            <PoolDetail
              key={selected.id}
              pool={selected}
              history={histories.get(selected.id) ?? EMPTY_HISTORY}
              now={now}
              toasts={toasts}
              onRemove={onRemove}
              onShowProcess={onShowProcess}
            />
          )}
        </div>
      )}
      {creating && (
        <PoolFormDialog
          poolConfig={settings?.poolConfig}
          toasts={toasts}
          onDone={(created) => {
            setCreating(false)
            if (created) setPicked(created)
          }}
        />
      )}
      {confirm?.kind === 'drain' && (
        <ConfirmDialog
          title={`Remove pool ${confirm.pool.name}?`}
          body={`It takes no new tasks, finishes the ${confirm.pool.running + confirm.pool.queued} running and queued, then stops its workers. Its definition is deleted.`}
          confirmLabel="Remove"
          onConfirm={(dontAsk) => {
            const { pool } = confirm
            setConfirm(undefined)
            if (dontAsk) onUi({ confirmDestructive: false })
            remove(pool, false)
          }}
          onCancel={() => setConfirm(undefined)}
        />
      )}
      {confirm?.kind === 'force' && (
        <ConfirmDialog
          title={`Force-remove pool ${confirm.pool.name}?`}
          body={`Its workers are stopped now. ${confirm.pool.running + confirm.pool.queued === 0 ? 'No task is waiting or running.' : `${confirm.pool.running} running and ${confirm.pool.queued} queued tasks are cancelled: their results are lost.`} Its definition is deleted.`}
          confirmLabel="Force remove"
          askAgain={false}
          onConfirm={() => {
            const { pool } = confirm
            setConfirm(undefined)
            remove(pool, true)
          }}
          onCancel={() => setConfirm(undefined)}
        />
      )}
    </div>
  )
}

function NoOwner({ error }: { error: Error | undefined }) {
  if (!error) return <div className="pools-empty" aria-busy="true">Asking for the pools…</div>
  const unavailable = isUnavailable(error)
  return (
    <div className="pools-empty" role="status">
      <h2>{unavailable ? 'No worker pools can run' : 'Could not reach the worker pools'}</h2>
      <p className="unavailable-message">{asSentence(error.message)}</p>
      <p className="muted">{unavailable ? 'This page updates by itself once an owner runs.' : 'Proctor tries again every few seconds.'}</p>
    </div>
  )
}

function PoolList({ pools, selected, onSelect }: { pools: Pool[]; selected: string | undefined; onSelect: (id: string) => void }) {
  return (
    <div className="pools-list">
      <table className="data-table" aria-label="Pools">
        <thead>
          <tr>
            <th scope="col">Pool</th>
            <th scope="col">State</th>
            <th scope="col" className="numeric" title="Workers ready / the size the pool aims at (min..max)">
              Workers
            </th>
            <th scope="col" className="numeric">
              Queued
            </th>
            <th scope="col" className="numeric">
              Running
            </th>
            <th scope="col" className="numeric" title="Tasks ended per second over the last minute">
              Throughput
            </th>
            <th scope="col" className="numeric" title="Time on a worker, p50 / p95">
              Run p50 / p95
            </th>
            <th scope="col" className="numeric">
              Busy
            </th>
            <th scope="col" className="numeric" title="Done / failed / timed out">
              Done / failed / timed out
            </th>
            <th scope="col">Command</th>
          </tr>
        </thead>
        <tbody>
          {pools.map((p) => {
            const isSelected = p.id === selected
            return (
              <tr key={p.id} className={`data-row${isSelected ? ' selected' : ''}`} aria-selected={isSelected} onClick={() => onSelect(p.id)} data-pool={p.id}>
                <th scope="row" className="pool-name">
                  <button type="button" className="link-button" onClick={() => onSelect(p.id)} aria-pressed={isSelected}>
                    {p.name}
                  </button>
                  {p.name !== p.id && <span className="muted pool-id"> {p.id}</span>}
                </th>
                <td>
                  <span className={`status-dot tone-${poolTone(p)}`} title={p.problem}>
                    {poolStateText(p)}
                  </span>
                </td>
                <td className="numeric">
                  {readyWorkers(p)} / {p.targetSize} <span className="muted">({p.definition.minWorkers}..{p.definition.maxWorkers})</span>
                </td>
                <td className="numeric">{p.queued.toLocaleString()}</td>
                <td className="numeric">{p.running.toLocaleString()}</td>
                <td className="numeric">{p.metrics.throughput < 10 ? p.metrics.throughput.toFixed(1) : Math.round(p.metrics.throughput)}/s</td>
                <td className="numeric">
                  {p.metrics.completed + p.metrics.failed + p.metrics.timedOut === 0 ? (
                    <span className="muted" title="No task has ended yet">–</span>
                  ) : (
                    `${formatMs(p.metrics.runMs.p50)} / ${formatMs(p.metrics.runMs.p95)}`
                  )}
                </td>
                <td className="numeric">{formatPercent(p.metrics.utilisation * 100, 0)}</td>
                <td className="numeric">
                  {p.metrics.completed.toLocaleString()} / {p.metrics.failed.toLocaleString()} / {p.metrics.timedOut.toLocaleString()}
                </td>
                <td className="pool-command">
                  <code title={[p.definition.workerCommand, ...p.definition.workerArgs].join(' ')}>{[p.definition.workerCommand, ...p.definition.workerArgs].join(' ')}</code>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

interface DetailProps {
  pool: Pool
  history: MetricsHistory
  now: number
  toasts: Toasts
  onRemove: (pool: Pool, force: boolean) => void
  onShowProcess: (pid: number) => void
}

function PoolDetail({ pool, history, now, toasts, onRemove, onShowProcess }: DetailProps) {
  const d = pool.definition
  const [size, setSize] = useState(String(pool.targetSize))
  const [scaling, setScaling] = useState(false)
  // The target changed elsewhere (dynamic scaling, the CLI): the control follows unless the user is editing it.
  const [lastTarget, setLastTarget] = useState(pool.targetSize)
  if (lastTarget !== pool.targetSize) {
    setLastTarget(pool.targetSize)
    setSize(String(pool.targetSize))
  }
  const n = Number(size)
  const valid = size.trim() !== '' && Number.isInteger(n) && n >= d.minWorkers && n <= d.maxWorkers
  const { show } = toasts
  const scale = (target: number) => {
    setScaling(true)
    api
      .scalePool({ poolId: pool.id, targetSize: target })
      .then(
        (s) => show({ tone: 'success', title: `${pool.name}: ${s.targetSize} worker${s.targetSize === 1 ? '' : 's'}` }),
        (err: unknown) => {
          const e = errorInfo(err)
          show({ tone: 'error', title: `Could not scale ${pool.name}`, detail: `${e.code}: ${e.message}` })
        },
      )
      .finally(() => setScaling(false))
  }
  const draining = pool.state === 'draining'
  const canScale = pool.state === 'running' && d.minWorkers !== d.maxWorkers

  return (
    <section className="pool-detail" aria-labelledby="pool-detail-title">
      <div className="pool-detail-head">
        <h2 id="pool-detail-title">{pool.name}</h2>
        <span className="pool-facts muted">
          {d.scalingStrategy}, {d.loadBalancing.replace('_', ' ')}, tasks time out after {formatMs(d.taskTimeout)}, queue up to {d.maxQueueSize.toLocaleString()},{' '}
          {d.retries} {d.retries === 1 ? 'retry' : 'retries'}
        </span>
        <div className="toolbar-spacer" />
        <form
          className="pool-scale"
          onSubmit={(e) => {
            e.preventDefault()
            if (valid) scale(n)
          }}
        >
          <label htmlFor="pool-scale-size">Workers</label>
          <button type="button" className="button small" aria-label="One worker fewer" disabled={!canScale || scaling || n <= d.minWorkers} onClick={() => scale(clampScale(n - 1, pool))}>
            −
          </button>
          <input
            id="pool-scale-size"
            type="number"
            min={d.minWorkers}
            max={d.maxWorkers}
            value={size}
            disabled={!canScale}
            aria-invalid={!valid || undefined}
            aria-describedby="pool-scale-range"
            onChange={(e) => setSize(e.target.value)}
          />
          <button type="button" className="button small" aria-label="One worker more" disabled={!canScale || scaling || n >= d.maxWorkers} onClick={() => scale(clampScale(n + 1, pool))}>
            +
          </button>
          <span id="pool-scale-range" className="muted">
            {d.minWorkers}..{d.maxWorkers}
          </span>
          <button type="submit" className="button small" disabled={!canScale || !valid || scaling || n === pool.targetSize}>
            Scale
          </button>
        </form>
        <button type="button" className="button small danger-outline" disabled={draining} onClick={() => onRemove(pool, false)} title="Finish running and queued tasks, then stop the workers">
          {draining ? 'Draining…' : 'Remove…'}
        </button>
        <button type="button" className="button small danger" onClick={() => onRemove(pool, true)} title="Cancel its tasks and stop the workers now">
          Force remove…
        </button>
      </div>
      {pool.problem && (
        <div className="banner pool-problem" role="alert">
          <span className="banner-mark" data-mark="!" aria-hidden="true" />
          <span className="banner-message">{asSentence(pool.problem)}</span>
        </div>
      )}
      <PoolCharts history={history} />
      <div className="pool-lower">
        <div className="pool-workers-wrap">
          <h3>
            Workers <span className="muted">{pool.workers.length}</span>
          </h3>
          <WorkersTable pool={pool} now={now} onShowProcess={onShowProcess} />
        </div>
        <TaskPanel pool={pool} />
      </div>
    </section>
  )
}
