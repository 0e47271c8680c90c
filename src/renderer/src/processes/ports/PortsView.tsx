import { memo, useCallback, useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { localEndpoint, localUrl, ownerLabel, protocolLabel, remoteEndpoint } from '../../../../shared/ports/endpoint'
import type { PortEntry } from '../../../../shared/ports/sockets'
import { findMenuItem, type MenuEntry, type MenuItem } from '../../../../shared/process/menu'
import type { ProcessInfo } from '../../../../shared/types/process'
import { api } from '../../api'
import { copyText } from '../../clipboard'
import { ContextMenu } from '../../components/ContextMenu'
import { browserMode } from '../../hooks/useConnection'
import type { Toasts } from '../../hooks/useToasts'
import { HEADER_HEIGHT, ROW_HEIGHT } from '../columns'
import { everything, type ProcessMatcher } from '../processFilter'
import type { ProcessMenu } from '../useProcessMenu'
import { useVirtualRows } from '../useVirtualRows'
import { COPY_ADDRESS, DEFAULT_PORT_SORT, isWebCandidate, nextPortSort, OPEN_IN_BROWSER, portMenu, portRowKey, portRows, type PortSort, type PortSortKey } from './portRows'
import { usePortTable } from './usePortTable'
import '../../components/dataTable.css'
import './ports.css'

interface Props {
  processes: readonly ProcessInfo[]
  /** The search and the quick filters. */
  matcher: ProcessMatcher
  search: string
  /** The process menu: its entries and actions, the same as the table's. */
  menu: Pick<ProcessMenu, 'entriesFor' | 'run'>
  toasts: Toasts
  stale: boolean
  /** Updates paused: the table stays as it is, and is not read. */
  paused: boolean
  /** A row chosen: its process becomes the selected one (Details shows it). */
  onSelectProcess: (p: ProcessInfo) => void
}

const COLUMNS: { key: PortSortKey | undefined; label: string; numeric?: boolean; title?: string }[] = [
  { key: 'protocol', label: 'Proto' },
  { key: 'port', label: 'Local address', title: 'Address and port the socket is bound to' },
  { key: undefined, label: 'Remote address', title: 'The other end of a connection' },
  { key: 'state', label: 'State' },
  { key: 'pid', label: 'PID', numeric: true },
  { key: 'process', label: 'Process', title: 'The process holding the socket (and its program, when Proctor supervises it)' },
  { key: undefined, label: 'User' },
]

/**
 * The Ports tab: every TCP and UDP socket with the process holding it,
 * filtered by the search through that process, sorted by column, with the
 * process's right-click actions plus "Copy address" and, for a TCP
 * listener, "Open http://localhost:PORT". The table is read only while
 * this view is shown.
 */
export const PortsView = memo(function PortsView({ processes, matcher, search, menu, toasts, stale, paused, onSelectProcess }: Props) {
  const table = usePortTable(!paused)
  const [sort, setSort] = useState<PortSort>(DEFAULT_PORT_SORT)
  const [selected, setSelected] = useState<string | undefined>(undefined)
  const [open, setOpen] = useState<{ entry: PortEntry; process: ProcessInfo | undefined; entries: MenuEntry[]; x: number; y: number } | undefined>(undefined)
  const byPid = useMemo(() => new Map(processes.map((p) => [p.pid, p])), [processes])
  // The search and the quick filters, applied to each row's process.
  const filtering = matcher !== everything
  const rows = useMemo(
    () => (table.value ? portRows(table.value.entries, byPid, filtering ? matcher : undefined, sort) : []),
    [table.value, byPid, matcher, filtering, sort],
  )
  const selectedIndex = selected === undefined ? -1 : rows.findIndex((r) => portRowKey(r) === selected)
  // Grows when the keys move the selection: the row scrolls into view.
  const [revealToken, setRevealToken] = useState(0)
  const { scroller, start, end } = useVirtualRows(rows.length, { selectedIndex, revealToken, rows, resetKey: search })

  const processOf = useCallback((e: PortEntry) => {
    const p = e.owner ? byPid.get(e.owner.pid) : undefined
    return p !== undefined && p.startTime === e.owner?.startTime ? p : undefined
  }, [byPid])

  const choose = useCallback(
    (item: MenuItem, entry: PortEntry, p: ProcessInfo | undefined) => {
      if (item.id === COPY_ADDRESS) {
        const text = localEndpoint(entry)
        copyText(text).then(
          () => toasts.show({ tone: 'success', title: `Copied ${text}` }),
          (err: unknown) => toasts.show({ tone: 'error', title: `Could not copy ${text}`, detail: err instanceof Error ? err.message : String(err) }),
        )
      } else if (item.id === OPEN_IN_BROWSER) {
        if (browserMode) window.open(localUrl(entry), '_blank', 'noopener,noreferrer')
        else api.openPortInBrowser({ port: entry.localPort }).catch((err: unknown) => toasts.show({ tone: 'error', title: `Could not open ${localUrl(entry)}`, detail: err instanceof Error ? err.message : String(err) }))
      } else if (p) {
        menu.run(item, p)
      }
    },
    [menu, toasts],
  )

  const pick = (entry: PortEntry) => {
    setSelected(portRowKey(entry))
    const p = processOf(entry)
    if (p) onSelectProcess(p)
    return p
  }

  const openMenu = (entry: PortEntry, x: number, y: number) => {
    const p = pick(entry)
    const entries = portMenu(entry, p ? menu.entriesFor(p) : undefined)
    if (!browserMode) {
      api.popupProcessMenu({ items: entries, x: Math.max(0, Math.round(x)), y: Math.max(0, Math.round(y)) }).then(
        ({ id }) => {
          const item = id === null ? undefined : findMenuItem(entries, id)
          if (item) choose(item, entry, p)
        },
        () => setOpen({ entry, process: p, entries, x, y }),
      )
      return
    }
    setOpen({ entry, process: p, entries, x, y })
  }

  const onContextMenu = (e: MouseEvent, entry: PortEntry) => {
    e.preventDefault()
    openMenu(entry, e.clientX, e.clientY)
  }

  // The keys of the process list: arrows move the selection, Shift+F10 or the menu key opens the row's menu.
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0
    if (step !== 0 && rows.length > 0) {
      e.preventDefault()
      const next = rows[Math.min(rows.length - 1, Math.max(0, selectedIndex < 0 ? 0 : selectedIndex + step))]
      if (next) pick(next)
      setRevealToken((n) => n + 1)
      return
    }
    const entry = selectedIndex >= 0 ? rows[selectedIndex] : undefined
    if (entry && (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) {
      e.preventDefault()
      const row = scroller.current?.querySelector(`tr[aria-selected="true"]`)?.getBoundingClientRect()
      openMenu(entry, (row?.left ?? 0) + 40, row?.bottom ?? 0)
    }
  }

  const data = table.value
  const emptyText = table.error
    ? `The port table could not be read: ${table.error.message}`
    : !data
      ? 'Reading the port table…'
      : search.trim() !== ''
        ? `No socket belongs to a process matching “${search.trim()}”.`
        : filtering
          ? 'No socket belongs to a process passing the quick filters.'
          : 'No TCP or UDP sockets.'
  const shown = rows.slice(start, end)
  return (
    <div className="ports-view">
      {data?.visibilityHint && (
        <p className="ports-hint" role="note">
          {data.visibilityHint.replace(/`/g, '')}
        </p>
      )}
      <div ref={scroller} className={stale ? 'ports-scroll stale' : 'ports-scroll'} style={{ '--row-height': `${ROW_HEIGHT}px`, '--header-height': `${HEADER_HEIGHT}px` } as React.CSSProperties}>
        <table className="data-table ports-table" aria-label="Ports" aria-rowcount={rows.length + 1} aria-busy={!data} tabIndex={0} onKeyDown={onKeyDown}>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const sorted = c.key !== undefined && sort.key === c.key
                return (
                  <th key={c.label} scope="col" className={c.numeric ? 'numeric' : undefined} title={c.title} aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                    {c.key === undefined ? (
                      c.label
                    ) : (
                      <button type="button" className="ports-sort" onClick={() => setSort((s) => nextPortSort(s, c.key as PortSortKey))}>
                        {c.label}
                        {sorted && <span aria-hidden="true">{sort.descending ? ' ▾' : ' ▴'}</span>}
                      </button>
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length} className="ports-empty">
                  {emptyText}
                </td>
              </tr>
            ) : (
              <>
                {start > 0 && <tr aria-hidden="true" style={{ height: start * ROW_HEIGHT }} />}
                {shown.map((e, i) => {
                  const key = portRowKey(e)
                  const link = browserMode && isWebCandidate(e)
                  return (
                    <tr
                      key={key}
                      aria-rowindex={start + i + 2}
                      aria-selected={key === selected}
                      className={key === selected ? 'data-row selected' : 'data-row'}
                      onClick={() => pick(e)}
                      onContextMenu={(ev) => onContextMenu(ev, e)}
                    >
                      <td>{protocolLabel(e)}</td>
                      <td className="mono">
                        {link ? (
                          <a href={localUrl(e)} target="_blank" rel="noopener noreferrer" title={`Open ${localUrl(e)}`}>
                            {localEndpoint(e)}
                          </a>
                        ) : (
                          localEndpoint(e)
                        )}
                      </td>
                      <td className="mono">{remoteEndpoint(e) || <span className="muted">–</span>}</td>
                      <td>
                        <span className={`port-state port-state-${e.state.toLowerCase()}`}>{e.state}</span>
                      </td>
                      <td className="numeric">{e.owner?.pid ?? ''}</td>
                      <td className={e.owner ? undefined : 'muted'}>{ownerLabel(e)}</td>
                      <td>{e.owner?.user ?? ''}</td>
                    </tr>
                  )
                })}
                {end < rows.length && <tr aria-hidden="true" style={{ height: (rows.length - end) * ROW_HEIGHT }} />}
              </>
            )}
          </tbody>
        </table>
      </div>
      <div className="ports-foot muted" aria-live="polite">
        {data ? `${rows.length} of ${data.entries.length} sockets${data.notVisible > 0 ? `, ${data.notVisible} without a visible process` : ''}` : ''}
      </div>
      {open && (
        <ContextMenu
          entries={open.entries}
          x={open.x}
          y={open.y}
          label={open.process ? `Actions for ${localEndpoint(open.entry)}, ${open.process.name} (PID ${open.process.pid})` : `Actions for ${localEndpoint(open.entry)}`}
          onChoose={(item) => {
            const { entry, process } = open
            setOpen(undefined)
            choose(item, entry, process)
          }}
          onClose={() => setOpen(undefined)}
        />
      )}
    </div>
  )
})
