import type { MouseEvent, RefObject } from 'react'
import type { SortKey, SortState } from './processSort'
import type { Changes } from './changes'
import type { Column } from './columns'

/** What a click, a double-click or a right-click on a row of the table or the tree asks for. */
export interface RowHandlers {
  onSelect: (key: string) => void
  onOpen: (key: string) => void
  onMenu: (key: string, x: number, y: number) => void
}

/** What the table and the tree both take besides their rows: one list, two views of it. */
export interface ProcessListProps extends RowHandlers {
  columns: readonly Column[]
  sort: SortState
  onSort: (key: SortKey) => void
  /** No snapshot yet. */
  loading: boolean
  /** Shown when there are no rows (and the snapshot is there). */
  emptyText: string
  /** The search text in effect: a new one scrolls to the top. */
  search: string
  /** The data is not live (connection lost): shown dimmed. */
  stale: boolean
  selectedKey: string | undefined
  selectedIndex: number
  /** Changes when the selection was moved by the user: scroll it into view. */
  revealToken: number
  changes: Changes
  /** Pids of supervised programs, with the program's name: the "managed" badge. */
  managed: ReadonlyMap<number, string>
  memoryAxis: number
  /** Set to the element that takes the focus (the keyboard works on it). */
  focusRef?: RefObject<HTMLElement | null>
}

/** The identity key of the row under an event, from its data-key (one handler for all rows). */
export function rowKeyOf(event: MouseEvent): string | undefined {
  const row = (event.target as Element).closest('[data-key]')
  return row?.getAttribute('data-key') ?? undefined
}

/** Row event handlers for the container of all rows. */
export function delegate(handlers: RowHandlers) {
  return {
    onClick: (e: MouseEvent) => {
      const key = rowKeyOf(e)
      if (key) handlers.onSelect(key)
    },
    onDoubleClick: (e: MouseEvent) => {
      if ((e.target as Element).closest('[data-toggle]')) return
      const key = rowKeyOf(e)
      if (key) handlers.onOpen(key)
    },
    onContextMenu: (e: MouseEvent) => {
      const key = rowKeyOf(e)
      if (!key) return
      e.preventDefault()
      handlers.onSelect(key)
      handlers.onMenu(key, e.clientX, e.clientY)
    },
  }
}
