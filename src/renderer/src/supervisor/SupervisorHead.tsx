import type { ProgramsOverview } from '../../../shared/supervisor/status'
import { ownerText } from './programView'
import { plural } from './SwitchBanners'

/** The page's toolbar: what runs, who supervises, and "Add program". */
export function SupervisorHead({ overview, onAdd, canAdd }: { overview: ProgramsOverview | undefined; onAdd: () => void; canAdd: boolean }) {
  const list = overview?.programs ?? []
  const running = list.filter((p) => p.state === 'running').length
  return (
    <div className="supervisor-toolbar">
      <button type="button" className="button primary" onClick={onAdd} disabled={!canAdd}>
        Add program
      </button>
      {overview && (
        <span className="supervisor-summary">
          {plural(list.length, 'program')}, {running} running
        </span>
      )}
      <div className="toolbar-spacer" />
      {overview && (
        <span className="supervisor-owner" title={overview.owner.socket ? `Control socket: ${overview.owner.socket}` : undefined}>
          Supervised by {ownerText(overview.owner)}, since {new Date(overview.owner.since).toLocaleString()}
        </span>
      )}
    </div>
  )
}
