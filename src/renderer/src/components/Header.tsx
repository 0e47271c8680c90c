import { memo } from 'react'
import type { Connection } from '../hooks/useConnection'
import type { UiSettings } from '../hooks/useUiSettings'
import type { StartAtLoginState } from '../hooks/useStartAtLogin'
import { browserMode } from '../hooks/useConnection'
import { ConnectionIndicator } from './ConnectionIndicator'
import { AppIcon } from './Icons'
import { Preferences } from './Preferences'
import { SearchBox } from './SearchBox'
import { TabList } from './TabList'
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

/** Processes | System | Supervisor | Pools | IPC: one tab each. */
function PageTabs({ page, onPage, alerts }: { page: Page; onPage: (page: Page) => void; alerts: Props['alerts'] }) {
  return (
    <TabList
      tabs={PAGES}
      selected={page}
      onSelect={onPage}
      label="Pages"
      className="page-tabs"
      tabId={tabId}
      panelId={panelId}
      extra={(id) => {
        const alert = alerts?.[id]
        if (!alert || alert.count <= 0) return null
        return (
          <>
            <span className="tab-alert" title={alert.label} aria-hidden="true">
              {alert.count}
            </span>
            <span className="visually-hidden">({alert.label})</span>
          </>
        )
      }}
    />
  )
}
