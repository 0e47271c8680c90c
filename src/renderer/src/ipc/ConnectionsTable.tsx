import { memo } from 'react'
import type { IPCCaps, IPCConnection, IPCOverview, IPCRegistration } from '../../../shared/broker/status'
import { formatBytes } from '../../../shared/format'
import { agoText, capsList, forText, heartbeatTone, queueLevel, rateText, type Rates } from './ipcView'
import '../components/dataTable.css'

interface Props {
  overview: IPCOverview
  rates: ReadonlyMap<string, Rates>
  now: number
  /** The console's target. */
  selected: string
  onSelect: (id: string) => void
  onUnregister: (id: string, name: string, connected: boolean) => void
}

/** What stands in the Program column for an endpoint that is not a managed program's. */
const KIND_LABELS: Record<IPCConnection['kind'], string> = { program: '–', registered: 'registered by hand', proctor: 'Proctor' }

/** The connections with their counters and rates, the caps above them, and the identities registered but not connected below. */
export function ConnectionsTable({ overview, rates, now, selected, onSelect, onUnregister }: Props) {
  const { caps, connections } = overview
  const waiting = overview.registrations.filter((r) => !r.connected)
  return (
    <section className="ipc-connections" aria-labelledby="ipc-connections-title">
      <div className="ipc-section-head">
        <h2 id="ipc-connections-title">
          Connections <span className="muted">{connections.length}</span>
          {overview.handshaking > 0 && (
            <span className="muted handshaking" title="Connections accepted that have not presented their token yet (they count toward the cap)">
              {' '}
              + {overview.handshaking} shaking hands
            </span>
          )}
        </h2>
        <dl className="ipc-caps" aria-label="Caps">
          {capsList(caps).map((c) => (
            <div key={c.label} title={c.title}>
              <dt>{c.label}</dt>
              <dd>{c.value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="ipc-table-scroll">
        {connections.length === 0 ? (
          <p className="ipc-none">
            No connections yet. A program Proctor starts connects with the PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN of its environment; another process needs a token
            from <em>Register a process…</em>.
          </p>
        ) : (
          <table className="ipc-table data-table" aria-label="IPC connections">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Name</th>
                <th scope="col" title="The managed program it belongs to">Program</th>
                <th scope="col" className="numeric">
                  PID
                </th>
                <th scope="col" className="numeric">
                  Connected
                </th>
                <th scope="col" className="numeric" title="The last frame received from it">
                  Last seen
                </th>
                <th scope="col" className="numeric">
                  Heartbeat
                </th>
                <th scope="col">Ready</th>
                <th scope="col" className="numeric" title="Messages received from it / sent to it">
                  Messages in / out
                </th>
                <th scope="col" className="numeric" title="Bytes received from it / sent to it, with the rate over the last second">
                  Bytes in / out
                </th>
                <th scope="col" title={`Bytes written to it and not yet read, against the cap of ${formatBytes(caps.maxQueuedBytes)}`}>
                  Queued
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {connections.map((c) => (
                <ConnectionRow
                  key={c.id}
                  c={c}
                  rates={rates.get(c.id)}
                  caps={caps}
                  now={now}
                  selected={c.id === selected}
                  onSelect={onSelect}
                  onUnregister={onUnregister}
                />
              ))}
            </tbody>
          </table>
        )}
        {waiting.length > 0 && <Registrations list={waiting} now={now} onUnregister={onUnregister} />}
      </div>
    </section>
  )
}

interface RowProps {
  c: IPCConnection
  rates: Rates | undefined
  caps: IPCCaps
  now: number
  selected: boolean
  onSelect: (id: string) => void
  onUnregister: (id: string, name: string, connected: boolean) => void
}

const ConnectionRow = memo(function ConnectionRow({ c, rates, caps, now, selected, onSelect, onUnregister }: RowProps) {
  const queue = queueLevel(c.queuedBytes, caps.maxQueuedBytes)
  const beat = heartbeatTone(c.lastHeartbeat, now, caps.messageTimeout)
  return (
    <tr className={`ipc-row data-row${selected ? ' selected' : ''}`} aria-selected={selected} onClick={() => onSelect(c.id)} data-id={c.id}>
      <th scope="row" className="ipc-id">
        <button type="button" className="link-button" onClick={() => onSelect(c.id)} title="Make it the console's target" aria-pressed={selected}>
          {c.id}
        </button>
      </th>
      <td>{c.name}</td>
      <td>{c.program ?? <span className="muted">{KIND_LABELS[c.kind]}</span>}</td>
      <td className="numeric">{c.pid ?? '–'}</td>
      <td className="numeric" title={`Since ${new Date(c.connectedSince).toLocaleString()}`}>
        {forText(c.connectedSince, now)}
      </td>
      <td className="numeric" title={new Date(c.lastSeen).toLocaleString()}>
        {agoText(c.lastSeen, now)}
      </td>
      <td className={`numeric heartbeat-${beat}`} title={beat === 'late' ? 'No heartbeat for a while' : beat === 'none' ? 'It has sent no heartbeat' : undefined}>
        {c.lastHeartbeat === undefined ? '–' : agoText(c.lastHeartbeat, now)}
      </td>
      <td>
        <span className={`ipc-ready ${c.ready ? 'is-ready' : 'not-ready'}`}>{c.ready ? 'Ready' : 'Not yet'}</span>
      </td>
      <td className="numeric">
        <span className="in-out">
          {c.messagesIn.toLocaleString()} / {c.messagesOut.toLocaleString()}
        </span>
        {rates && <div className="rate">{`${rateText(rates.messagesIn, 'messages')} / ${rateText(rates.messagesOut, 'messages')}`}</div>}
      </td>
      <td className="numeric">
        <span className="in-out">
          {formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}
        </span>
        {rates && <div className="rate">{`${rateText(rates.bytesIn, 'bytes')} / ${rateText(rates.bytesOut, 'bytes')}`}</div>}
      </td>
      <td title={`${formatBytes(c.queuedBytes)} of ${formatBytes(caps.maxQueuedBytes)}: at the cap it is disconnected as a slow consumer`}>
        <span className="queue">
          <span
            className={`meter queue-${queue.tone}`}
            role="meter"
            aria-label={`Queued bytes for ${c.id}`}
            aria-valuemin={0}
            aria-valuemax={caps.maxQueuedBytes}
            aria-valuenow={c.queuedBytes}
            aria-valuetext={`${formatBytes(c.queuedBytes)} of ${formatBytes(caps.maxQueuedBytes)}`}
          >
            <span className="meter-fill" style={{ width: `${queue.fraction * 100}%` }} />
          </span>
          <span className="queue-text">{formatBytes(c.queuedBytes)}</span>
        </span>
      </td>
      <td onClick={(e) => e.stopPropagation()}>
        {c.kind === 'registered' && (
          <button type="button" className="button small danger-outline" onClick={() => onUnregister(c.id, c.name, true)}>
            Unregister
          </button>
        )}
      </td>
    </tr>
  )
})

function Registrations({ list, now, onUnregister }: { list: readonly IPCRegistration[]; now: number; onUnregister: Props['onUnregister'] }) {
  return (
    <div className="ipc-registrations">
      <h3 id="ipc-registrations-title">
        Registered, not connected <span className="muted">{list.length}</span>
      </h3>
      <table className="ipc-table data-table" aria-labelledby="ipc-registrations-title">
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col" className="numeric">
              PID
            </th>
            <th scope="col" className="numeric">
              Issued
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="ipc-id">
                {r.id}
              </th>
              <td>{r.name}</td>
              <td>{r.kind === 'program' ? `program${r.program ? ` ${r.program}` : ''}` : 'registered'}</td>
              <td className="numeric">{r.pid ?? '–'}</td>
              <td className="numeric" title={new Date(r.issuedAt).toLocaleString()}>
                {agoText(r.issuedAt, now)}
              </td>
              <td>
                {r.kind === 'registered' ? (
                  <button type="button" className="button small danger-outline" onClick={() => onUnregister(r.id, r.name, false)}>
                    Unregister
                  </button>
                ) : (
                  <span className="muted" title="A managed program's token lives as long as its run">
                    managed
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
