import { useId, useState, type ReactNode } from 'react'
import { TabList } from '../components/TabList'
import { CgroupTab } from './details/CgroupTab'
import type { DetailsProps } from './details/detailsProps'
import { EnvironmentTab } from './details/EnvironmentTab'
import { MemoryMapsTab } from './details/MemoryMapsTab'
import { OpenFilesTab } from './details/OpenFilesTab'
import { OverviewTab } from './details/OverviewTab'
import { ThreadsTab } from './details/ThreadsTab'
import { ProcessSockets } from './ProcessSockets'
import { StateBadge } from './StateBadge'
import './details.css'

interface DetailsTab {
  id: string
  label: string
  render: (props: DetailsProps) => ReactNode
}

const live = (render: (pid: number, startTime: number, props: DetailsProps) => ReactNode) => (props: DetailsProps) =>
  props.exited ? <p className="details-note">This process has exited: there is nothing left to read.</p> : render(props.process.pid, props.process.startTime, props)

/** The tabs, in order; each reads only while it is shown. Short labels: they share one row of the panel. */
const TABS: readonly DetailsTab[] = [
  { id: 'overview', label: 'Overview', render: (props) => <OverviewTab {...props} /> },
  { id: 'files', label: 'Files', render: live((pid, startTime) => <OpenFilesTab pid={pid} startTime={startTime} />) },
  { id: 'sockets', label: 'Sockets', render: (props) => <ProcessSockets process={props.process} now={props.now} exited={props.exited} /> },
  { id: 'environment', label: 'Environment', render: live((pid, startTime, props) => <EnvironmentTab pid={pid} startTime={startTime} toasts={props.toasts} />) },
  { id: 'threads', label: 'Threads', render: live((pid, startTime) => <ThreadsTab pid={pid} startTime={startTime} />) },
  { id: 'memory', label: 'Memory', render: live((pid, startTime) => <MemoryMapsTab pid={pid} startTime={startTime} />) },
  { id: 'cgroup', label: 'Cgroup', render: live((pid, startTime) => <CgroupTab pid={pid} startTime={startTime} />) },
]

/** Everything about the selected process, a tab per aspect; the tab chosen stays as the selection moves. */
export function DetailsPanel(props: DetailsProps) {
  const { process: p, exited, onClose } = props
  const headingId = useId()
  const ids = useId()
  const [tab, setTab] = useState(TABS[0]!.id)
  const shown = TABS.find((t) => t.id === tab) ?? TABS[0]!

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

      <TabList
        tabs={TABS}
        selected={shown.id}
        onSelect={setTab}
        label="Details"
        className="details-tabs"
        tabId={(id) => `${ids}-tab-${id}`}
        panelId={(id) => `${ids}-panel-${id}`}
      />

      <div className="details-scroll" role="tabpanel" id={`${ids}-panel-${shown.id}`} aria-labelledby={`${ids}-tab-${shown.id}`}>
        {exited && <p className="details-note">This process has exited; what is shown is how it was last seen.</p>}
        {props.watchError && !exited && <p className="details-note">Live history unavailable: {props.watchError}</p>}
        {shown.render(props)}
      </div>
    </aside>
  )
}
