import { useCallback, useState } from 'react'
import type { Settings } from '../../../shared/settings'
import { defaultSettings } from '../../../shared/settings'
import { ConfirmDialog } from '../components/ConfirmDialog'
import type { Toasts } from '../hooks/useToasts'
import type { UiSettings } from '../hooks/useUiSettings'
import { FatalBanner } from './FatalBanner'
import { LogViewer } from './LogViewer'
import { ProgramFormDialog, type FormMode } from './ProgramFormDialog'
import { ExportDialog } from './ExportDialog'
import { ProgramsTable } from './ProgramsTable'
import { isUnavailable } from './programView'
import { SupervisorHead } from './SupervisorHead'
import { SwitchBanners } from './SwitchBanners'
import { useAdoption, type AdoptRequest } from './useAdoption'
import { useNow } from './useNow'
import { useProgramActions, type ProgramAction } from './useProgramActions'
import type { ProgramsState } from './usePrograms'
import './supervisor.css'
import { asSentence } from '../../../shared/format'

interface Props {
  programs: ProgramsState
  settings: Settings | undefined
  toasts: Toasts
  ui: UiSettings
  onUi: (patch: Partial<UiSettings>) => void
  /** A process to adopt ("Supervise this…" on the process page), until handled. */
  adopt: AdoptRequest | undefined
  onAdoptHandled: () => void
  /** The page is on screen: countdowns tick. */
  active: boolean
}

const DEFAULT_HEALTH = defaultSettings().healthConfig

/**
 * The Supervisor page: the programs with their state, figures and actions,
 * the switches that hold checks and restarts back, fatal programs said
 * loudly, the add/edit form, and the selected program's logs.
 */
export function SupervisorPage({ programs, settings, toasts, ui, onUi, adopt, onAdoptHandled, active }: Props) {
  const { overview, error } = programs
  const [selected, setSelected] = useState<string | undefined>(undefined)
  const [form, setForm] = useState<FormMode | undefined>(undefined)
  const [removing, setRemoving] = useState<string | undefined>(undefined)
  const [exporting, setExporting] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set())
  const ticking = active && (overview?.programs.some((p) => p.state === 'running' || p.state === 'backoff') ?? false)
  const now = useNow(ticking)
  const perform = useProgramActions(toasts)

  const onAction = useCallback(
    (action: ProgramAction, name: string) => {
      setBusy((b) => new Set(b).add(name))
      void perform(action, name).then((ok) => {
        setBusy((b) => {
          const next = new Set(b)
          next.delete(name)
          return next
        })
        if (ok && action === 'remove') setSelected((s) => (s === name ? undefined : s))
      })
    },
    [perform],
  )
  const onRemove = useCallback((name: string) => (ui.confirmDestructive ? setRemoving(name) : onAction('remove', name)), [ui.confirmDestructive, onAction])
  const onEdit = useCallback(
    (name: string) => {
      const p = overview?.programs.find((x) => x.name === name)
      if (p) setForm({ kind: 'edit', program: p.program })
    },
    [overview],
  )

  useAdoption(adopt, onAdoptHandled, setForm, toasts.show)
  const list = overview?.programs ?? []
  // A program removed elsewhere (the CLI) takes its log viewer with it.
  const shown = list.find((p) => p.name === selected)
  return (
    <div className="supervisor-page">
      <SupervisorHead overview={overview} onAdd={() => setForm({ kind: 'add' })} canAdd={overview !== undefined} />
      {overview && <FatalBanner programs={list} onShow={setSelected} />}
      {overview && <SwitchBanners overview={overview} toasts={toasts} />}
      {overview?.notices.map((n) => (
        <div key={n} className="banner notice-tone" role="status">
          <span className="banner-mark" data-mark="i" aria-hidden="true" />
          <span className="banner-message">{n}</span>
        </div>
      ))}
      {!overview ? (
        <NoSupervisor error={error} />
      ) : (
        <div className="supervisor-body">
          <ProgramsTable
            programs={list}
            now={now}
            selected={selected}
            busy={busy}
            onSelect={setSelected}
            onAction={onAction}
            onEdit={onEdit}
            onRemove={onRemove}
            onExport={setExporting}
            onAdd={() => setForm({ kind: 'add' })}
          />
          {shown ? (
            <LogViewer key={shown.name} name={shown.name} lastStartAt={shown.lastStartAt} onClose={() => setSelected(undefined)} />
          ) : (
            list.length > 0 && <p className="logs-hint">Choose a program’s name to read its logs.</p>
          )}
        </div>
      )}
      {form && (
        <ProgramFormDialog
          mode={form}
          health={settings?.healthConfig ?? DEFAULT_HEALTH}
          checksOn={overview?.healthChecks}
          ipcOn={overview?.ipc}
          autoRestart={overview?.autoRestart}
          others={list.map((p) => p.name).filter((n) => form.kind !== 'edit' || n !== form.program.name)}
          toasts={toasts}
          onDone={(saved) => {
            setForm(undefined)
            if (saved) setSelected(saved)
          }}
        />
      )}
      {exporting && list.some((p) => p.name === exporting) && (
        <ExportDialog
          program={(list.find((p) => p.name === exporting) as (typeof list)[number]).program}
          health={settings?.healthConfig ?? DEFAULT_HEALTH}
          toasts={toasts}
          onClose={() => setExporting(undefined)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing}?`}
          body={`${removing} is stopped if it runs, with everything it started, and Proctor forgets it. Its log files stay on disk.`}
          confirmLabel="Remove"
          onConfirm={(dontAsk) => {
            const name = removing
            setRemoving(undefined)
            if (dontAsk) onUi({ confirmDestructive: false })
            onAction('remove', name)
          }}
          onCancel={() => setRemoving(undefined)}
        />
      )}
    </div>
  )
}

/** No overview: no supervisor for this user (the engine's message says how to start one), or another failure. */
function NoSupervisor({ error }: { error: Error | undefined }) {
  if (!error) return <div className="supervisor-empty" aria-busy="true">Loading programs…</div>
  return (
    <div className="supervisor-empty" role="status">
      <h2>{isUnavailable(error) ? 'No supervisor is running' : 'Could not read the programs'}</h2>
      <p className="unavailable-message">{asSentence(error.message)}</p>
      <p className="muted">This page updates by itself once one runs.</p>
    </div>
  )
}
