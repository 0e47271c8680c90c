import { lazy, Suspense } from 'react'
import type { MenuItem } from '../../../../shared/process/menu'
import { formatBytes, formatDuration, formatPercent } from '../../../../shared/format'
import { formatFullDate } from '../cells'
import type { DetailsProps } from './detailsProps'

// recharts loads with the first details panel, not at start.
const ProcessChart = lazy(() => import('../ProcessChart').then((m) => ({ default: m.ProcessChart })))

const MAX_CHILDREN = 40
const PRIMARY = new Set(['terminate', 'kill', 'suspend', 'resume', 'retry-elevated'])
/** Shown as pickers beside the buttons, not as buttons. */
const PICKERS = new Set(['renice', 'signal'])

/** What the details panel showed before it had tabs: actions, live CPU and memory, and the facts of the process. */
export function OverviewTab(props: DetailsProps) {
  const { process: p, exited, parent, children, history, now, cpuScale, actions, onAction, onSelect } = props
  const items = actions.filter((e): e is MenuItem => !('separator' in e))
  const primary = items.filter((i) => PRIMARY.has(i.id))
  const renice = items.find((i) => i.id === 'renice')
  const signal = items.find((i) => i.id === 'signal')
  const secondary = items.filter((i) => !PRIMARY.has(i.id) && !PICKERS.has(i.id))
  const ageMs = Math.max(0, now - p.startTime)

  return (
    <>
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
      {renice && <SubmenuPicker item={renice} label="Nice" title="Renice: set the nice value" placeholder={p.nice > 0 ? `+${p.nice}` : String(p.nice)} disabled={exited} onAction={onAction} />}
      {signal && <SubmenuPicker item={signal} label="Signal" title="Send a signal" placeholder="Send…" disabled={exited} onAction={onAction} />}
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

    <div className="details-more" role="group" aria-label="More actions">
      {secondary.map((item) => (
        <button key={item.id} type="button" className="button small" disabled={!item.enabled} onClick={() => onAction(item)}>
          {item.label}
        </button>
      ))}
    </div>
    </>
  )
}

interface PickerProps {
  item: MenuItem
  label: string
  title: string
  placeholder: string
  disabled: boolean
  onAction: (item: MenuItem) => void
}

/** A menu item's submenu (renice levels, signals) as a select: choosing runs the entry, as the right-click menu does. */
function SubmenuPicker({ item, label, title, placeholder, disabled, onAction }: PickerProps) {
  const entries = (item.submenu ?? []).filter((e): e is MenuItem => !('separator' in e))
  if (entries.length === 0) return null
  return (
    <label className="renice">
      <span>{label}</span>
      <select
        title={title}
        value=""
        disabled={!item.enabled || disabled}
        onChange={(e) => {
          const chosen = entries.find((s) => s.id === e.target.value)
          if (chosen) onAction(chosen)
        }}
      >
        <option value="" disabled>
          {placeholder}
        </option>
        {entries.map((s) => (
          <option key={s.id} value={s.id} disabled={!s.enabled}>
            {s.label}
          </option>
        ))}
      </select>
    </label>
  )
}
