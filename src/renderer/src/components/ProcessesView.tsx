import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { buildProcessTree } from '../../../shared/process/tree'
import { findMenuItem, processMenu, type MenuItem } from '../../../shared/process/menu'
import type { ProcessInfo, ProcessSnapshot } from '../../../shared/types/process'
import { api } from '../api'
import { browserMode } from '../hooks/useConnection'
import { useProcessActions, type LastError } from '../hooks/useProcessActions'
import type { Toasts } from '../hooks/useToasts'
import type { UiSettings } from '../hooks/useUiSettings'
import { useWatchProcess } from '../hooks/useWatchProcess'
import { countMatches, everything, filterProcesses, type ProcessMatcher } from '../processFilter'
import { DEFAULT_SORT, nextSort, sortProcesses, type SortKey, type SortState } from '../processSort'
import { ACTIONS, actionBlocker, isProcessAction, who } from '../../../shared/process/actions'
import { memoryAxis } from '../processes/bars'
import { NO_CHANGES, exitedProcesses, findProcess, isPresent, nextChanges, withExited, type Changes } from '../processes/changes'
import { copyText } from '../clipboard'
import { processKey } from '../processes/identity'
import { keyCommand, moveIndex, type KeyInput } from '../processes/keyboard'
import { NO_QUICK_FILTERS, anyQuickFilter, ownUid, quickFilterMatcher, userQuery, type QuickFilters } from '../processes/quickFilters'
import { ancestorKeys, parentKeys, treeRows } from '../processes/treeRows'
import { columnsForView, resolveColumns, ROW_HEIGHT, type ColumnKey } from './columns'
import { ConfirmDialog } from './ConfirmDialog'
import { ContextMenu } from './ContextMenu'
import { DetailsPanel } from './DetailsPanel'
import { ProcessTable } from './ProcessTable'
import { ProcessToolbar } from './ProcessToolbar'
import { ProcessTree } from './ProcessTree'

export type View = 'table' | 'tree'

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
}

/** The desktop app shows the right-click menu natively (Menu.popup); a browser, in the page. */
const nativeMenus = !browserMode

const NO_PROCESSES: readonly ProcessInfo[] = []
/** The User Timing mark of each process update committed to the page. */
export const UPDATE_MARK = 'proctor:processes-update'

function targetKind(target: EventTarget | null): KeyInput['target'] {
  if (!(target instanceof HTMLElement)) return 'other'
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return 'text'
  if (target.tagName === 'INPUT') {
    const type = (target as HTMLInputElement).type
    return type === 'checkbox' || type === 'radio' || type === 'button' ? 'control' : 'text'
  }
  if (target.closest('button, a[href], summary, [role="menuitem"]')) return 'control'
  return 'other'
}

/**
 * The process window: the table or the tree of every process, filtered by
 * the search and the quick filters, with selection by identity, the details
 * of the selected process, the right-click menu, the keyboard, the
 * confirmations and the toasts of every action, and the status bar.
 */
export const ProcessesView = memo(function ProcessesView(props: Props) {
  const { snapshot, stale, matcher, search, onSearch, appPid, ui, onUi, paused, onPaused, toasts, active, onShownChange } = props
  const [view, setView] = useState<View>('table')
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT)
  const [filters, setFilters] = useState<QuickFilters>(NO_QUICK_FILTERS)
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined)
  const [revealToken, setRevealToken] = useState(0)
  const [detailsOpen, setDetailsOpen] = useState(false)
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set())
  const [menu, setMenu] = useState<{ key: string; x: number; y: number } | undefined>(undefined)
  const listRef = useRef<HTMLElement | null>(null)
  const [focusRing, setFocusRing] = useState(false)
  // The list had the focus when the view changed: the new list takes it.
  const refocus = useRef(false)
  useEffect(() => {
    if (refocus.current) listRef.current?.focus({ preventScroll: true })
    refocus.current = false
  }, [view])

  const onSort = useCallback((key: SortKey) => setSort((current) => nextSort(current, key)), [])

  // New and exited processes, tracked snapshot by snapshot ("adjust state while rendering": no extra commit).
  const [tracked, setTracked] = useState<{ snapshot: ProcessSnapshot | undefined; changes: Changes }>({ snapshot: undefined, changes: NO_CHANGES })
  let changes = tracked.changes
  if (snapshot !== tracked.snapshot) {
    changes = snapshot ? nextChanges(tracked.changes, snapshot.processes, snapshot.timestamp) : NO_CHANGES
    setTracked({ snapshot, changes })
  }

  const all = snapshot?.processes ?? NO_PROCESSES
  // One mark per refresh on screen: the updates show in a DevTools performance
  // recording, and `npm run bench -- --cases ui-2000` measures the work around them.
  // The page's buffer keeps only the last one: a window open for days would hold one per second.
  useLayoutEffect(() => {
    if (!snapshot) return
    performance.clearMarks(UPDATE_MARK)
    performance.mark(UPDATE_MARK)
  }, [snapshot])
  const listed = useMemo(() => withExited(all, changes), [all, changes])
  const uid = useMemo(() => ownUid(all, appPid), [all, appPid])
  const me = useMemo(() => (uid === undefined ? undefined : all.find((p) => p.uid === uid)?.user), [all, uid])
  const quick = useMemo(() => quickFilterMatcher(filters, uid), [filters, uid])
  const combined = useMemo<ProcessMatcher>(() => {
    if (!quick) return matcher
    if (matcher === everything) return quick
    return (p) => quick(p) && matcher(p)
  }, [matcher, quick])
  const axis = useMemo(() => memoryAxis(all), [all])

  const columns = useMemo(() => resolveColumns(ui.columns), [ui.columns])
  const viewColumns = useMemo(() => columnsForView(columns, view), [columns, view])

  // The rows of the view in use; the other one costs nothing.
  const tableRows = useMemo(() => (view === 'table' ? sortProcesses(filterProcesses(listed, combined), sort) : NO_PROCESSES), [view, listed, combined, sort])
  // Exited rows hang in the tree while they fade, but count in no subtree total.
  const exited = useMemo(() => exitedProcesses(changes), [changes])
  const roots = useMemo(() => (view === 'tree' ? buildProcessTree(all, exited) : []), [view, all, exited])
  const treeList = useMemo(
    () =>
      view === 'tree'
        ? treeRows(roots, { sort, collapsed, ...(combined !== everything ? { matches: combined } : {}), ...(selectedKey ? { reveal: selectedKey } : {}) })
        : [],
    [view, roots, sort, collapsed, combined, selectedKey],
  )
  // The list's length and its i-th key, without a key string per row at every refresh.
  const rowCount = view === 'table' ? tableRows.length : treeList.length
  const keyAt = useCallback(
    (i: number): string | undefined => {
      if (view === 'tree') return treeList[i]?.key
      const p = tableRows[i]
      return p ? processKey(p) : undefined
    },
    [view, tableRows, treeList],
  )
  const selectedIndex = useMemo(() => {
    if (selectedKey === undefined) return -1
    if (view === 'tree') return treeList.findIndex((r) => r.key === selectedKey)
    const p = findProcess(changes, selectedKey)
    return p ? tableRows.indexOf(p) : -1
  }, [view, tableRows, treeList, selectedKey, changes])
  // For the status bar: the running processes that pass the search and the quick filters, the same
  // number in both views. Exited rows fading out are not processes any more; the tree's context rows
  // (ancestors of a match) do not match; a collapsed branch still holds its matches (its row says how many).
  const shownCount = useMemo(() => countMatches(all, combined), [all, combined])
  // Before paint: the status bar never shows a count of another filter.
  useLayoutEffect(() => onShownChange(shownCount), [shownCount, onShownChange])

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

  const menuContext = useCallback(
    (p: ProcessInfo): { desktop: boolean; view: View; lastError?: LastError } => {
      const lastError = actions.lastErrors.get(processKey(p))
      return { desktop: !browserMode, view, ...(lastError ? { lastError } : {}) }
    },
    [actions.lastErrors, view],
  )

  const select = useCallback((key: string | undefined, reveal = false) => {
    setSelectedKey(key)
    if (reveal) setRevealToken((n) => n + 1)
  }, [])

  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), [])

  const showInTree = useCallback(
    (p: ProcessInfo) => {
      const key = processKey(p)
      const ancestors = new Set(ancestorKeys(buildProcessTree(all, exited), key))
      setCollapsed((c) => new Set([...c].filter((k) => !ancestors.has(k))))
      setView('tree')
      select(key, true)
    },
    [all, exited, select],
  )

  const runMenuItem = useCallback(
    (item: MenuItem, p: ProcessInfo) => {
      const action = item.action
      if (!action || !item.enabled) return
      if (isProcessAction(action)) {
        actions.request({ action, process: p, ...(item.value !== undefined ? { priority: item.value } : {}) })
        return
      }
      switch (action) {
        case 'retry-elevated': {
          const last = actions.lastErrors.get(processKey(p))
          if (last && isProcessAction(last.action)) {
            actions.request({ action: last.action, process: p, elevate: true, ...(last.value !== undefined ? { priority: last.value } : {}) })
          }
          return
        }
        case 'copy-pid':
        case 'copy-command': {
          const [text, what] = action === 'copy-pid' ? [String(p.pid), `PID ${p.pid}`] : [p.command, `the command line of ${p.name} (PID ${p.pid})`]
          copyText(text).then(
            () => toasts.show({ tone: 'success', title: `Copied ${what}` }),
            (err: unknown) => toasts.show({ tone: 'error', title: `Could not copy ${what}`, hint: `${err instanceof Error ? err.message : String(err)}: select the text in the details and copy it.` }),
          )
          return
        }
        case 'show-in-tree':
          showInTree(p)
          return
        case 'filter-user':
          onSearch(userQuery(p.user))
          return
        case 'reveal-executable':
          api.revealExecutable({ pid: p.pid, startTime: p.startTime }).catch((err: unknown) =>
            toasts.show({ tone: 'error', title: `Could not show the executable of ${p.name}`, detail: err instanceof Error ? err.message : String(err) }),
          )
          return
      }
    },
    [actions, toasts, showInTree, onSearch],
  )

  const openMenu = useCallback(
    (key: string, x: number, y: number) => {
      const p = findProcess(changes, key)
      if (!p) return
      if (nativeMenus) {
        const entries = processMenu(p, menuContext(p))
        api.popupProcessMenu({ items: entries, x: Math.max(0, Math.round(x)), y: Math.max(0, Math.round(y)) }).then(
          ({ id }) => {
            const item = id === null ? undefined : findMenuItem(entries, id)
            if (item) runMenuItem(item, p)
          },
          () => setMenu({ key, x, y }),
        )
        return
      }
      setMenu({ key, x, y })
    },
    [changes, menuContext, runMenuItem],
  )
  const closeMenu = useCallback(() => {
    setMenu(undefined)
    focusList()
  }, [focusList])

  const toggle = useCallback(
    (key: string) => {
      const closing = !collapsed.has(key) && treeList.some((r) => r.key === key && r.expanded)
      setCollapsed((c) => {
        const next = new Set(c)
        if (next.has(key) || !closing) next.delete(key)
        else next.add(key)
        return next
      })
      // Collapsing a branch that holds the selection selects the branch, which stays visible.
      if (closing && selectedKey && selectedKey !== key && ancestorKeys(roots, selectedKey).includes(key)) select(key, true)
    },
    [collapsed, treeList, selectedKey, roots, select],
  )

  const collapseAll = useCallback(() => {
    setCollapsed(parentKeys(roots))
    if (selectedKey) {
      const top = ancestorKeys(roots, selectedKey).at(-1)
      if (top) select(top, true)
    }
  }, [roots, selectedKey, select])

  // The toolbar's callbacks keep their identity: it renders only when what it shows changes, not at every refresh.
  const onView = useCallback((v: View) => {
    setView(v)
    setRevealToken((n) => n + 1)
  }, [])
  const expandAll = useCallback(() => setCollapsed(new Set()), [])
  const collapseAllRef = useRef(collapseAll)
  useEffect(() => {
    collapseAllRef.current = collapseAll
  })
  const collapseAllStable = useCallback(() => collapseAllRef.current(), [])
  const onColumns = useCallback((keys: ColumnKey[]) => onUi({ columns: keys }), [onUi])

  // ---- keyboard
  const onKey = (e: KeyboardEvent) => {
    if (!active || e.defaultPrevented || actions.pending) return
    const target = e.target instanceof HTMLElement ? e.target : null
    if (target?.closest('[role="menu"], dialog, .popover-panel')) return
    // From the search box, Down or Enter goes to the results.
    if (target instanceof HTMLInputElement && target.type === 'search' && (e.key === 'ArrowDown' || e.key === 'Enter') && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      const first = keyAt(0)
      if (selectedIndex < 0 && first) select(first, true)
      focusList()
      return
    }
    const command = keyCommand({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, target: targetKind(e.target) })
    if (!command || command === 'search') return // the search box takes "/" itself
    if (menu && command !== 'close') return
    switch (command) {
      case 'up':
      case 'down':
      case 'page-up':
      case 'page-down':
      case 'first':
      case 'last': {
        const page = Math.floor((listRef.current?.parentElement?.clientHeight ?? 600) / ROW_HEIGHT)
        const next = keyAt(moveIndex(selectedIndex, rowCount, command, page))
        if (next) select(next, true)
        if (document.activeElement === document.body) focusList()
        break
      }
      case 'open':
        if (!selected) return
        setDetailsOpen(true)
        break
      case 'terminate':
      case 'kill': {
        if (!selected || selectedExited) return
        const item = findMenuItem(processMenu(selected, menuContext(selected)), command)
        if (item?.enabled) actions.request({ action: command, process: selected })
        else toasts.show({ tone: 'info', title: `${ACTIONS[command].label} does not apply to ${who(selected)}`, hint: `It is ${actionBlocker(selected) ?? 'not a process Proctor can act on'}.` })
        break
      }
      case 'toggle-tree':
        refocus.current = listRef.current !== null && (document.activeElement === listRef.current || document.activeElement === document.body)
        setView((v) => (v === 'table' ? 'tree' : 'table'))
        setRevealToken((n) => n + 1)
        break
      case 'collapse':
      case 'expand': {
        if (view !== 'tree' || selectedIndex < 0) return
        const row = treeList[selectedIndex]
        if (!row) return
        if (command === 'collapse') {
          if (row.expanded) toggle(row.key)
          else if (row.parentKey) select(row.parentKey, true)
        } else if (row.childCount > 0 && !row.expanded) toggle(row.key)
        else if (row.expanded && treeList[selectedIndex + 1]) select((treeList[selectedIndex + 1] as { key: string }).key, true)
        break
      }
      case 'menu': {
        if (!selectedKey) return
        const el = document.querySelector(`[data-key="${CSS.escape(selectedKey)}"]`)
        const rect = el?.getBoundingClientRect()
        openMenu(selectedKey, rect ? rect.left + 48 : 200, rect ? rect.bottom : 200)
        break
      }
      case 'close':
        if (menu) closeMenu()
        else if (detailsOpen) {
          setDetailsOpen(false)
          focusList()
        } else return
        break
    }
    e.preventDefault()
    // Keys on a list focused by a click: from now on it shows that it has the focus.
    if (document.activeElement === listRef.current) setFocusRing(true)
  }
  const onKeyRef = useRef(onKey)
  useEffect(() => {
    onKeyRef.current = onKey
  })
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyRef.current(e)
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  }, [])

  // ---- render
  const loading = snapshot === undefined
  const filtering = matcher !== everything || anyQuickFilter(filters)
  const emptyText = search.trim()
    ? `No process matches “${search.trim()}”${anyQuickFilter(filters) ? ' with the quick filters on' : ''}.`
    : filtering
      ? 'No process passes the quick filters.'
      : 'No processes.'
  const menuProcess = menu ? findProcess(changes, menu.key) : undefined
  const menuEntries = menuProcess ? processMenu(menuProcess, menuContext(menuProcess)) : undefined

  const listProps = {
    columns: viewColumns,
    sort,
    onSort,
    loading,
    emptyText,
    search,
    stale,
    selectedKey,
    selectedIndex,
    revealToken,
    changes,
    memoryAxis: axis,
    onSelect: (key: string) => select(key),
    onOpen: (key: string) => {
      select(key)
      setDetailsOpen(true)
    },
    onMenu: openMenu,
    focusRef: listRef,
  }

  const parent = shownProcess ? listed.find((p) => p.pid === shownProcess.ppid && p.startTime <= shownProcess.startTime && p.pid !== shownProcess.pid) : undefined
  const children = detailsOpen && shownProcess ? listed.filter((p) => p.ppid === shownProcess.pid && p.pid !== shownProcess.pid) : NO_PROCESSES

  return (
    <>
      <ProcessToolbar
        view={view}
        onView={onView}
        onExpandAll={expandAll}
        onCollapseAll={collapseAllStable}
        filters={filters}
        onFilters={setFilters}
        me={me}
        columns={columns}
        onColumns={onColumns}
        detailsOpen={detailsOpen}
        onDetails={setDetailsOpen}
        canShowDetails={selected !== undefined}
        paused={paused}
        onPaused={onPaused}
      />
      <div className="process-body">
        <div
          className={focusRing ? 'list-pane focus-ring' : 'list-pane'}
          onFocus={(e) => setFocusRing(e.target === listRef.current && e.target.matches(':focus-visible'))}
          onBlur={(e) => {
            if (e.target === listRef.current) setFocusRing(false)
          }}
        >
          {view === 'table' ? (
            <ProcessTable {...listProps} rows={tableRows} />
          ) : (
            <ProcessTree {...listProps} rows={treeList} onToggle={toggle} />
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
            actions={processMenu(shownProcess, menuContext(shownProcess))}
            onAction={(item) => runMenuItem(item, shownProcess)}
            onSelect={(p) => select(processKey(p), true)}
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
      {menu && menuEntries && menuProcess && (
        <ContextMenu
          entries={menuEntries}
          x={menu.x}
          y={menu.y}
          label={`Actions for ${menuProcess.name} (PID ${menuProcess.pid})`}
          onChoose={(item) => {
            closeMenu()
            runMenuItem(item, menuProcess)
          }}
          onClose={closeMenu}
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
