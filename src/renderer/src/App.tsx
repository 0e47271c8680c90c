import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react'
import type { ProcessSnapshot } from '../../shared/types/process'
import { snapshotsFromDeltas } from '../../shared/process/delta'
import type { AppInfo } from '../../shared/types/system'
import type { Settings } from '../../shared/settings'
import { api, pageHasToken } from './api'
import { ErrorBanner, type Problem } from './components/ErrorBanner'
import { StartNotices } from './components/StartNotices'
import { Header, panelId, tabId, type Page } from './components/Header'
import { ProcessesView } from './processes/ProcessesView'
import { LiveStatusBar, type StreamFailure } from './components/LiveStatusBar'
import { Toasts } from './components/Toasts'
import { useCall } from './hooks/useCall'
import { connectionMessage, type Connection } from './connectionState'
import { browserMode, useConnection } from './hooks/useConnection'
import { useStream, type Subscribe } from './hooks/useStream'
import { useToasts } from './hooks/useToasts'
import { useUiSettings } from './hooks/useUiSettings'
import { compileSearch, everything, searchUsesPorts, type ProcessMatcher, type Search } from './processes/processFilter'
import { usePortTable } from './processes/ports/usePortTable'
import { portsByProcess } from '../../shared/ports/byProcess'
import { useKeepHistory } from './system/useKeepHistory'
import { useStartAtLogin } from './hooks/useStartAtLogin'
import type { AdoptRequest } from './supervisor/useAdoption'
import type { RegisterRequest } from './ipc/ipcView'
import { usePrograms } from './supervisor/usePrograms'
import { managedPids } from './supervisor/programView'
import type { ProcessInfo } from '../../shared/types/process'
import './components/featurePage.css'

// The System page and its charts (recharts) load on first use, not at start.
const SystemPage = lazy(() => import('./system/SystemPage').then((m) => ({ default: m.SystemPage })))
// The Supervisor page (its form, its log viewer) loads on first use too.
const SupervisorPage = lazy(() => import('./supervisor/SupervisorPage').then((m) => ({ default: m.SupervisorPage })))
// The IPC page (its console, its message log) as well.
const IPCPage = lazy(() => import('./ipc/IPCPage').then((m) => ({ default: m.IPCPage })))
// The Pools page (its form, its charts) as well.
const PoolsPage = lazy(() => import('./pools/PoolsPage').then((m) => ({ default: m.PoolsPage })))

// Stable references for the hooks.
// Changes, not whole snapshots: a few KB a second instead of ~700 KB with 2000 processes, and unchanged rows keep their objects.
const subscribeProcesses: Subscribe<ProcessSnapshot> = (listener, onError) =>
  api.subscribeToProcessDeltas(snapshotsFromDeltas(listener, onError), onError)
/** While updates are paused: no subscription at all, and the last snapshot stays on screen. */
const noProcessUpdates: Subscribe<ProcessSnapshot> = () => () => {}
const loadSettings = (): Promise<Settings> => api.getSettings()
const loadAppInfo = (): Promise<AppInfo> => api.getAppInfo()
const NO_FAILURE: StreamFailure = { error: undefined, retry: () => {} }

export function App() {
  const [page, setPage] = useState<Page>('processes')
  const [search, setSearch] = useState('')
  // Typing stays responsive while a large table filters behind it.
  const deferredSearch = useDeferredValue(search)
  const [paused, setPaused] = useState(false)
  const [shown, setShown] = useState(0)

  const processes = useStream(paused ? noProcessUpdates : subscribeProcesses)
  // The status bar holds the metrics stream (it alone shows them); its failures come here for the banner.
  const [metrics, setMetrics] = useState<StreamFailure>(NO_FAILURE)
  const onMetricsFailure = useCallback((next: StreamFailure) => setMetrics((prev) => (prev.error === next.error && prev.retry === next.retry ? prev : next)), [])
  const connection = useConnection()
  // Read again on every reconnect: a host that came back may have other settings, and has another pid.
  const settings = useCall(loadSettings, connection.opened)
  const appInfo = useCall(loadAppInfo, connection.opened)
  const toasts = useToasts()
  const { show } = toasts
  const onSettingsError = useCallback((message: string) => show({ tone: 'error', title: message, hint: 'Try again; the change was not kept.' }), [show])
  const { ui, update: updateUi } = useUiSettings(settings.value, onSettingsError)
  const { keep: keepHistory, setKeep: setKeepHistory } = useKeepHistory(settings.value, onSettingsError)
  const startAtLogin = useStartAtLogin(settings.value, onSettingsError)

  // The programs: the Supervisor page, and the process page's managed badge and filter.
  const programs = usePrograms(connection.opened)
  const programList = programs.overview?.programs
  const managedKey = programList?.map((p) => `${p.name}:${p.pids.join(',')}`).join(';') ?? ''
  // Same pids, same map: the process list is not filtered again at every overview.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const managed = useMemo(() => managedPids(programList), [managedKey])
  const managedNote = programs.overview ? undefined : `No process is managed: ${programs.error?.message ?? 'the supervisor has not answered yet'}`
  const fatal = programList?.filter((p) => p.state === 'fatal').length ?? 0
  const alerts = useMemo(() => ({ supervisor: { count: fatal, label: `${fatal} program${fatal === 1 ? '' : 's'} fatal` } }), [fatal])
  const [adopt, setAdopt] = useState<AdoptRequest | undefined>(undefined)
  const onSupervise = useCallback((p: ProcessInfo) => {
    setAdopt({ pid: p.pid, startTime: p.startTime, name: p.name })
    setPage('supervisor')
  }, [])
  const onAdoptHandled = useCallback(() => setAdopt(undefined), [])
  // "Register for IPC…" from a process's menu: the IPC page's register dialog, filled from it.
  const [register, setRegister] = useState<RegisterRequest | undefined>(undefined)
  const onRegisterIpc = useCallback((p: ProcessInfo) => {
    setRegister({ pid: p.pid, startTime: p.startTime, name: p.name })
    setPage('ipc')
  }, [])
  const onRegisterHandled = useCallback(() => setRegister(undefined), [])
  // "Supervise this…" from the tray (desktop app): the same form, brought up here.
  useEffect(() => {
    if (browserMode) return
    return api.subscribeToWindowRequests((request) => {
      if (request.kind !== 'adopt') return
      setAdopt({ pid: request.pid, startTime: request.startTime, name: request.name })
      setPage('supervisor')
    })
  }, [])
  // Mounted from its first visit on, then kept (its selection and log viewer are there on return).
  const [supervisorSeen, setSupervisorSeen] = useState(false)
  if (page === 'supervisor' && !supervisorSeen) setSupervisorSeen(true)
  // The same for IPC: the console's text and results and the message log are there on return.
  const [ipcSeen, setIpcSeen] = useState(false)
  if (page === 'ipc' && !ipcSeen) setIpcSeen(true)
  // And for Pools: the selected pool, its charts' history and the test tasks' results are there on return.
  const [poolsSeen, setPoolsSeen] = useState(false)
  if (page === 'pools' && !poolsSeen) setPoolsSeen(true)
  // A worker's pid on the Pools page: the process list, searched for that pid.
  const onShowProcess = useCallback((pid: number) => {
    setSearch(`pid = ${pid}`)
    setPage('processes')
  }, [])

  // `port = 3000`, `listen`: the port table is read while the search names them, and only then.
  const searchPorts = usePortTable(useMemo(() => searchUsesPorts(deferredSearch), [deferredSearch]))
  const portsOf = useMemo(() => (searchPorts.value ? portsByProcess(searchPorts.value.entries) : undefined), [searchPorts.value])
  // `user = me`: the user running Proctor, the user of its own process.
  const me = useMemo(() => processes.value?.processes.find((p) => p.pid === appInfo.value?.pid)?.user, [processes.value, appInfo.value?.pid])
  const query = useMemo(() => compileSearch(deferredSearch, { ...(portsOf ? { portsOf } : {}), ...(me !== undefined ? { me } : {}) }), [deferredSearch, portsOf, me])
  // While the query is unfinished or wrong, keep showing the last valid search.
  // (React's "adjust state while rendering" pattern: no effect, no extra commit.)
  const [lastValid, setLastValid] = useState<{ query: Search; matcher: ProcessMatcher }>({ query, matcher: everything })
  if (query.matches && lastValid.query !== query) setLastValid({ query, matcher: query.matches })
  const matcher = query.matches ?? lastValid.matcher

  const problems = collectProblems(connection, [
    { key: 'processes', what: 'Process updates stopped', state: processes },
    { key: 'metrics', what: 'System metrics stopped', state: metrics },
    { key: 'settings', what: 'Could not load the settings', state: settings },
  ])
  const loading = processes.value === undefined

  return (
    <div className="app">
      <Header
        page={page}
        onPage={setPage}
        search={search}
        onSearch={setSearch}
        searchError={query.error}
        connection={connection}
        ui={ui}
        onUi={updateUi}
        keepHistory={keepHistory}
        onKeepHistory={setKeepHistory}
        startAtLogin={startAtLogin}
        alerts={alerts}
      />
      <ErrorBanner problems={problems} />
      {browserMode && <StartNotices notices={appInfo.value?.notices} />}
      <main className="content">
        {/* Kept mounted while hidden: the search, sort, selection and scroll position are there on return. */}
        <div className="page-panel" role="tabpanel" id={panelId('processes')} aria-labelledby={tabId('processes')} hidden={page !== 'processes'}>
          <ProcessesView
            snapshot={processes.value}
            stale={connection.status !== 'open' && connection.everOpen}
            matcher={matcher}
            search={deferredSearch}
            onSearch={setSearch}
            appPid={appInfo.value?.pid}
            ui={ui}
            onUi={updateUi}
            paused={paused}
            onPaused={setPaused}
            toasts={toasts}
            active={page === 'processes'}
            onShownChange={setShown}
            managed={managed}
            managedNote={managedNote}
            onSupervise={onSupervise}
            onRegisterIpc={onRegisterIpc}
            {...(connection.status === 'closed' && !connection.everOpen ? { loadingText: 'Not connected to the Proctor host: see the message above.' } : {})}
          />
        </div>
        {/* Mounted only while shown: it fetches history and subscribes only then. */}
        <div className="page-panel" role="tabpanel" id={panelId('system')} aria-labelledby={tabId('system')} hidden={page !== 'system'}>
          {page === 'system' && (
            <Suspense fallback={<div className="system-page" aria-busy="true" />}>
              <SystemPage engineHistory={keepHistory} />
            </Suspense>
          )}
        </div>
        <div className="page-panel" role="tabpanel" id={panelId('supervisor')} aria-labelledby={tabId('supervisor')} hidden={page !== 'supervisor'}>
          {supervisorSeen && (
            <Suspense fallback={<div className="supervisor-page" aria-busy="true" />}>
              <SupervisorPage
                programs={programs}
                settings={settings.value}
                toasts={toasts}
                ui={ui}
                onUi={updateUi}
                adopt={adopt}
                onAdoptHandled={onAdoptHandled}
                active={page === 'supervisor'}
              />
            </Suspense>
          )}
        </div>
        <div className="page-panel" role="tabpanel" id={panelId('pools')} aria-labelledby={tabId('pools')} hidden={page !== 'pools'}>
          {poolsSeen && (
            <Suspense fallback={<div className="pools-page feature-page" aria-busy="true" />}>
              <PoolsPage
                settings={settings.value}
                toasts={toasts}
                ui={ui}
                onUi={updateUi}
                active={page === 'pools'}
                epoch={connection.opened}
                onShowProcess={onShowProcess}
              />
            </Suspense>
          )}
        </div>
        <div className="page-panel" role="tabpanel" id={panelId('ipc')} aria-labelledby={tabId('ipc')} hidden={page !== 'ipc'}>
          {ipcSeen && (
            <Suspense fallback={<div className="ipc-page feature-page" aria-busy="true" />}>
              <IPCPage toasts={toasts} ui={ui} onUi={updateUi} active={page === 'ipc'} epoch={connection.opened} register={register} onRegisterHandled={onRegisterHandled} />
            </Suspense>
          )}
        </div>
      </main>
      <LiveStatusBar
        shown={shown}
        total={processes.value?.processes.length ?? 0}
        loading={loading}
        refreshIntervalMs={settings.value?.refreshInterval}
        paused={paused}
        onFailure={onMetricsFailure}
      />
      <Toasts toasts={toasts.toasts} onDismiss={toasts.dismiss} onHold={toasts.hold} />
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
  const message = connectionMessage(connection, pageHasToken())
  if (message) problems.push({ key: 'connection', message })
  for (const { key, what, state } of sources) {
    if (state.error) problems.push({ key, message: `${what}: ${state.error.message}`, retry: state.retry })
  }
  return problems
}
