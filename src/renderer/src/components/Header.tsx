import { memo, useRef, type KeyboardEvent } from 'react'
import type { Connection } from '../hooks/useConnection'
import type { UiSettings } from '../hooks/useUiSettings'
import type { StartAtLoginState } from '../hooks/useStartAtLogin'
import { browserMode } from '../hooks/useConnection'
import { ConnectionIndicator } from './ConnectionIndicator'
import { AppIcon } from './Icons'
import { Preferences } from './Preferences'
import { SearchBox } from './SearchBox'
import './header.css'

/** The pages of the window, one tab each. */
export const PAGES = [
  { id: 'processes', label: 'Processes' },
  { id: 'system', label: 'System' },
  { id: 'supervisor', label: 'Supervisor' },
  { id: 'pools', label: 'Pools' },
  { id: 'ipc', label: 'IPC' },
] as const
export type Page = (typeof PAGES)[number]['id']

export const tabId = (page: Page): string => `tab-${page}`
export const panelId = (page: Page): string => `panel-${page}`

interface Props {
  page: Page
  onPage: (page: Page) => void
  search: string
  onSearch: (value: string) => void
  searchError?: { message: string; position: number }
  connection: Connection
  /** Theme and confirmations (Preferences). */
  ui: UiSettings
  onUi: (patch: Partial<UiSettings>) => void
  /** Whether the engine keeps system metrics history (Preferences). */
  keepHistory: boolean
  onKeepHistory: (on: boolean) => void
  /** Whether the desktop app starts at login (Preferences). */
  startAtLogin: StartAtLoginState
  /** A count shown loudly on a page's tab (fatal programs on Supervisor), with what it means. */
  alerts?: Partial<Record<Page, { count: number; label: string }>>
}

// Memoized: the App renders at every process and metrics update, the header needs none of them.
export const Header = memo(function Header({ page, onPage, search, onSearch, searchError, connection, ui, onUi, keepHistory, onKeepHistory, startAtLogin, alerts }: Props) {
  return (
    <header className="toolbar">
      <div className="toolbar-start">
        <div className="brand">
          <AppIcon />
          <h1>Proctor</h1>
        </div>
        <PageTabs page={page} onPage={onPage} alerts={alerts} />
      </div>
      {/* The search filters processes: it is only there with them. */}
      {page === 'processes' ? <SearchBox value={search} onChange={onSearch} error={searchError} /> : <div />}
      <div className="toolbar-end">
        {browserMode && <ConnectionIndicator connection={connection} />}
        <Preferences
          theme={ui.theme}
          onTheme={(theme) => onUi({ theme })}
          confirmDestructive={ui.confirmDestructive}
          onConfirmDestructive={(confirmDestructive) => onUi({ confirmDestructive })}
          keepHistory={keepHistory}
          onKeepHistory={onKeepHistory}
          startAtLogin={startAtLogin}
        />
      </div>
    </header>
  )
})

/**
 * Processes | System | Supervisor | Pools | IPC: a tab list (WAI-ARIA tabs, automatic activation). One
 * tab stop; Left/Right, Home and End move between the tabs.
 */
function PageTabs({ page, onPage, alerts }: { page: Page; onPage: (page: Page) => void; alerts: Props['alerts'] }) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([])
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = PAGES.findIndex((p) => p.id === page)
    const n = PAGES.length
    const next =
      e.key === 'ArrowRight' ? (at + 1) % n : e.key === 'ArrowLeft' ? (at - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : undefined
    if (next === undefined) return
    e.preventDefault()
    onPage(PAGES[next]!.id)
    tabs.current[next]?.focus()
  }
  return (
    <div className="page-tabs" role="tablist" aria-label="Pages" onKeyDown={onKeyDown}>
      {PAGES.map((p, i) => (
        <button
          key={p.id}
          ref={(el) => {
            tabs.current[i] = el
          }}
          type="button"
          role="tab"
          id={tabId(p.id)}
          aria-selected={p.id === page}
          aria-controls={panelId(p.id)}
          tabIndex={p.id === page ? 0 : -1}
          onClick={() => onPage(p.id)}
        >
          {p.label}
          {alerts?.[p.id] && alerts[p.id]!.count > 0 && (
            <>
              <span className="tab-alert" title={alerts[p.id]!.label} aria-hidden="true">
                {alerts[p.id]!.count}
              </span>
              <span className="visually-hidden">({alerts[p.id]!.label})</span>
            </>
          )}
        </button>
      ))}
    </div>
  )
}
