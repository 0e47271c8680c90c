import type { MouseEvent } from 'react'

/** What a click, a double-click or a right-click on a row of the table or the tree asks for. */
export interface RowHandlers {
  onSelect: (key: string) => void
  onOpen: (key: string) => void
  onMenu: (key: string, x: number, y: number) => void
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
