import { useEffect, useMemo, useRef, useState } from 'react'
import { ProctorError } from '../../../shared/errors'
import type { Settings } from '../../../shared/settings'
import { api } from '../api'
import type { Toasts } from '../hooks/useToasts'
import { Field, inputProps } from '../supervisor/Field'
import type { FieldIssues } from '../supervisor/programForm'
import { EMPTY_FORM, formDefaults, formToInput, issuesFromDetails, type FormField, type FormIssues, type PoolFormValues } from './poolsView'
import '../supervisor/form.css'

interface Props {
  poolConfig: Settings['poolConfig'] | undefined
  toasts: Toasts
  /** Closed: with the new pool's id when one was created. */
  onDone: (created?: string) => void
}

const NO_ISSUES: FormIssues = new Map()

/**
 * Create a pool: a modal dialog with every field of createPool's config.
 * Empty fields take the settings' poolConfig defaults, shown as
 * placeholders. Problems show next to their field: found here first (the
 * contract's own schema), then the engine's INVALID_ARGUMENT by field.
 */
export function PoolFormDialog({ poolConfig, toasts, onDone }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [form, setForm] = useState<PoolFormValues>(EMPTY_FORM)
  const [tried, setTried] = useState(false)
  const [remote, setRemote] = useState<FormIssues>(NO_ISSUES)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [saving, setSaving] = useState(false)
  const local = useMemo(() => formToInput(form), [form])
  const defaults = formDefaults(poolConfig)
  const issues = remote.size > 0 ? remote : tried ? local.issues : NO_ISSUES
  // Field takes the supervisor form's issue map; the keys here are the form's fields.
  const fieldIssues = issues as FieldIssues

  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
    return () => {
      if (el?.open) el.close()
    }
  }, [])

  const showFirstProblem = () =>
    requestAnimationFrame(() => {
      const input = dialog.current?.querySelector<HTMLElement>('[aria-invalid="true"], .form-problems')
      input?.scrollIntoView({ block: 'center' })
      if (input?.matches('input, textarea, select')) input.focus()
    })

  const set = (patch: Partial<PoolFormValues>) => {
    setForm((f) => ({ ...f, ...patch }))
    setRemote(NO_ISSUES)
  }

  const submit = async () => {
    setTried(true)
    setFailure(undefined)
    if (!local.input) {
      showFirstProblem()
      return
    }
    setSaving(true)
    try {
      const status = await api.createPool(local.input)
      toasts.show({ tone: 'success', title: `Created pool ${status.name}`, detail: `Starting ${status.targetSize} worker${status.targetSize === 1 ? '' : 's'}.` })
      onDone(status.id)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const byField = err instanceof ProctorError && err.code === 'INVALID_ARGUMENT' ? issuesFromDetails(err.details) : NO_ISSUES
      if (byField.size > 0) setRemote(byField)
      else setFailure(message)
      showFirstProblem()
      toasts.show({ tone: 'error', title: `Could not create pool ${local.input.poolId}`, detail: message })
    } finally {
      setSaving(false)
    }
  }

  const text = (k: FormField, label: string, opts: { placeholder?: string; hint?: string; mono?: boolean; className?: string } = {}) => (
    <Field label={label} path={k} issues={fieldIssues} {...(opts.hint ? { hint: opts.hint } : {})} {...(opts.className ? { className: opts.className } : {})}>
      {(id, d, bad) => (
        <input
          {...inputProps(id, d, bad)}
          className={opts.mono ? 'mono' : undefined}
          value={form[k]}
          placeholder={opts.placeholder}
          spellCheck={false}
          onChange={(e) => set({ [k]: e.target.value } as Partial<PoolFormValues>)}
        />
      )}
    </Field>
  )
  const num = (k: FormField, label: string, hint?: string) => (
    <Field label={label} path={k} issues={fieldIssues} className="num" {...(hint ? { hint } : {})}>
      {(id, d, bad) => (
        <input
          {...inputProps(id, d, bad)}
          inputMode="numeric"
          value={form[k]}
          placeholder={defaults[k] ?? ''}
          onChange={(e) => set({ [k]: e.target.value } as Partial<PoolFormValues>)}
        />
      )}
    </Field>
  )
  const unclaimed = failure ? [failure] : []

  return (
    <dialog
      ref={dialog}
      className="program-form pool-form"
      aria-labelledby="pool-form-title"
      onCancel={(e) => {
        e.preventDefault()
        onDone()
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        noValidate
      >
        <header className="form-head">
          <h2 id="pool-form-title">Create a worker pool</h2>
          <p className="form-note">
            Proctor starts the workers as supervised programs connected to the IPC broker; tasks wait in a bounded queue and go to a worker by the balancing
            rule. Empty fields take the defaults of the settings (poolConfig), shown in grey.
          </p>
        </header>
        <div className="form-body">
          {unclaimed.length > 0 && (
            <div className="form-problems" role="alert">
              {unclaimed.map((t) => (
                <div key={t}>{t}</div>
              ))}
            </div>
          )}
          <fieldset className="form-section">
            <legend>Pool</legend>
            <div className="form-row">
              {text('id', 'ID', { placeholder: 'thumbnails', hint: 'Letters, digits, . _ -; its workers are pool.ID.N.', mono: true })}
              {text('name', 'Name', { placeholder: form.id || 'same as the ID', className: 'grow' })}
            </div>
          </fieldset>
          <fieldset className="form-section">
            <legend>Workers</legend>
            <div className="form-row">
              {text('workerCommand', 'Worker command', { placeholder: 'node', mono: true, hint: 'Looked up in PATH; a worker answers tasks with serveTasks.' })}
              {text('cwd', 'Working directory', { placeholder: '/home/me/app', mono: true, className: 'grow' })}
            </div>
            <div className="form-row">
              <Field label="Arguments, one per line" path="workerArgs" issues={fieldIssues} className="grow">
                {(id, d, bad) => (
                  <textarea {...inputProps(id, d, bad)} className="mono" rows={2} value={form.workerArgs} spellCheck={false} placeholder="worker.js" onChange={(e) => set({ workerArgs: e.target.value })} />
                )}
              </Field>
              <Field label="Environment, KEY=VALUE per line" path="env" issues={fieldIssues} className="grow">
                {(id, d, bad) => (
                  <textarea {...inputProps(id, d, bad)} className="mono" rows={2} value={form.env} spellCheck={false} placeholder="NODE_ENV=production" onChange={(e) => set({ env: e.target.value })} />
                )}
              </Field>
            </div>
          </fieldset>
          <fieldset className="form-section">
            <legend>Size and dispatch</legend>
            <div className="pool-numbers pool-size">
              {num('minWorkers', 'Min workers')}
              {num('maxWorkers', 'Max workers')}
              <Field label="Scaling" path="scalingStrategy" issues={fieldIssues}>
                {(id, d, bad) => (
                  <select {...inputProps(id, d, bad)} value={form.scalingStrategy} onChange={(e) => set({ scalingStrategy: e.target.value as PoolFormValues['scalingStrategy'] })}>
                    <option value="">{defaults.scalingStrategy ?? 'dynamic'} (default)</option>
                    <option value="fixed">fixed</option>
                    <option value="dynamic">dynamic</option>
                  </select>
                )}
              </Field>
              <Field label="Load balancing" path="loadBalancing" issues={fieldIssues}>
                {(id, d, bad) => (
                  <select {...inputProps(id, d, bad)} value={form.loadBalancing} onChange={(e) => set({ loadBalancing: e.target.value as PoolFormValues['loadBalancing'] })}>
                    <option value="">{defaults.loadBalancing ?? 'least_busy'} (default)</option>
                    <option value="least_busy">least_busy</option>
                    <option value="round_robin">round_robin</option>
                    <option value="random">random</option>
                  </select>
                )}
              </Field>
            </div>
          </fieldset>
          <fieldset className="form-section">
            <legend>Limits</legend>
            <div className="pool-numbers">
              {num('taskTimeout', 'Task timeout (ms)')}
              {num('workerIdleTimeout', 'Idle timeout (ms)', 'dynamic: idle workers above min stop')}
              {num('maxQueueSize', 'Max queue size')}
              {num('maxTasksPerWorker', 'Tasks per worker', '0: never recycled')}
              {num('retries', 'Retries', 'when a worker dies under a task')}
            </div>
          </fieldset>
        </div>
        <footer className="form-buttons">
          {issues.size > 0 && <span className="form-count">{issues.size === 1 ? '1 field needs a look' : `${issues.size} fields need a look`}</span>}
          <button type="button" className="button" onClick={() => onDone()}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={saving}>
            Create pool
          </button>
        </footer>
      </form>
    </dialog>
  )
}
