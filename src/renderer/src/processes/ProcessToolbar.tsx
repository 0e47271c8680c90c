import { memo } from 'react'
import type { QuickFilters } from './quickFilters'
import type { Column, ColumnKey } from './columns'
import { ColumnChooser } from './ColumnChooser'
import './toolbar.css'

/** The list shown: the process table, the tree, or the Ports tab. */
export type ListTab = 'table' | 'tree' | 'ports'

interface Props {
  view: ListTab
  onView: (view: ListTab) => void
  onExpandAll: () => void
  onCollapseAll: () => void
  filters: QuickFilters
  onFilters: (filters: QuickFilters) => void
  /** The user running Proctor, for the "My processes" tooltip. */
  me: string | undefined
  columns: readonly Column[]
  onColumns: (keys: ColumnKey[]) => void
  detailsOpen: boolean
  onDetails: (open: boolean) => void
  canShowDetails: boolean
  paused: boolean
  onPaused: (paused: boolean) => void
  /** Why "Only managed" cannot be used (no supervisor runs), or undefined when it can. */
  managedNote: string | undefined
}

/** Above the process list: table or tree, quick filters, columns, details, pause. Renders only when its own props change, not at every refresh. */
export const ProcessToolbar = memo(function ProcessToolbar(props: Props) {
  const { view, onView, filters, onFilters, me, paused } = props
  return (
    <div className="process-toolbar" role="group" aria-label="Process list tools">
      <div className="segmented" role="group" aria-label="View">
        <button type="button" aria-pressed={view === 'table'} onClick={() => onView('table')} title="A flat list (T toggles)">
          Table
        </button>
        <button type="button" aria-pressed={view === 'tree'} onClick={() => onView('tree')} title="Processes under their parents (T toggles)">
          Tree
        </button>
        <button type="button" aria-pressed={view === 'ports'} onClick={() => onView('ports')} title="Every TCP and UDP socket and the process holding it">
          Ports
        </button>
      </div>
      {view === 'tree' && (
        <div className="tool-group">
          <button type="button" className="tool-button" onClick={props.onExpandAll}>
            Expand all
          </button>
          <button type="button" className="tool-button" onClick={props.onCollapseAll}>
            Collapse all
          </button>
        </div>
      )}
      <div className="tool-group" role="group" aria-label="Quick filters">
        <button
          type="button"
          className="chip"
          aria-pressed={filters.mine}
          onClick={() => onFilters({ ...filters, mine: !filters.mine })}
          title={me ? `Only the processes of ${me}, the user running Proctor` : 'Only the processes of the user running Proctor'}
        >
          My processes
        </button>
        <button
          type="button"
          className="chip"
          aria-pressed={filters.hideKernelThreads}
          onClick={() => onFilters({ ...filters, hideKernelThreads: !filters.hideKernelThreads })}
          title="Leave out the kernel's own threads ([kworker/0:1] and the like)"
        >
          Hide kernel threads
        </button>
        {props.managedNote === undefined ? (
          <button
            type="button"
            className="chip"
            aria-pressed={filters.managed === true}
            onClick={() => onFilters({ ...filters, managed: !filters.managed })}
            title="Only the processes of programs Proctor supervises, and what they started"
          >
            Only managed
          </button>
        ) : (
          <>
            <button type="button" className="chip" aria-pressed={false} aria-disabled="true" aria-describedby="managed-note" title={props.managedNote}>
              Only managed
            </button>
            <span id="managed-note" hidden>
              {props.managedNote}
            </span>
          </>
        )}
      </div>
      <div className="toolbar-spacer" />
      {view !== 'ports' && <ColumnChooser columns={props.columns} onChange={props.onColumns} />}
      <button
        type="button"
        className="tool-button"
        aria-pressed={props.detailsOpen}
        disabled={!props.canShowDetails && !props.detailsOpen}
        onClick={() => props.onDetails(!props.detailsOpen)}
        title="Details of the selected process (Enter)"
      >
        Details
      </button>
      <button
        type="button"
        className={paused ? 'tool-button paused' : 'tool-button'}
        onClick={() => props.onPaused(!paused)}
        title={paused ? 'The list is frozen; resume to see live values again' : 'Freeze the list to read it while it is still'}
      >
        <span className={paused ? 'icon-play' : 'icon-pause'} aria-hidden="true" />
        {paused ? 'Resume updates' : 'Pause updates'}
      </button>
    </div>
  )
})
