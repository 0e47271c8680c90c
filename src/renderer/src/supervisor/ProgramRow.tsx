import { memo } from 'react'
import { formatBytes, formatPercent } from '../../../shared/format'
import { isActive } from '../../../shared/supervisor/states'
import type { ProgramStatus } from '../../../shared/supervisor/status'
import { countdownText, healthText, lastExitText, STATE_LABELS, stateTone, uptimeText } from './programView'
import type { ProgramAction } from './useProgramActions'

interface Props {
  status: ProgramStatus
  now: number
  selected: boolean
  busy: boolean
  onSelect: (name: string) => void
  onAction: (action: ProgramAction, name: string) => void
  onEdit: (name: string) => void
  onRemove: (name: string) => void
  onExport: (name: string) => void
}

/** One program: state, times, figures, health, and its actions. */
export const ProgramRow = memo(function ProgramRow({ status: s, now, selected, busy, onSelect, onAction, onEdit, onRemove, onExport }: Props) {
  const tone = stateTone(s.state)
  const countdown = countdownText(s, now)
  const exit = lastExitText(s)
  const health = healthText(s.health)
  const running = isActive(s.state)
  const why = [s.reason, exit ? `Last exit: ${exit}` : ''].filter(Boolean).join('. ')
  return (
    <tr className={`program-row data-row state-row-${s.state}${selected ? ' selected' : ''}`} aria-selected={selected} onClick={() => onSelect(s.name)}>
      <th scope="row" className="program-name">
        <button type="button" className="link-button" onClick={() => onSelect(s.name)} title="Show its logs">
          {s.name}
        </button>
        {s.program.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </th>
      <td className={`program-state tone-${tone}`} title={why}>
        <span className="state-label">{STATE_LABELS[s.state]}</span>
        {countdown && <span className="countdown"> · restart {countdown}</span>}
        {s.waitingFor ? (
          <div className="state-reason">waiting for {s.waitingFor}</div>
        ) : s.startError ? (
          <div className="state-reason start-error">{s.startError}</div>
        ) : (
          (s.state === 'fatal' || s.state === 'exited' || s.state === 'backoff') && <div className="state-reason">{s.reason}</div>
        )}
      </td>
      <td className="numeric">{uptimeText(s, now) ?? '–'}</td>
      <td className="numeric" title={`${s.totalRestarts} since the supervisor started`}>
        {s.restarts}
      </td>
      <td className="numeric">{s.cpu === undefined ? '–' : formatPercent(s.cpu)}</td>
      <td className="numeric">{s.memory === undefined ? '–' : formatBytes(s.memory)}</td>
      <td>
        <span className={`health health-${s.health.status}`} title={health.title}>
          {health.label}
        </span>
      </td>
      <td className="numeric" title={s.descendants > 0 ? `And ${s.descendants} processes it started` : undefined}>
        {s.pid ?? '–'}
        {s.descendants > 0 && <span className="muted"> +{s.descendants}</span>}
      </td>
      <td onClick={(e) => e.stopPropagation()}>
        <div className="program-actions">
        {running ? (
          <button type="button" className="button small" disabled={busy || s.state === 'stopping'} onClick={() => onAction('stop', s.name)}>
            Stop
          </button>
        ) : (
          <button type="button" className="button small" disabled={busy} onClick={() => onAction('start', s.name)}>
            Start
          </button>
        )}
        <button type="button" className="button small" disabled={busy} onClick={() => onAction('restart', s.name)}>
          Restart
        </button>
        <button type="button" className="button small" onClick={() => onEdit(s.name)}>
          Edit
        </button>
        <button type="button" className="button small" onClick={() => onExport(s.name)} title="Export as systemd unit…">
          Export…
        </button>
        <button type="button" className="button small danger-outline" disabled={busy} onClick={() => onRemove(s.name)}>
          Remove
        </button>
        </div>
      </td>
    </tr>
  )
})
