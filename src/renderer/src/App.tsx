import { useCallback, useDeferredValue, useMemo, useState } from 'react'
import type { ProcessInfo, ProcessSnapshot } from '../../shared/types/process'
import type { SystemMetrics } from '../../shared/types/system'
import type { Settings } from '../../shared/settings'
import { api } from './api'
import { ErrorBanner, type Problem } from './components/ErrorBanner'
import { Header } from './components/Header'
import { ProcessTable } from './components/ProcessTable'
import { StatusBar } from './components/StatusBar'
import { useCall } from './hooks/useCall'
import { useConnection, type Connection } from './hooks/useConnection'
import { useStream, type Subscribe } from './hooks/useStream'
import { compileSearch, everything, filterProcesses, type ProcessMatcher, type Search } from './processFilter'
import { DEFAULT_SORT, nextSort, sortProcesses, type SortKey, type SortState } from './processSort'

// Stable references for the hooks.
const subscribeProcesses: Subscribe<ProcessSnapshot> = (listener, onError) => api.subscribeToProcessUpdates(listener, onError)
const subscribeMetrics: Subscribe<SystemMetrics> = (listener, onError) => api.subscribeToSystemMetrics(listener, onError)
const loadSettings = (): Promise<Settings> => api.getSettings()
const NO_PROCESSES: readonly ProcessInfo[] = []

export function App() {
  const [search, setSearch] = useState('')
  // Typing stays responsive while a large table filters behind it.
  const deferredSearch = useDeferredValue(search)
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT)
  const onSort = useCallback((key: SortKey) => setSort((current) => nextSort(current, key)), [])

  const processes = useStream(subscribeProcesses)
  const metrics = useStream(subscribeMetrics)
  const settings = useCall(loadSettings)
  const connection = useConnection()

  const all = processes.value?.processes ?? NO_PROCESSES
  const query = useMemo(() => compileSearch(deferredSearch), [deferredSearch])
  // While the query is unfinished or wrong, keep showing the last valid search.
  // (React's "adjust state while rendering" pattern: no effect, no extra commit.)
  const [lastValid, setLastValid] = useState<{ query: Search; matcher: ProcessMatcher }>({ query, matcher: everything })
  if (query.matches && lastValid.query !== query) setLastValid({ query, matcher: query.matches })
  const matcher = query.matches ?? lastValid.matcher
  const filtered = useMemo(() => filterProcesses(all, matcher), [all, matcher])
  const rows = useMemo(() => sortProcesses(filtered, sort), [filtered, sort])

  const problems = collectProblems(connection, [
    { key: 'processes', what: 'Process updates stopped', state: processes },
    { key: 'metrics', what: 'System metrics stopped', state: metrics },
    { key: 'settings', what: 'Could not load the settings', state: settings },
  ])
  const loading = processes.value === undefined

  return (
    <div className="app">
      <Header search={search} onSearch={setSearch} searchError={query.error} connection={connection} />
      <ErrorBanner problems={problems} />
      <main className="content">
        <ProcessTable
          rows={rows}
          sort={sort}
          onSort={onSort}
          loading={loading}
          search={deferredSearch}
          stale={connection.status !== 'open' && connection.everOpen}
        />
      </main>
      <StatusBar
        shown={rows.length}
        total={all.length}
        loading={loading}
        metrics={metrics.value}
        refreshIntervalMs={settings.value?.refreshInterval}
      />
    </div>
  )
}

interface Failing {
  key: string
  what: string
  state: { error: Error | undefined; retry: () => void }
}

function collectProblems(connection: Connection, sources: Failing[]): Problem[] {
  const problems: Problem[] = []
  if (connection.status !== 'open') {
    if (connection.everOpen) {
      problems.push({ key: 'connection', message: 'Connection to the Proctor host lost. Reconnecting… The data shown is not live.' })
    } else if (connection.status === 'closed') {
      problems.push({
        key: 'connection',
        message: 'Cannot reach the Proctor host. Is `proctor serve` running, and does the address carry its token? Retrying…',
      })
    }
  }
  for (const { key, what, state } of sources) {
    if (state.error) problems.push({ key, message: `${what}: ${state.error.message}`, retry: state.retry })
  }
  return problems
}
