import { RESTART_POLICIES, STOP_SIGNALS } from '../../../shared/supervisor/program'
import type { Settings } from '../../../shared/settings'
import { Field, inputProps } from './Field'
import type { FieldIssues, ProgramForm } from './programForm'
import { SchedulePreview } from './SchedulePreview'

export interface SectionProps {
  form: ProgramForm
  set: (patch: Partial<ProgramForm>) => void
  issues: FieldIssues
}

type TextKey = { [K in keyof ProgramForm]: ProgramForm[K] extends string ? K : never }[keyof ProgramForm]

/** A one-line text field bound to a form key, its problems those of `path`. */
export function TextField(p: SectionProps & { k: TextKey; path: string; label: string; placeholder?: string; hint?: string; mono?: boolean; disabled?: boolean; className?: string }) {
  return (
    <Field label={p.label} path={p.path} issues={p.issues} {...(p.hint ? { hint: p.hint } : {})} {...(p.className ? { className: p.className } : {})}>
      {(id, d, bad) => (
        <input
          {...inputProps(id, d, bad)}
          className={p.mono ? 'mono' : undefined}
          value={p.form[p.k] as string}
          placeholder={p.placeholder}
          disabled={p.disabled}
          spellCheck={false}
          onChange={(e) => p.set({ [p.k]: e.target.value } as Partial<ProgramForm>)}
        />
      )}
    </Field>
  )
}

/** Name, command, arguments, shell, directory, environment, autostart, tags. */
export function BasicsSection(props: SectionProps & { editing: boolean }) {
  const { form, set, issues } = props
  return (
    <fieldset className="form-section">
      <legend>Program</legend>
      <div className="form-row">
        <TextField {...props} k="name" path="name" label="Name" placeholder="web" disabled={props.editing} hint={props.editing ? 'A program keeps its name.' : 'Letters, digits, . _ -; also its log file’s name.'} />
        <TextField {...props} k="cwd" path="cwd" label="Working directory" placeholder="/home/me/app" mono className="grow" />
      </div>
      <TextField {...props} k="command" path="command" label={form.shell ? 'Shell command line' : 'Command'} placeholder={form.shell ? 'node server.js | tee out.log' : 'node'} mono />
      <label className="check">
        <input type="checkbox" checked={form.shell} onChange={(e) => set({ shell: e.target.checked })} />
        Run through a shell (<code>/bin/sh -c</code>; the arguments become $1, $2…)
      </label>
      <Field label="Arguments, one per line" path="args" issues={issues}>
        {(id, d, bad) => <textarea {...inputProps(id, d, bad)} className="mono" rows={3} value={form.args} spellCheck={false} onChange={(e) => set({ args: e.target.value })} />}
      </Field>
      <Field label="Environment, KEY=VALUE per line" path="env" issues={issues}>
        {(id, d, bad) => (
          <>
            <div className="segmented small" role="group" aria-label="Environment mode">
              <button type="button" aria-pressed={form.envMode === 'add'} onClick={() => set({ envMode: 'add' })} title="Added to Proctor’s own environment">
                Add to Proctor’s
              </button>
              <button type="button" aria-pressed={form.envMode === 'replace'} onClick={() => set({ envMode: 'replace' })} title="Only these variables">
                Replace it
              </button>
            </div>
            <textarea {...inputProps(id, d, bad)} className="mono" rows={3} value={form.env} spellCheck={false} placeholder="PORT=8080" onChange={(e) => set({ env: e.target.value })} />
          </>
        )}
      </Field>
      <div className="form-row">
        <label className="check">
          <input type="checkbox" checked={form.autostart} onChange={(e) => set({ autostart: e.target.checked })} />
          Start when the supervisor starts
        </label>
        <TextField {...props} k="tags" path="tags" label="Tags, comma-separated" placeholder="web, staging" className="grow" />
      </div>
    </fieldset>
  )
}

/** The restart policy, its numbers, and the schedule they make. */
export function RestartSection(props: SectionProps & { health: Settings['healthConfig']; autoRestart: boolean | undefined }) {
  const { form, set, issues, health } = props
  return (
    <fieldset className="form-section">
      <legend>Restarts</legend>
      <div className="form-row">
        <Field label="Policy" path="restart" issues={issues}>
          {(id, d, bad) => (
            <select {...inputProps(id, d, bad)} value={form.restart} onChange={(e) => set({ restart: e.target.value as ProgramForm['restart'] })}>
              {RESTART_POLICIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField {...props} k="restartDelay" path="restartDelayMs" label="First delay (s)" placeholder={String(health.restartDelay / 1000)} className="num" />
        <TextField {...props} k="multiplier" path="restartBackoffMultiplier" label="Multiplier" placeholder={String(health.restartBackoffMultiplier)} className="num" />
        <TextField {...props} k="maxRestartDelay" path="maxRestartDelayMs" label="Longest delay (s)" placeholder="60" className="num" />
        <TextField {...props} k="maxAttempts" path="maxRestartAttempts" label="Attempts" placeholder={String(health.maxRestartAttempts)} className="num" />
        <TextField {...props} k="stable" path="stableMs" label="Stable after (s)" placeholder="30" className="num" />
      </div>
      <SchedulePreview form={form} health={health} autoRestart={props.autoRestart} />
    </fieldset>
  )
}

/** How a stop goes, and how much log is kept. */
export function StopSection(props: SectionProps) {
  const { form, set, issues } = props
  return (
    <fieldset className="form-section">
      <legend>Stop and logs</legend>
      <div className="form-row">
        <Field label="Stop signal" path="stopSignal" issues={issues}>
          {(id, d, bad) => (
            <select {...inputProps(id, d, bad)} value={form.stopSignal} onChange={(e) => set({ stopSignal: e.target.value as ProgramForm['stopSignal'] })}>
              {STOP_SIGNALS.map((s) => (
                <option key={s} value={s}>
                  SIG{s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField {...props} k="stopTimeout" path="stopTimeoutMs" label="Then KILL after (s)" placeholder="5" className="num" />
        <TextField {...props} k="logMaxMiB" path="logs.maxBytes" label="Rotate logs at (MiB)" placeholder="10" className="num" />
        <TextField {...props} k="logFiles" path="logs.files" label="Log files kept" placeholder="5" className="num" />
      </div>
    </fieldset>
  )
}
