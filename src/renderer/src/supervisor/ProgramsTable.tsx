import type { ProgramStatus } from '../../../shared/supervisor/status'
import { ProgramRow } from './ProgramRow'
import type { ProgramAction } from './useProgramActions'
import '../components/dataTable.css'

interface Props {
  programs: readonly ProgramStatus[]
  now: number
  selected: string | undefined
  busy: ReadonlySet<string>
  onSelect: (name: string) => void
  onAction: (action: ProgramAction, name: string) => void
  onEdit: (name: string) => void
  onRemove: (name: string) => void
  onExport: (name: string) => void
  onAdd: () => void
}

/** Every program Proctor supervises, one row each. */
export function ProgramsTable({ programs, now, selected, busy, onSelect, onAction, onEdit, onRemove, onExport, onAdd }: Props) {
  if (programs.length === 0) {
    return (
      <div className="programs-empty">
        <p>No programs yet. Add one to have Proctor start it, keep its logs and restart it when it fails.</p>
        <p>
          Or right-click any process on the Processes page and choose <em>Supervise this…</em>.
        </p>
        <button type="button" className="button" onClick={onAdd}>
          Add your first program
        </button>
      </div>
    )
  }
  return (
    <div className="programs-scroll">
      <table className="programs data-table" aria-label="Programs">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col" className="numeric">
              Uptime
            </th>
            <th scope="col" className="numeric" title="Restarts since it last stayed up long enough (the count the policy limits)">
              Restarts
            </th>
            <th scope="col" className="numeric">
              CPU
            </th>
            <th scope="col" className="numeric">
              Memory
            </th>
            <th scope="col">Health</th>
            <th scope="col" className="numeric">
              PID
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {programs.map((p) => (
            <ProgramRow
              key={p.name}
              status={p}
              now={now}
              selected={p.name === selected}
              busy={busy.has(p.name)}
              onSelect={onSelect}
              onAction={onAction}
              onEdit={onEdit}
              onRemove={onRemove}
              onExport={onExport}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
}
