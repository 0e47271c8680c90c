import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { ProcessInfo, ProcessSnapshot } from '../../../shared/types/process'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ContextMenu } from '../components/ContextMenu'
import type { Toasts } from '../hooks/useToasts'
import type { UiSettings } from '../hooks/useUiSettings'
import { isPresent, findProcess } from './changes'
import { columnsForView, resolveColumns, type ColumnKey } from './columns'
import { DetailsPanel } from './DetailsPanel'
import { processKey } from './identity'
import { everything, type ProcessMatcher } from './processFilter'
import { DEFAULT_SORT, nextSort, type SortKey, type SortState } from './processSort'
import { ProcessTable } from './ProcessTable'
import { ProcessToolbar, type ListTab } from './ProcessToolbar'
import { PortsView } from './ports/PortsView'
import { ProcessTree } from './ProcessTree'
import { NO_QUICK_FILTERS, anyQuickFilter, type QuickFilters } from './quickFilters'
import { useLatest } from './useLatest'
import { useProcessActions } from './useProcessActions'
import { useProcessKeys } from './useProcessKeys'
import { useProcessMenu } from './useProcessMenu'
import { useProcessRows, type View } from './useProcessRows'
import { useSelection } from './useSelection'
import { useTreeCollapse, type TreeNow } from './useTreeCollapse'
import { useWatchProcess } from './useWatchProcess'
import './list.css'

export type { View } from './useProcessRows'

interface Props {
  snapshot: ProcessSnapshot | undefined
  /** The data is not live (connection lost): shown dimmed. */
  stale: boolean
  /** The search box's matcher (the last valid search) and text. */
  matcher: ProcessMatcher
  search: string
  onSearch: (text: string) => void
  /** Proctor's own pid (getAppInfo), for "My processes". */
  appPid: number | undefined
  ui: UiSettings
  onUi: (patch: Partial<UiSettings>) => void
  paused: boolean
  onPaused: (paused: boolean) => void
  toasts: Toasts
  /** The view is on screen: its keys work. */
  active: boolean
  /** How many processes the list shows (for the status bar). */
  onShownChange: (shown: number) => void
  /** What the list says before the first snapshot, when it is not simply loading. */
  loadingText?: string
  /** Pids of supervised programs, with the program's name: the badge and "Only managed". */
  managed: ReadonlyMap<number, string>
  /** Why "Only managed" cannot be used (no supervisor), or undefined. */
  managedNote: string | undefined
  /** "Supervise this…" on a process. */
  onSupervise: (p: ProcessInfo) => void
  onRegisterIpc: (p: ProcessInfo) => void
}

const NO_PROCESSES: readonly ProcessInfo[] = []
/** The User Timing mark of each process update committed to the page. */
export const UPDATE_MARK = 'proctor:processes-update'

/**
 * The process window: the table or the tree of every process, filtered by
 * the search and the quick filters, with selection by identity, the details
 * of the selected process, the right-click menu, the keyboard, the
 * confirmations and the toasts of every action, and the status bar. The
 * hooks beside it hold each of these; this component wires them together.
 */
export const ProcessesView = memo(function ProcessesView(props: Props) {
  const { snapshot, stale, matcher, search, onSearch, appPid, ui, onUi, paused, onPaused, toasts, active, onShownChange, loadingText, managed, onSupervise, onRegisterIpc } = props
  const [view, setView] = useState<View>('table')
  // The Ports tab stands in for the list; the table or tree it replaced comes back as it was.
  const [showPorts, setShowPorts] = useState(false)
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT)
  const [filters, setFilters] = useState<QuickFilters>(NO_QUICK_FILTERS)
  const [detailsOpen, setDetailsOpen] = useState(false)
  const listRef = useRef<HTMLElement | null>(null)
  const [focusRing, setFocusRing] = useState(false)
  const selection = useSelection()
  const { selectedKey, select } = selection
  const treeNow = useRef<TreeNow>({ roots: [], rows: [], selectedKey: undefined })
  const tree = useTreeCollapse(
    useCallback(() => treeNow.current, []),
    select,
  )
  const rows = useProcessRows({ snapshot, matcher, filters, appPid, managed, view, sort, collapsed: tree.collapsed, selectedKey })
  const { changes, listed } = rows
  useLayoutEffect(() => {
    treeNow.current = { roots: rows.roots, rows: rows.treeList, selectedKey }
  })

  // The list had the focus when the view changed: the new list takes it.
  const refocus = useRef(false)
  useEffect(() => {
    if (refocus.current) listRef.current?.focus({ preventScroll: true })
    refocus.current = false
  }, [view])

  // One mark per refresh on screen: the updates show in a DevTools performance
  // recording, and `npm run bench -- --cases ui-2000` measures the work around them.
  // The page's buffer keeps only the last one: a window open for days would hold one per second.
  useLayoutEffect(() => {
    if (!snapshot) return
    performance.clearMarks(UPDATE_MARK)
    performance.mark(UPDATE_MARK)
  }, [snapshot])
  // Before paint: the status bar never shows a count of another filter.
  useLayoutEffect(() => onShownChange(rows.shownCount), [rows.shownCount, onShownChange])

  const columns = useMemo(() => resolveColumns(ui.columns), [ui.columns])
  const viewColumns = useMemo(() => columnsForView(columns, view), [columns, view])

  const selected: ProcessInfo | undefined = selectedKey ? findProcess(changes, selectedKey) : undefined
  const selectedExited = selectedKey !== undefined && !isPresent(changes, selectedKey)
  const watchTarget = useMemo(
    () => (detailsOpen && selected && !selectedExited ? { pid: selected.pid, startTime: selected.startTime } : undefined),
    // The identity only: a new sample of the same process must not restart the watch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [detailsOpen, selectedKey, selectedExited],
  )
  const watched = useWatchProcess(watchTarget, paused)
  const shownProcess = selected ?? (detailsOpen ? watched.process : undefined)

  const onStopAsking = useCallback(() => onUi({ confirmDestructive: false }), [onUi])
  const actions = useProcessActions({ confirmDestructive: ui.confirmDestructive, onStopAsking, toasts })

  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), [])
  const latestRows = useLatest(rows)
  const showInTree = useCallback(
    (p: ProcessInfo) => {
      const key = processKey(p)
      tree.expandTo(key, latestRows.current.all, latestRows.current.exited)
      setShowPorts(false)
      setView('tree')
      select(key, true)
    },
    [tree, latestRows, select],
  )
  const menu = useProcessMenu({ changes, view, actions, toasts, showInTree, onSearch, focusList, supervise: onSupervise, registerIpc: onRegisterIpc })

  // The toolbar's callbacks keep their identity: it renders only when what it shows changes, not at every refresh.
  const onSort = useCallback((key: SortKey) => setSort((current) => nextSort(current, key)), [])
  const onView = useCallback(
    (v: ListTab) => {
      setShowPorts(v === 'ports')
      if (v === 'ports') return
      setView(v)
      selection.reveal()
    },
    [selection],
  )
  const onColumns = useCallback((keys: ColumnKey[]) => onUi({ columns: keys }), [onUi])
  const toggleView = () => {
    refocus.current = listRef.current !== null && (document.activeElement === listRef.current || document.activeElement === document.body)
    setView((v) => (v === 'table' ? 'tree' : 'table'))
    selection.reveal()
  }
  useProcessKeys({
    active: active && !showPorts,
    view,
    rows,
    selection,
    selected,
    selectedExited,
    detailsOpen,
    setDetailsOpen,
    toggleView,
    tree,
    menu,
    actions,
    toasts,
    listRef,
    focusList,
    showFocusRing: () => setFocusRing(true),
  })

  // ---- render
  const loading = snapshot === undefined
  const filtering = matcher !== everything || anyQuickFilter(filters)
  const emptyText = loading
    ? (loadingText ?? 'Loading processes…')
    : search.trim()
    ? `No process matches “${search.trim()}”${anyQuickFilter(filters) ? ' with the quick filters on' : ''}.`
    : filtering
      ? 'No process passes the quick filters.'
      : 'No processes.'

  const listProps = {
    columns: viewColumns,
    sort,
    onSort,
    loading,
    emptyText,
    search,
    stale,
    selectedKey,
    selectedIndex: rows.selectedIndex,
    revealToken: selection.revealToken,
    changes,
    memoryAxis: rows.memoryAxis,
    managed,
    onSelect: (key: string) => select(key),
    onOpen: (key: string) => {
      select(key)
      setDetailsOpen(true)
    },
    onMenu: menu.openAt,
    focusRef: listRef,
  }

  const parent = shownProcess ? listed.find((p) => p.pid === shownProcess.ppid && p.startTime <= shownProcess.startTime && p.pid !== shownProcess.pid) : undefined
  const children = detailsOpen && shownProcess ? listed.filter((p) => p.ppid === shownProcess.pid && p.pid !== shownProcess.pid) : NO_PROCESSES

  return (
    <>
      <ProcessToolbar
        view={showPorts ? 'ports' : view}
        onView={onView}
        onExpandAll={tree.expandAll}
        onCollapseAll={tree.collapseAll}
        filters={filters}
        onFilters={setFilters}
        me={rows.me}
        columns={columns}
        onColumns={onColumns}
        detailsOpen={detailsOpen}
        onDetails={setDetailsOpen}
        canShowDetails={selected !== undefined}
        paused={paused}
        onPaused={onPaused}
        managedNote={props.managedNote}
      />
      <div className="process-body">
        <div
          className={focusRing ? 'list-pane focus-ring' : 'list-pane'}
          onFocus={(e) => setFocusRing(e.target === listRef.current && e.target.matches(':focus-visible'))}
          onBlur={(e) => {
            if (e.target === listRef.current) setFocusRing(false)
          }}
        >
          {showPorts ? (
            <PortsView
              processes={rows.all}
              matcher={rows.combined}
              search={search}
              menu={menu}
              toasts={toasts}
              stale={stale}
              paused={paused}
              onSelectProcess={(p) => select(processKey(p))}
            />
          ) : view === 'table' ? (
            <ProcessTable {...listProps} rows={rows.tableRows} />
          ) : (
            <ProcessTree {...listProps} rows={rows.treeList} onToggle={tree.toggle} />
          )}
        </div>
        {detailsOpen && shownProcess && (
          <DetailsPanel
            process={shownProcess}
            exited={selectedExited || watched.exited}
            parent={parent}
            children={children}
            history={watched.history}
            now={snapshot?.timestamp ?? shownProcess.startTime}
            cpuScale={snapshot?.cpuScale ?? 'core'}
            actions={menu.entriesFor(shownProcess)}
            onAction={(item) => menu.run(item, shownProcess)}
            onSelect={(p) => select(processKey(p), true)}
            toasts={toasts}
            onClose={() => {
              setDetailsOpen(false)
              focusList()
            }}
            {...(watched.error ? { watchError: watched.error.message } : {})}
          />
        )}
        <div className="visually-hidden" aria-live="polite">
          {selected ? `Selected ${selected.name}, PID ${selected.pid}` : ''}
        </div>
      </div>
      {menu.open && (
        <ContextMenu
          entries={menu.open.entries}
          x={menu.open.x}
          y={menu.open.y}
          label={`Actions for ${menu.open.process.name} (PID ${menu.open.process.pid})`}
          onChoose={(item) => {
            const p = menu.open?.process
            menu.close()
            if (p) menu.run(item, p)
          }}
          onClose={menu.close}
        />
      )}
      {actions.pending && (
        <ConfirmDialog
          title={actions.pending.title}
          body={actions.pending.body}
          confirmLabel={actions.pending.confirmLabel}
          onConfirm={(dontAsk) => {
            actions.confirm(dontAsk)
            focusList()
          }}
          onCancel={() => {
            actions.cancel()
            focusList()
          }}
        />
      )}
    </>
  )
})
