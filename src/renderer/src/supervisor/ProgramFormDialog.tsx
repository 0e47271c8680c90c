import { useEffect, useMemo, useRef, useState } from 'react'
import type { Settings } from '../../../shared/settings'
import type { Program, ProgramInput } from '../../../shared/supervisor/program'
import type { AdoptionDraft } from '../../../shared/supervisor/status'
import { ConfirmDialog } from '../components/ConfirmDialog'
import type { Toasts } from '../hooks/useToasts'
import { DependsSection, HealthSection, StartSection } from './CheckSections'
import { BasicsSection, RestartSection, StopSection } from './FormSections'
import { emptyForm, formFromProgram, programFromForm, unclaimedIssues, type ProgramForm } from './programForm'
import { useProgramSave } from './useProgramSave'
import './form.css'

export type FormMode =
  | { kind: 'add' }
  | { kind: 'edit'; program: Program }
  /** Pre-filled from a running process (draftAdoption): saving stops it and starts it under Proctor. */
  | { kind: 'adopt'; draft: AdoptionDraft; processName: string }

interface Props {
  mode: FormMode
  health: Settings['healthConfig']
  checksOn: boolean | undefined
  ipcOn: boolean | undefined
  autoRestart: boolean | undefined
  /** The other programs' names, for dependencies. */
  others: readonly string[]
  toasts: Toasts
  /** Closed; with the name of the program saved, if any. */
  onDone: (saved?: string) => void
}

/** The paths the form shows next to a field; others are listed at its top. */
const FIELDS = ['name', 'command', 'args', 'shell', 'cwd', 'env', 'autostart', 'restart', 'restartDelayMs', 'restartBackoffMultiplier', 'maxRestartDelayMs', 'maxRestartAttempts', 'stableMs', 'startSeconds', 'ready', 'readyTimeoutMs', 'health', 'dependsOn', 'stopSignal', 'stopTimeoutMs', 'logs', 'tags']

function initialForm(mode: FormMode): ProgramForm {
  if (mode.kind === 'edit') return formFromProgram(mode.program)
  if (mode.kind === 'adopt') return formFromProgram(mode.draft.program)
  return emptyForm()
}

/**
 * Add, edit or adopt a program: a modal dialog with every field of the
 * definition, the restart schedule it makes, and the problems of each field
 * next to it (found here first, by the same schema, then by the supervisor).
 */
export function ProgramFormDialog({ mode, health, checksOn, ipcOn, autoRestart, others, toasts, onDone }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [form, setForm] = useState(() => initialForm(mode))
  const [tried, setTried] = useState(false)
  const [confirming, setConfirming] = useState<{ program: ProgramInput } | undefined>(undefined)
  const local = useMemo(() => programFromForm(form), [form])
  // After a refused save, the first field with a problem comes into view and takes the focus.
  const showFirstProblem = () =>
    requestAnimationFrame(() => {
      const input = dialog.current?.querySelector<HTMLElement>('[aria-invalid="true"], .form-problems')
      input?.scrollIntoView({ block: 'center' })
      if (input?.matches('input, textarea, select')) input.focus()
    })
  const { submit, saving, remote, clearRemote, failure } = useProgramSave(mode, toasts, onDone, showFirstProblem)
  const issues = tried ? (remote.size > 0 ? remote : local.issues) : remote

  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
    return () => {
      if (el?.open) el.close()
    }
  }, [])

  const set = (patch: Partial<ProgramForm>) => {
    setForm((f) => ({ ...f, ...patch }))
    // What the supervisor said was of the form before this change.
    clearRemote()
  }


  const onSubmit = (start: boolean) => {
    setTried(true)
    if (!local.program) {
      showFirstProblem()
      return
    }
    if (mode.kind === 'adopt') setConfirming({ program: local.program })
    else void submit(local.program, start)
  }

  const top = unclaimedIssues(issues, FIELDS)
  const title = mode.kind === 'add' ? 'Add a program' : mode.kind === 'edit' ? `Edit ${mode.program.name}` : `Supervise ${mode.processName} (PID ${mode.draft.pid})`
  return (
    <dialog
      ref={dialog}
      className="program-form"
      aria-labelledby="program-form-title"
      onCancel={(e) => {
        e.preventDefault()
        onDone()
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          onSubmit(false)
        }}
        noValidate
      >
        <header className="form-head">
          <h2 id="program-form-title">{title}</h2>
          {mode.kind === 'adopt' && (
            <p className="form-note">
              Filled in from the running process. Saving stops it (SIGTERM, then SIGKILL after 5 s) and starts it again under Proctor.
              {mode.draft.unreadable.length > 0 && ` Could not read: ${mode.draft.unreadable.join(', ')}.`}
            </p>
          )}
        </header>
        <div className="form-body">
          {(top.length > 0 || failure) && (
            <div className="form-problems" role="alert">
              {failure && <div>{failure}</div>}
              {top.map((t) => (
                <div key={t}>{t}</div>
              ))}
            </div>
          )}
          <BasicsSection form={form} set={set} issues={issues} editing={mode.kind === 'edit'} />
          <RestartSection form={form} set={set} issues={issues} health={health} autoRestart={autoRestart} />
          <StartSection form={form} set={set} issues={issues} ipcOn={ipcOn} />
          <HealthSection form={form} set={set} issues={issues} checksOn={checksOn} ipcOn={ipcOn} />
          <DependsSection form={form} set={set} issues={issues} others={others} />
          <StopSection form={form} set={set} issues={issues} />
        </div>
        <footer className="form-buttons">
          {tried && issues.size > 0 && <span className="form-count">{issues.size === 1 ? '1 field needs a look' : `${issues.size} fields need a look`}</span>}
          <button type="button" className="button" onClick={() => onDone()}>
            Cancel
          </button>
          {mode.kind === 'add' && (
            <button type="button" className="button" disabled={saving} onClick={() => onSubmit(false)}>
              Add
            </button>
          )}
          <button type={mode.kind === 'add' ? 'button' : 'submit'} className="button primary" disabled={saving} onClick={mode.kind === 'add' ? () => onSubmit(true) : undefined}>
            {mode.kind === 'add' ? 'Add and start' : mode.kind === 'edit' ? 'Save' : 'Supervise…'}
          </button>
        </footer>
      </form>
      {confirming && mode.kind === 'adopt' && (
        <ConfirmDialog
          title={`Stop ${mode.processName} (PID ${mode.draft.pid}) and run it under Proctor?`}
          body={`${mode.processName} is stopped now (SIGTERM, then SIGKILL after 5 seconds) and started again as the program “${confirming.program.name}”, with the command line, directory and environment in the form. Unsaved work in it may be lost.`}
          confirmLabel="Stop and supervise"
          askAgain={false}
          onConfirm={() => {
            const { program } = confirming
            setConfirming(undefined)
            void submit(program, true)
          }}
          onCancel={() => setConfirming(undefined)}
        />
      )}
    </dialog>
  )
}
