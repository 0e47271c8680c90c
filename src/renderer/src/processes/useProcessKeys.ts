import { useEffect, type RefObject } from 'react'
import { ACTIONS, actionBlocker, who } from '../../../shared/process/actions'
import { findMenuItem } from '../../../shared/process/menu'
import type { ProcessInfo } from '../../../shared/types/process'
import type { Toasts } from '../hooks/useToasts'
import { ROW_HEIGHT } from './columns'
import { keyCommand, moveIndex, type KeyInput } from './keyboard'
import type { ProcessActions } from './useProcessActions'
import { useLatest } from './useLatest'
import type { ProcessMenu } from './useProcessMenu'
import type { ProcessRows, View } from './useProcessRows'
import type { Selection } from './useSelection'
import type { TreeCollapse } from './useTreeCollapse'

export interface KeyInputs {
  /** The view is on screen: its keys work. */
  active: boolean
  view: View
  rows: ProcessRows
  selection: Selection
  selected: ProcessInfo | undefined
  selectedExited: boolean
  detailsOpen: boolean
  setDetailsOpen(open: boolean): void
  toggleView(): void
  tree: TreeCollapse
  menu: ProcessMenu
  actions: ProcessActions
  toasts: Toasts
  listRef: RefObject<HTMLElement | null>
  focusList(): void
  /** Keys on a list focused by a click: from then on it shows that it has the focus. */
  showFocusRing(): void
}

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

/** The process window's keys (keyboard.ts maps keys to commands; this carries them out), on one window listener. */
export function useProcessKeys(inputs: KeyInputs): void {
  const latest = useLatest(inputs)
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e, latest.current)
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  }, [latest])
}

function onKey(e: KeyboardEvent, k: KeyInputs): void {
  const { rows, selection, selected, menu, tree, listRef } = k
  if (!k.active || e.defaultPrevented || k.actions.pending) return
  const target = e.target instanceof HTMLElement ? e.target : null
  if (target?.closest('[role="menu"], dialog, .popover-panel')) return
  // From the search box, Down or Enter goes to the results.
  if (target instanceof HTMLInputElement && target.type === 'search' && (e.key === 'ArrowDown' || e.key === 'Enter') && !e.altKey && !e.ctrlKey && !e.metaKey) {
    e.preventDefault()
    const first = rows.keyAt(0)
    if (rows.selectedIndex < 0 && first) selection.select(first, true)
    k.focusList()
    return
  }
  const command = keyCommand({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, target: targetKind(e.target) })
  if (!command || command === 'search') return // the search box takes "/" itself
  if (menu.isOpen && command !== 'close') return
  switch (command) {
    case 'up':
    case 'down':
    case 'page-up':
    case 'page-down':
    case 'first':
    case 'last': {
      const page = Math.floor((listRef.current?.parentElement?.clientHeight ?? 600) / ROW_HEIGHT)
      const next = rows.keyAt(moveIndex(rows.selectedIndex, rows.rowCount, command, page))
      if (next) selection.select(next, true)
      if (document.activeElement === document.body) k.focusList()
      break
    }
    case 'open':
      if (!selected) return
      k.setDetailsOpen(true)
      break
    case 'terminate':
    case 'kill': {
      if (!selected || k.selectedExited) return
      const item = findMenuItem(menu.entriesFor(selected), command)
      if (item?.enabled) k.actions.request({ action: command, process: selected })
      else k.toasts.show({ tone: 'info', title: `${ACTIONS[command].label} does not apply to ${who(selected)}`, hint: `It is ${actionBlocker(selected) ?? 'not a process Proctor can act on'}.` })
      break
    }
    case 'toggle-tree':
      k.toggleView()
      break
    case 'collapse':
    case 'expand': {
      if (k.view !== 'tree' || rows.selectedIndex < 0) return
      const row = rows.treeList[rows.selectedIndex]
      if (!row) return
      const below = rows.treeList[rows.selectedIndex + 1]
      if (command === 'collapse') {
        if (row.expanded) tree.toggle(row.key)
        else if (row.parentKey) selection.select(row.parentKey, true)
      } else if (row.childCount > 0 && !row.expanded) tree.toggle(row.key)
      else if (row.expanded && below) selection.select(below.key, true)
      break
    }
    case 'menu': {
      const key = selection.selectedKey
      if (!key) return
      const el = document.querySelector(`[data-key="${CSS.escape(key)}"]`)
      const rect = el?.getBoundingClientRect()
      menu.openAt(key, rect ? rect.left + 48 : 200, rect ? rect.bottom : 200)
      break
    }
    case 'close':
      if (menu.isOpen) menu.close()
      else if (k.detailsOpen) {
        k.setDetailsOpen(false)
        k.focusList()
      } else return
      break
  }
  e.preventDefault()
  if (document.activeElement === listRef.current) k.showFocusRing()
}
