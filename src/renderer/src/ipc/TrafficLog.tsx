import { useVirtualizer } from '@tanstack/react-virtual'
import { useDeferredValue, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { IPCConnection } from '../../../shared/broker/status'
import { formatBytes } from '../../../shared/format'
import { clockText, filterEvents, isFiltering, KIND_FILTERS, kindTone, knownEndpoints, MAX_EVENTS, NO_FILTER, routeText, type KindFilter, type LogFilter } from './ipcView'
import type { TrafficState } from './useIPC'

interface Props {
  traffic: TrafficState
  connections: readonly IPCConnection[]
  listening: boolean
}

const ROW_HEIGHT = 20

/**
 * The broker's traffic, live and bounded (the last MAX_EVENTS events):
 * filters by kind, endpoint and text; pause (new events wait) and clear;
 * it follows the newest event while scrolled to the end. Only the rows in
 * view are in the DOM.
 */
export function TrafficLog({ traffic, connections, listening }: Props) {
  const [filter, setFilter] = useState<LogFilter>(NO_FILTER)
  const deferred = useDeferredValue(filter)
  const [follow, setFollow] = useState(true)
  const rows = useMemo(() => filterEvents(traffic.events, deferred), [traffic.events, deferred])
  const endpoints = useMemo(() => knownEndpoints(traffic.events, connections), [traffic.events, connections])
  const ids = { kind: useId(), endpoint: useId(), text: useId() }

  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's object is read in render on purpose.
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 })
  useLayoutEffect(() => {
    if (follow && rows.length > 0) virtual.scrollToIndex(rows.length - 1, { align: 'end' })
  }, [follow, rows.length, rows, virtual])
  const onScroll = () => {
    const el = scroller.current
    if (!el) return
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT
    if (atEnd !== follow) setFollow(atEnd)
  }
  const set = (patch: Partial<LogFilter>) => setFilter((f) => ({ ...f, ...patch }))

  return (
    <section className="ipc-log" aria-labelledby="ipc-log-title">
      <div className="ipc-log-toolbar" role="group" aria-label="Message log tools">
        <h2 id="ipc-log-title">Messages</h2>
        <label className="visually-hidden" htmlFor={ids.kind}>
          Kind
        </label>
        <select id={ids.kind} value={filter.kind} onChange={(e) => set({ kind: e.target.value as KindFilter })}>
          {KIND_FILTERS.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={ids.endpoint}>
          Endpoint
        </label>
        <select id={ids.endpoint} value={filter.endpoint} onChange={(e) => set({ endpoint: e.target.value })}>
          <option value="">Any endpoint</option>
          {endpoints.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
          {filter.endpoint !== '' && !endpoints.includes(filter.endpoint) && <option value={filter.endpoint}>{filter.endpoint}</option>}
        </select>
        <input
          id={ids.text}
          type="search"
          className="ipc-log-search"
          placeholder="Filter text"
          aria-label="Filter messages"
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
        />
        <label className="ipc-check" title="Heartbeats come every few seconds from each program that sends them">
          <input type="checkbox" checked={filter.heartbeats} onChange={(e) => set({ heartbeats: e.target.checked })} />
          Heartbeats
        </label>
        {isFiltering(filter) && (
          <button type="button" className="button small" onClick={() => setFilter(NO_FILTER)} title="Clear the filters">
            Show all
          </button>
        )}
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="tool-button"
          aria-pressed={traffic.paused}
          onClick={() => traffic.setPaused(!traffic.paused)}
          title="Freeze the events shown; new ones wait"
        >
          {traffic.paused ? `Resume${traffic.waiting > 0 ? ` (${traffic.waiting} new)` : ''}` : 'Pause'}
        </button>
        <button type="button" className="tool-button" onClick={traffic.clear} disabled={traffic.events.length === 0 && traffic.waiting === 0}>
          Clear
        </button>
      </div>
      {traffic.error && (
        <div className="ipc-log-error" role="alert">
          The message log stopped: {traffic.error.message}{' '}
          <button type="button" className="button small" onClick={traffic.retry}>
            Retry
          </button>
        </div>
      )}
      <div className="ipc-log-head" aria-hidden="true">
        <span className="ev-time">Time</span>
        <span className="ev-kind">Kind</span>
        <span className="ev-route">From → to</span>
        <span className="ev-bytes">Bytes</span>
        <span className="ev-text">Payload or reason</span>
      </div>
      <div ref={scroller} className="ipc-log-lines" onScroll={onScroll} tabIndex={0} role="log" aria-label="IPC messages">
        {rows.length === 0 ? (
          <div className="ipc-log-empty">
            {traffic.events.length > 0 ? 'No event matches the filters.' : listening ? 'No traffic yet. Messages, connects and disconnects show here as they happen.' : 'The broker is not listening.'}
          </div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((row) => {
              const e = rows[row.index]!
              return (
                <div key={row.key} className={`ipc-event tone-${kindTone(e.kind)}`} style={{ transform: `translateY(${row.start}px)` }} data-kind={e.kind}>
                  <span className="ev-time">{clockText(e.at)}</span>
                  <span className="ev-kind">
                    <span className="kind-badge">{e.kind}</span>
                  </span>
                  <span className="ev-route" title={e.requestId ? `Request ${e.requestId}` : undefined}>
                    {routeText(e)}
                  </span>
                  <span className="ev-bytes">{e.bytes > 0 ? formatBytes(e.bytes) : ''}</span>
                  <span className="ev-text" title={e.text}>
                    {e.requestId && <span className="ev-req">#{e.requestId} </span>}
                    {e.text}
                  </span>
                </div>
              )
            })}
          </div>
        )}
      </div>
      <div className="ipc-log-foot">
        <span>
          {isFiltering(deferred) ? `${rows.length} of ${traffic.events.length} events` : `${traffic.events.length} events`}
          {traffic.paused && ' · paused'}
        </span>
        {traffic.dropped > 0 && (
          <span className="muted" title={`The log keeps the last ${MAX_EVENTS} events`}>
            {traffic.dropped.toLocaleString()} older dropped
          </span>
        )}
        {!follow && rows.length > 0 && (
          <button type="button" className="link-button ipc-log-jump" onClick={() => setFollow(true)}>
            Jump to newest
          </button>
        )}
      </div>
    </section>
  )
}
