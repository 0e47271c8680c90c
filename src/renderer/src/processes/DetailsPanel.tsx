import { lazy, Suspense, useId } from 'react'
import type { MenuEntry, MenuItem } from '../../../shared/process/menu'
import type { CpuScale, ProcessHistory, ProcessInfo } from '../../../shared/types/process'
import { formatBytes, formatDuration, formatPercent } from '../../../shared/format'
import { formatFullDate } from './cells'
import { ProcessSockets } from './ProcessSockets'
import { StateBadge } from './StateBadge'
import './details.css'

interface Props {
  process: ProcessInfo
  /** It is gone: shown as last seen. */
  exited: boolean
  parent: ProcessInfo | undefined
  children: readonly ProcessInfo[]
  history: ProcessHistory | undefined
  /** The time of the snapshot shown (for the age). */
  now: number
  cpuScale: CpuScale
  /** The same entries as the right-click menu. */
  actions: readonly MenuEntry[]
  onAction: (item: MenuItem) => void
  onSelect: (p: ProcessInfo) => void
  onClose: () => void
  /** An error of the watch stream, if any. */
  watchError?: string
}

// recharts loads with the first details panel, not at start.
const ProcessChart = lazy(() => import('./ProcessChart').then((m) => ({ default: m.ProcessChart })))

const MAX_CHILDREN = 40
const PRIMARY = new Set(['terminate', 'kill', 'suspend', 'resume', 'retry-elevated'])

/** Everything about the selected process, its live CPU and memory, and its actions. */
export function DetailsPanel(props: Props) {
  const { process: p, exited, parent, children, history, now, cpuScale, actions, onAction, onSelect, onClose } = props
  const headingId = useId()
  const items = actions.filter((e): e is MenuItem => !('separator' in e))
  const primary = items.filter((i) => PRIMARY.has(i.id))
  const renice = items.find((i) => i.id === 'renice')
  const levels = (renice?.submenu ?? []).filter((e): e is MenuItem => !('separator' in e))
  const secondary = items.filter((i) => !PRIMARY.has(i.id) && i.id !== 'renice')
  const ageMs = Math.max(0, now - p.startTime)

  return (
    <aside className="details" aria-labelledby={headingId}>
      <header className="details-head">
        <div className="details-title">
          <h2 id={headingId}>
            <span className="visually-hidden">Details of </span>
            {p.name}
          </h2>
          <span className="details-pid">PID {p.pid}</span>
          {exited ? <span className="state state-exited">Exited</span> : <StateBadge state={p.state} />}
        </div>
        <button type="button" className="icon-button" aria-label="Close details" title="Close (Escape)" onClick={onClose}>
          ×
        </button>
      </header>

      <div className="details-scroll">
        {exited && <p className="details-note">This process has exited; what is shown is how it was last seen.</p>}
        {props.watchError && !exited && <p className="details-note">Live history unavailable: {props.watchError}</p>}

        <div className="details-actions" role="group" aria-label="Actions">
          {primary.map((item) => (
            <button
              key={item.id}
              type="button"
              className={item.destructive ? 'button danger-outline' : 'button'}
              disabled={!item.enabled || exited}
              onClick={() => onAction(item)}
            >
              {item.label}
            </button>
          ))}
          {renice && levels.length > 0 && (
            <label className="renice">
              <span>Nice</span>
              <select
                title="Renice: set the nice value"
                value=""
                disabled={!renice.enabled || exited}
                onChange={(e) => {
                  const chosen = levels.find((s) => s.id === e.target.value)
                  if (chosen) onAction(chosen)
                }}
              >
                <option value="" disabled>
                  {p.nice > 0 ? `+${p.nice}` : p.nice}
                </option>
                {levels.map((s) => (
                  <option key={s.id} value={s.id} disabled={!s.enabled}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>

        <Suspense fallback={<div className="details-charts" aria-busy="true" />}>
        <div className="details-charts">
          <ProcessChart
            title="CPU"
            series="cpuPercent"
            history={history}
            current={formatPercent(p.cpuPercent)}
            format={(v) => `${Math.round(v)}%`}
            minTop={100}
            color="var(--accent)"
          />
          <ProcessChart
            title="Memory"
            series="memoryBytes"
            history={history}
            current={formatBytes(p.memoryBytes)}
            format={(v) => formatBytes(v, 0)}
            minTop={1024 * 1024}
            color="var(--chart-memory, #8b5cf6)"
          />
        </div>
        </Suspense>

        <section className="details-section" aria-label="Command line">
          <h3>Command line</h3>
          <code className="command-line">{p.command}</code>
        </section>

        <dl className="facts">
          <dt>Executable</dt>
          <dd className="mono">{p.exe ?? '–'}</dd>
          <dt>User</dt>
          <dd>
            {p.user} <span className="muted">(uid {p.uid})</span>
          </dd>
          <dt>Started</dt>
          <dd>
            {formatFullDate(p.startTime)} <span className="muted">({formatDuration(ageMs)} ago)</span>
          </dd>
          <dt>Parent</dt>
          <dd>
            {parent ? (
              <button type="button" className="link-button" onClick={() => onSelect(parent)}>
                {parent.name} <span className="muted">(PID {parent.pid})</span>
              </button>
            ) : (
              <span>
                {p.ppid > 0 ? `PID ${p.ppid}` : 'none'} <span className="muted">{p.ppid > 0 ? '(not listed)' : ''}</span>
              </span>
            )}
          </dd>
          <dt>Children</dt>
          <dd>
            {children.length === 0 ? (
              'none'
            ) : (
              <ul className="child-list" aria-label="Children">
                {children.slice(0, MAX_CHILDREN).map((c) => (
                  <li key={`${c.pid}:${c.startTime}`}>
                    <button type="button" className="link-button" onClick={() => onSelect(c)}>
                      {c.name} <span className="muted">(PID {c.pid})</span>
                    </button>
                  </li>
                ))}
                {children.length > MAX_CHILDREN && <li className="muted">and {children.length - MAX_CHILDREN} more</li>}
              </ul>
            )}
          </dd>
          <dt>CPU</dt>
          <dd>
            {formatPercent(p.cpuPercent)} <span className="muted">{cpuScale === 'core' ? 'of one core' : 'of all cores'}</span>
          </dd>
          <dt>Memory</dt>
          <dd>
            {formatBytes(p.memoryBytes)} resident <span className="muted">({formatPercent(p.memoryPercent)})</span>, {formatBytes(p.virtualBytes)} virtual
          </dd>
          <dt>Threads</dt>
          <dd>{p.threads ?? '–'}</dd>
          <dt>Nice</dt>
          <dd>
            {p.nice} <span className="muted">(priority {p.priority})</span>
          </dd>
          <dt>Open files</dt>
          <dd>{p.openFiles ?? '–'}</dd>
          <dt>Disk I/O</dt>
          <dd>
            {p.diskReadBytesPerSec === undefined ? '–' : `${formatBytes(p.diskReadBytesPerSec)}/s read`}
            {p.diskWriteBytesPerSec === undefined ? '' : `, ${formatBytes(p.diskWriteBytesPerSec)}/s written`}
          </dd>
        </dl>

        <ProcessSockets process={p} now={now} exited={exited} />

        <div className="details-more" role="group" aria-label="More actions">
          {secondary.map((item) => (
            <button key={item.id} type="button" className="button small" disabled={!item.enabled} onClick={() => onAction(item)}>
              {item.label}
            </button>
          ))}
        </div>
      </div>
    </aside>
  )
}
