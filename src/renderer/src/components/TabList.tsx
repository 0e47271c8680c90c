import { useRef, type KeyboardEvent, type ReactNode } from 'react'

export interface TabSpec<Id extends string> {
  id: Id
  label: string
}

interface Props<Id extends string> {
  tabs: readonly TabSpec<Id>[]
  selected: Id
  onSelect: (id: Id) => void
  /** The tab list's accessible name. */
  label: string
  className: string
  tabId: (id: Id) => string
  panelId: (id: Id) => string
  /** Extra content after a tab's label (a count, a badge). */
  extra?: (id: Id) => ReactNode
}

/**
 * A WAI-ARIA tab list with automatic activation: one tab stop; Left/Right,
 * Home and End move between the tabs and select them. The window's pages
 * and the details panel's tabs are both one.
 */
export function TabList<Id extends string>({ tabs, selected, onSelect, label, className, tabId, panelId, extra }: Props<Id>) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([])
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((t) => t.id === selected)
    const n = tabs.length
    const next =
      e.key === 'ArrowRight' ? (at + 1) % n : e.key === 'ArrowLeft' ? (at - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : undefined
    if (next === undefined) return
    e.preventDefault()
    e.stopPropagation()
    onSelect(tabs[next]!.id)
    buttons.current[next]?.focus()
  }
  return (
    <div className={className} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            buttons.current[i] = el
          }}
          type="button"
          role="tab"
          id={tabId(t.id)}
          aria-selected={t.id === selected}
          aria-controls={panelId(t.id)}
          tabIndex={t.id === selected ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
          {extra?.(t.id)}
        </button>
      ))}
    </div>
  )
}
