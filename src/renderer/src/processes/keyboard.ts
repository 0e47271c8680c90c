/**
 * The process list's keyboard, htop-style, as a pure mapping from a key
 * press to a command. The component decides what each command does.
 *
 *   Up/Down, Page Up/Down, Home/End   move the selection
 *   Enter                             open the details of the selection
 *   /                                 focus the search
 *   Delete / Shift+Delete             terminate / kill the selection (asks first)
 *   T                                 table / tree
 *   Left/Right                        tree: collapse (or go to the parent) / expand
 *   Context menu key, Shift+F10       the selection's menu
 *   Escape                            close the menu, dialog or panel on top
 */

export type KeyCommand =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last'
  | 'open'
  | 'search'
  | 'terminate'
  | 'kill'
  | 'toggle-tree'
  | 'collapse'
  | 'expand'
  | 'menu'
  | 'close'

export interface KeyInput {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** What has the focus: a text field keeps its keys; a button keeps Enter and Space. */
  target: 'text' | 'control' | 'other'
}

export function keyCommand(e: KeyInput): KeyCommand | undefined {
  if (e.target === 'text') return undefined
  if (e.key === 'Escape') return 'close'
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined
  switch (e.key) {
    case 'ArrowUp':
      return 'up'
    case 'ArrowDown':
      return 'down'
    case 'PageUp':
      return 'page-up'
    case 'PageDown':
      return 'page-down'
    case 'Home':
      return 'first'
    case 'End':
      return 'last'
    case 'ArrowLeft':
      return 'collapse'
    case 'ArrowRight':
      return 'expand'
    case 'Enter':
      return e.target === 'control' ? undefined : 'open'
    case '/':
      return 'search'
    case 'Delete':
      return e.shiftKey ? 'kill' : 'terminate'
    case 't':
    case 'T':
      return 'toggle-tree'
    case 'ContextMenu':
      return 'menu'
    case 'F10':
      return e.shiftKey ? 'menu' : undefined
    default:
      return undefined
  }
}

/**
 * The selection's new index after a move, in a list of `count` rows of which
 * `page` fit on screen; no selection (-1) starts at the first row (or the
 * last, moving up).
 */
export function moveIndex(index: number, count: number, command: 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last', page: number): number {
  if (count === 0) return -1
  const last = count - 1
  const step = Math.max(1, page - 1)
  if (index < 0 || index > last) return command === 'up' || command === 'page-up' || command === 'last' ? last : 0
  switch (command) {
    case 'up':
      return Math.max(0, index - 1)
    case 'down':
      return Math.min(last, index + 1)
    case 'page-up':
      return Math.max(0, index - step)
    case 'page-down':
      return Math.min(last, index + step)
    case 'first':
      return 0
    case 'last':
      return last
  }
}

/** The scrollTop that shows row `index` whole (rows start below a sticky header of `header` px), changing as little as possible. */
export function scrollToShow(index: number, rowHeight: number, header: number, scrollTop: number, viewport: number): number {
  const top = index * rowHeight
  const visible = viewport - header
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + visible) return Math.max(0, top + rowHeight - visible)
  return scrollTop
}

/** Whether row `index` is at least partly on screen. */
export function isRowVisible(index: number, rowHeight: number, header: number, scrollTop: number, viewport: number): boolean {
  const top = index * rowHeight
  return top + rowHeight > scrollTop && top < scrollTop + viewport - header
}
