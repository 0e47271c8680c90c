import { DEPENDENCY_CONDITIONS } from '../../../shared/supervisor/program'
import { Field, inputProps } from './Field'
import { CHECK_FIELDS, CHECK_KINDS, newRowId, READY_FIELDS, type CheckRow, type FieldIssues, type ProbeField, type ReadyKind } from './programForm'
import { TextField, type SectionProps } from './FormSections'

const fieldPath = (key: string) => (key === 'statusMin' ? 'status.min' : key === 'statusMax' ? 'status.max' : key)

/** The inputs of one probe (a health check, or the readiness check). */
function ProbeFields({ fields, values, onChange, path, issues }: { fields: readonly ProbeField[]; values: Record<string, string>; onChange: (values: Record<string, string>) => void; path: string; issues: FieldIssues }) {
  return fields.map((f) => (
    <Field key={f.key} label={f.unit ? `${f.label} (${f.unit})` : f.label} path={`${path}.${fieldPath(f.key)}`} issues={issues} className={f.numeric ? 'num' : 'grow'}>
      {(id, d, bad) => (
        <input
          {...inputProps(id, d, bad)}
          className={f.numeric ? undefined : 'mono'}
          inputMode={f.numeric ? 'decimal' : undefined}
          value={values[f.key] ?? ''}
          placeholder={f.placeholder}
          spellCheck={false}
          onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
        />
      )}
    </Field>
  ))
}

const CHECK_LABELS: Record<CheckRow['kind'], string> = {
  alive: 'Alive (its process exists)',
  http: 'HTTP GET',
  tcp: 'TCP connect',
  memory: 'Memory above',
  cpu: 'CPU above',
  command: 'Command exits 0',
  ipc: 'IPC heartbeat',
}

/** Said next to what needs IPC while it is off. */
const IPC_OFF_HINT = 'IPC is off in the settings: the program gets no IPC token, so this cannot pass until IPC is on (the IPC page has the switch).'

const READY_LABELS: Record<ReadyKind, string> = {
  none: 'it stays up for some seconds',
  log: 'a log line matches',
  http: 'an HTTP GET answers',
  tcp: 'a TCP port accepts',
  ipc: 'it sends “ready” over IPC',
}

/** When the program counts as started: alive for some seconds, or a readiness check. */
export function StartSection(props: SectionProps & { ipcOn: boolean | undefined }) {
  const { form, set, issues } = props
  const kinds: ReadyKind[] = ['none', 'http', 'tcp', 'log', 'ipc']
  return (
    <fieldset className="form-section">
      <legend>Started when</legend>
      <div className="form-row">
        <Field label="Ready when" path="ready" issues={issues}>
          {(id, d, bad) => (
            <select {...inputProps(id, d, bad)} value={form.readyKind} onChange={(e) => set({ readyKind: e.target.value as ReadyKind, ready: {} })}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {READY_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.readyKind === 'none' ? (
          <TextField {...props} k="startSeconds" path="startSeconds" label="Up for (s)" placeholder="1" className="num" />
        ) : (
          <>
            <ProbeFields fields={READY_FIELDS[form.readyKind]} values={form.ready} onChange={(ready) => set({ ready })} path="ready" issues={issues} />
            {form.readyKind === 'log' && (
              <Field label="In" path="ready.stream" issues={issues}>
                {(id, d, bad) => (
                  <select {...inputProps(id, d, bad)} value={form.readyStream} onChange={(e) => set({ readyStream: e.target.value as ProgramFormStream })}>
                    <option value="both">stdout or stderr</option>
                    <option value="stdout">stdout</option>
                    <option value="stderr">stderr</option>
                  </select>
                )}
              </Field>
            )}
            <TextField {...props} k="readyTimeout" path="readyTimeoutMs" label="Give up after (s)" placeholder="60" className="num" />
          </>
        )}
      </div>
      {form.readyKind === 'ipc' && props.ipcOn === false && <p className="field-hint">{IPC_OFF_HINT}</p>}
    </fieldset>
  )
}

type ProgramFormStream = SectionProps['form']['readyStream']

/** The health checks: a list to add to, each with its own fields; then the thresholds. */
export function HealthSection(props: SectionProps & { checksOn: boolean | undefined; ipcOn: boolean | undefined }) {
  const { form, set, issues } = props
  const update = (id: number, patch: Partial<CheckRow>) => set({ checks: form.checks.map((c) => (c.id === id ? { ...c, ...patch } : c)) })
  return (
    <fieldset className="form-section">
      <legend>Health checks</legend>
      {form.checks.length === 0 && <p className="field-hint">None: only its exit is watched.</p>}
      {form.checks.map((c, i) => (
        <div key={c.id} className="check-row" role="group" aria-label={`Check ${i + 1}: ${CHECK_LABELS[c.kind]}`}>
          <Field label={`Check ${i + 1}`} path={`health.checks.${i}.kind`} issues={issues}>
            {(id, d, bad) => (
              <select {...inputProps(id, d, bad)} value={c.kind} onChange={(e) => update(c.id, { kind: e.target.value as CheckRow['kind'], values: {} })}>
                {CHECK_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {CHECK_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ProbeFields fields={CHECK_FIELDS[c.kind]} values={c.values} onChange={(values) => update(c.id, { values })} path={`health.checks.${i}`} issues={issues} />
          {c.kind === 'command' && (
            <label className="check">
              <input type="checkbox" checked={c.shell} onChange={(e) => update(c.id, { shell: e.target.checked })} />
              Shell
            </label>
          )}
          <button type="button" className="icon-button" aria-label={`Remove check ${i + 1}`} onClick={() => set({ checks: form.checks.filter((x) => x.id !== c.id) })}>
            ×
          </button>
        </div>
      ))}
      <div className="form-row">
        <button type="button" className="button small" onClick={() => set({ checks: [...form.checks, { id: newRowId(), kind: form.checks.length === 0 ? 'alive' : 'http', values: {}, shell: false }] })}>
          Add check
        </button>
        {props.checksOn === false && form.checks.length > 0 && <span className="field-hint">Health checks are off in the settings: these are kept but do not run until it is on.</span>}
        {props.ipcOn === false && form.checks.some((c) => c.kind === 'ipc') && <span className="field-hint">{IPC_OFF_HINT}</span>}
      </div>
      {form.checks.length > 0 && (
        <div className="form-row">
          <TextField {...props} k="checkInterval" path="health.intervalMs" label="Every (s)" placeholder="settings" className="num" />
          <TextField {...props} k="startPeriod" path="health.startPeriodMs" label="Grace after start (s)" placeholder="0" className="num" />
          <TextField {...props} k="unhealthyThreshold" path="health.unhealthyThreshold" label="Unhealthy after fails" placeholder="settings" className="num" />
          <TextField {...props} k="healthyThreshold" path="health.healthyThreshold" label="Healthy after passes" placeholder="settings" className="num" />
        </div>
      )}
    </fieldset>
  )
}

/** Programs that must reach a condition before this one starts. */
export function DependsSection(props: SectionProps & { others: readonly string[] }) {
  const { form, set, issues, others } = props
  const update = (id: number, patch: Partial<SectionProps['form']['dependsOn'][number]>) =>
    set({ dependsOn: form.dependsOn.map((d) => (d.id === id ? { ...d, ...patch } : d)) })
  const listId = 'program-names'
  return (
    <fieldset className="form-section">
      <legend>Depends on</legend>
      <datalist id={listId}>
        {others.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {form.dependsOn.map((dep, i) => (
        <div key={dep.id} className="check-row" role="group" aria-label={`Dependency ${i + 1}`}>
          <Field label="Program" path={`dependsOn.${i}.name`} issues={issues} className="grow">
            {(id, d, bad) => <input {...inputProps(id, d, bad)} list={listId} value={dep.name} onChange={(e) => update(dep.id, { name: e.target.value })} />}
          </Field>
          <Field label="Has become" path={`dependsOn.${i}.condition`} issues={issues}>
            {(id, d, bad) => (
              <select {...inputProps(id, d, bad)} value={dep.condition} onChange={(e) => update(dep.id, { condition: e.target.value as typeof dep.condition })}>
                {DEPENDENCY_CONDITIONS.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="button" className="icon-button" aria-label={`Remove dependency ${i + 1}`} onClick={() => set({ dependsOn: form.dependsOn.filter((x) => x.id !== dep.id) })}>
            ×
          </button>
        </div>
      ))}
      {issues.has('dependsOn') && <div className="field-error">{issues.get('dependsOn')?.join('; ')}</div>}
      <button type="button" className="button small" onClick={() => set({ dependsOn: [...form.dependsOn, { id: newRowId(), name: '', condition: 'started' }] })}>
        Add dependency
      </button>
    </fieldset>
  )
}
