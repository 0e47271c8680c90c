import { MiB, programSchema, type DependencyCondition, type Program, type ProgramInput, type RestartPolicy, type StopSignal } from '../../../shared/supervisor/program'
import type { HealthCheckKind, Readiness } from '../../../shared/supervisor/checks'

/**
 * The add/edit form's state (strings, as the inputs hold them) and its
 * conversion to a program definition: numbers shown in seconds or MiB go
 * to the schema's ms and bytes, args one per line, env as KEY=VALUE
 * lines. Every problem is keyed by the program's field path ("args",
 * "health.checks.0.url"), the same path the supervisor's errors carry, so
 * local and remote errors show next to the same field. Pure.
 */

export const CHECK_KINDS: readonly HealthCheckKind[] = ['alive', 'http', 'tcp', 'memory', 'cpu', 'command', 'ipc']
export type ReadyKind = 'none' | Readiness['kind']

/** One field of a check or of the readiness check: its key in the schema, how it is shown. */
export interface ProbeField {
  key: string
  label: string
  placeholder?: string
  /** Shown in seconds, stored in ms; shown in MiB, stored in bytes. */
  unit?: 's' | 'MiB' | '%'
  /** The input is a number. */
  numeric?: boolean
}

const timeoutField: ProbeField = { key: 'timeoutMs', label: 'Timeout', unit: 's', numeric: true, placeholder: 'interval' }

export const CHECK_FIELDS: Record<HealthCheckKind, readonly ProbeField[]> = {
  alive: [],
  http: [
    { key: 'url', label: 'URL', placeholder: 'http://127.0.0.1:8080/health' },
    { key: 'statusMin', label: 'Status from', numeric: true, placeholder: '200' },
    { key: 'statusMax', label: 'to', numeric: true, placeholder: '399' },
    timeoutField,
  ],
  tcp: [
    { key: 'host', label: 'Host', placeholder: '127.0.0.1' },
    { key: 'port', label: 'Port', numeric: true, placeholder: '8080' },
    timeoutField,
  ],
  memory: [{ key: 'maxBytes', label: 'Above', unit: 'MiB', numeric: true, placeholder: '512' }],
  cpu: [
    { key: 'percent', label: 'Above', unit: '%', numeric: true, placeholder: '90' },
    { key: 'samples', label: 'for checks in a row', numeric: true, placeholder: '3' },
  ],
  command: [
    { key: 'command', label: 'Command', placeholder: '/usr/local/bin/check-it' },
    { key: 'args', label: 'Arguments (space-separated)', placeholder: '--quiet' },
    timeoutField,
  ],
  ipc: [{ key: 'maxSilenceMs', label: 'Silent at most', unit: 's', numeric: true, placeholder: '2 × interval' }],
}

export const READY_FIELDS: Record<Readiness['kind'], readonly ProbeField[]> = {
  http: CHECK_FIELDS.http,
  tcp: CHECK_FIELDS.tcp,
  log: [{ key: 'pattern', label: 'A line matching', placeholder: 'listening on' }],
  ipc: [],
}

export interface CheckRow {
  /** Stable key for React while rows are added and removed. */
  id: number
  kind: HealthCheckKind
  values: Record<string, string>
  shell: boolean
}

export interface DependencyRow {
  id: number
  name: string
  condition: DependencyCondition
}

export interface ProgramForm {
  name: string
  command: string
  /** One argument per line. */
  args: string
  shell: boolean
  cwd: string
  envMode: 'add' | 'replace'
  /** KEY=VALUE, one a line; blank lines and # comments are skipped. */
  env: string
  autostart: boolean
  restart: RestartPolicy
  /** Seconds; empty: the settings' healthConfig. */
  restartDelay: string
  multiplier: string
  maxRestartDelay: string
  maxAttempts: string
  stable: string
  startSeconds: string
  readyKind: ReadyKind
  ready: Record<string, string>
  readyStream: 'stdout' | 'stderr' | 'both'
  readyTimeout: string
  checks: CheckRow[]
  checkInterval: string
  startPeriod: string
  unhealthyThreshold: string
  healthyThreshold: string
  dependsOn: DependencyRow[]
  stopSignal: StopSignal
  stopTimeout: string
  logMaxMiB: string
  logFiles: string
  /** Comma-separated. */
  tags: string
}

export function emptyForm(): ProgramForm {
  return formFromProgram(programSchema.parse({ name: 'new-program', command: 'true' }), { name: '', command: '' })
}

let nextRowId = 1
export const newRowId = (): number => nextRowId++

const secs = (ms: number | undefined): string => (ms === undefined ? '' : String(ms / 1000))
const str = (n: number | undefined): string => (n === undefined ? '' : String(n))

function probeValues(probe: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(probe)) {
    if (key === 'kind' || key === 'shell') continue
    if (key === 'timeoutMs' || key === 'maxSilenceMs') values[key] = secs(value as number | undefined)
    else if (key === 'maxBytes') values[key] = str((value as number) / MiB)
    else if (key === 'status') {
      const s = value as { min: number; max: number }
      values.statusMin = String(s.min)
      values.statusMax = String(s.max)
    } else if (key === 'args') values[key] = (value as string[]).join(' ')
    else values[key] = String(value)
  }
  return values
}

/** The form showing a program (to edit it, or pre-filled from a running process). */
export function formFromProgram(p: Program, over: Partial<ProgramForm> = {}): ProgramForm {
  return {
    name: p.name,
    command: p.command,
    args: p.args.join('\n'),
    shell: p.shell,
    cwd: p.cwd ?? '',
    envMode: p.env.mode,
    env: Object.entries(p.env.vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    autostart: p.autostart,
    restart: p.restart,
    restartDelay: secs(p.restartDelayMs),
    multiplier: str(p.restartBackoffMultiplier),
    maxRestartDelay: secs(p.maxRestartDelayMs),
    maxAttempts: str(p.maxRestartAttempts),
    stable: secs(p.stableMs),
    startSeconds: String(p.startSeconds),
    readyKind: p.ready?.kind ?? 'none',
    ready: p.ready ? probeValues(p.ready) : {},
    readyStream: p.ready?.kind === 'log' ? p.ready.stream : 'both',
    readyTimeout: secs(p.readyTimeoutMs),
    checks: p.health.checks.map((c) => ({ id: newRowId(), kind: c.kind, values: probeValues(c), shell: c.kind === 'command' && c.shell })),
    checkInterval: secs(p.health.intervalMs),
    startPeriod: secs(p.health.startPeriodMs),
    unhealthyThreshold: str(p.health.unhealthyThreshold),
    healthyThreshold: str(p.health.healthyThreshold),
    dependsOn: p.dependsOn.map((d) => ({ id: newRowId(), name: d.name, condition: d.condition })),
    stopSignal: p.stopSignal,
    stopTimeout: secs(p.stopTimeoutMs),
    logMaxMiB: str(p.logs.maxBytes / MiB),
    logFiles: String(p.logs.files),
    tags: p.tags.join(', '),
    ...over,
  }
}

/** Problems by field path ("health.checks.0.url"); "" for what belongs to no field. */
export type FieldIssues = ReadonlyMap<string, string[]>

export interface FormResult {
  /** What is sent (undefined while the form has problems of its own). */
  program: ProgramInput | undefined
  issues: FieldIssues
}

class Issues {
  readonly map = new Map<string, string[]>()
  add(path: string, message: string): void {
    const list = this.map.get(path)
    if (list) list.push(message)
    else this.map.set(path, [message])
  }
}

/** A number field: undefined when empty, an issue when not a number. */
function number(text: string, path: string, issues: Issues, scale = 1): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const n = Number(t)
  if (!Number.isFinite(n)) {
    issues.add(path, 'must be a number')
    return undefined
  }
  return Math.round(n * scale * 1000) / 1000
}

const ms = (text: string, path: string, issues: Issues) => {
  const n = number(text, path, issues, 1000)
  return n === undefined ? undefined : Math.round(n)
}

/** Drops the keys whose value is undefined: the schema's defaults fill them. */
function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

export function parseEnv(text: string, issues?: Issues): Record<string, string> {
  const vars: Record<string, string> = {}
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const eq = raw.indexOf('=')
    if (eq <= 0) {
      issues?.add('env.vars', `line ${i + 1}: expected KEY=VALUE, got “${line}”`)
      return
    }
    vars[raw.slice(0, eq).trim()] = raw.slice(eq + 1)
  })
  return vars
}

export function parseArgs(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '')
}

function probe(kind: string, values: Record<string, string>, shell: boolean, path: string, issues: Issues): Record<string, unknown> {
  const v = (key: string) => values[key]?.trim() ?? ''
  const timeoutMs = ms(v('timeoutMs'), `${path}.timeoutMs`, issues)
  switch (kind) {
    case 'alive':
      return { kind }
    case 'http': {
      const min = number(v('statusMin'), `${path}.status.min`, issues)
      const max = number(v('statusMax'), `${path}.status.max`, issues)
      const status = defined({ min, max })
      return defined({ kind, url: v('url'), status: Object.keys(status).length ? status : undefined, timeoutMs })
    }
    case 'tcp':
      return defined({ kind, host: v('host') || undefined, port: number(v('port'), `${path}.port`, issues), timeoutMs })
    case 'memory': {
      const mib = number(v('maxBytes'), `${path}.maxBytes`, issues)
      return defined({ kind, maxBytes: mib === undefined ? undefined : Math.round(mib * MiB) })
    }
    case 'cpu':
      return defined({ kind, percent: number(v('percent'), `${path}.percent`, issues), samples: number(v('samples'), `${path}.samples`, issues) })
    case 'command':
      return defined({ kind, command: v('command'), args: v('args') ? v('args').split(/\s+/) : undefined, shell, timeoutMs })
    case 'log':
      return { kind, pattern: values.pattern ?? '' }
    case 'ipc':
      return defined({ kind, maxSilenceMs: ms(v('maxSilenceMs'), `${path}.maxSilenceMs`, issues) })
    default:
      return { kind }
  }
}

/** The program the form describes, as sent to addProgram/editProgram, and every problem by field. */
export function programFromForm(f: ProgramForm): FormResult {
  const issues = new Issues()
  const tags = f.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  const ready =
    f.readyKind === 'none'
      ? undefined
      : { ...probe(f.readyKind, f.ready, false, 'ready', issues), ...(f.readyKind === 'log' ? { stream: f.readyStream } : {}) }
  const logMax = number(f.logMaxMiB, 'logs.maxBytes', issues)
  const input = defined({
    name: f.name.trim(),
    command: f.command,
    args: parseArgs(f.args),
    shell: f.shell,
    cwd: f.cwd.trim() || undefined,
    env: { mode: f.envMode, vars: parseEnv(f.env, issues) },
    autostart: f.autostart,
    restart: f.restart,
    stopSignal: f.stopSignal,
    stopTimeoutMs: ms(f.stopTimeout, 'stopTimeoutMs', issues),
    startSeconds: number(f.startSeconds, 'startSeconds', issues),
    ready,
    readyTimeoutMs: ms(f.readyTimeout, 'readyTimeoutMs', issues),
    health: defined({
      checks: f.checks.map((c, i) => probe(c.kind, c.values, c.shell, `health.checks.${i}`, issues)),
      intervalMs: ms(f.checkInterval, 'health.intervalMs', issues),
      startPeriodMs: ms(f.startPeriod, 'health.startPeriodMs', issues),
      unhealthyThreshold: number(f.unhealthyThreshold, 'health.unhealthyThreshold', issues),
      healthyThreshold: number(f.healthyThreshold, 'health.healthyThreshold', issues),
    }),
    restartDelayMs: ms(f.restartDelay, 'restartDelayMs', issues),
    restartBackoffMultiplier: number(f.multiplier, 'restartBackoffMultiplier', issues),
    maxRestartDelayMs: ms(f.maxRestartDelay, 'maxRestartDelayMs', issues),
    maxRestartAttempts: number(f.maxAttempts, 'maxRestartAttempts', issues),
    stableMs: ms(f.stable, 'stableMs', issues),
    dependsOn: f.dependsOn.filter((d) => d.name.trim() !== '').map((d) => ({ name: d.name.trim(), condition: d.condition })),
    logs: defined({ maxBytes: logMax === undefined ? undefined : Math.round(logMax * MiB), files: number(f.logFiles, 'logs.files', issues) }),
    tags,
  })
  // The schema's own checks, as the supervisor will make them: shown before saving.
  const parsed = programSchema.safeParse(input)
  if (!parsed.success) for (const issue of parsed.error.issues) issues.add(issue.path.map(String).join('.'), issue.message)
  return { program: issues.map.size === 0 ? (input as ProgramInput) : undefined, issues: issues.map }
}

/**
 * The issues of an INVALID_ARGUMENT (details.issues: { path, message }),
 * by field path, without the call's own wrapper ("program.", "changes.").
 */
export function issuesFromError(details: Record<string, unknown> | undefined): FieldIssues {
  const map = new Map<string, string[]>()
  const list = Array.isArray(details?.issues) ? (details.issues as unknown[]) : []
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null) continue
    const { path, message } = raw as { path?: unknown; message?: unknown }
    if (typeof message !== 'string') continue
    let parts = Array.isArray(path) ? path.map(String) : []
    if (parts[0] === 'program' || parts[0] === 'changes') parts = parts.slice(1)
    const key = parts.join('.')
    map.set(key, [...(map.get(key) ?? []), message])
  }
  return map
}

/**
 * The messages for one field: its own and those of the paths below it
 * ("args.3" shows on "args" as "3: ..."), unless a field of their own
 * claims them.
 */
export function issuesAt(issues: FieldIssues, field: string): string[] {
  const out: string[] = []
  for (const [path, messages] of issues) {
    if (path === field) out.push(...messages)
    else if (field !== '' && path.startsWith(`${field}.`)) out.push(...messages.map((m) => `${path.slice(field.length + 1)}: ${m}`))
  }
  return out
}

/** The paths no field of the form shows, so they are listed at its top. */
export function unclaimedIssues(issues: FieldIssues, fields: readonly string[]): string[] {
  const out: string[] = []
  for (const [path, messages] of issues) {
    if (fields.some((f) => path === f || path.startsWith(`${f}.`))) continue
    out.push(...messages.map((m) => (path ? `${path}: ${m}` : m)))
  }
  return out
}

/** What an edit sends: every field of the form but the name (a rename is a remove and an add). */
/**
 * What an edit sends: every field but the name, and null for each field the
 * program has that the form left empty (the supervisor then takes it away,
 * and its default applies), nested ones (health, logs) field by field.
 */
export function editChanges(original: Program, program: ProgramInput): Record<string, unknown> {
  const { name: _name, ...changes } = program as Record<string, unknown>
  for (const [key, value] of Object.entries(original)) {
    if (key === 'name') continue
    const edited = changes[key]
    if (edited === undefined) changes[key] = null
    else if (isObject(value) && isObject(edited)) {
      const emptied = Object.keys(value).filter((k) => edited[k] === undefined)
      if (emptied.length > 0) changes[key] = { ...edited, ...Object.fromEntries(emptied.map((k) => [k, null])) }
    }
  }
  return changes
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}


/**
 * The restart schedule the form's numbers make, for its live preview:
 * what the form leaves empty, or holds wrong for now, comes from the
 * schema's defaults and the settings' healthConfig, as the supervisor does.
 */
export function formSchedule(f: Pick<ProgramForm, 'restart' | 'restartDelay' | 'multiplier' | 'maxRestartDelay' | 'maxAttempts' | 'stable'>) {
  const ignored = new Issues()
  const clamp = (n: number | undefined, min: number, max: number) => (n === undefined ? undefined : Math.min(max, Math.max(min, n)))
  return {
    restart: f.restart,
    restartDelayMs: clamp(ms(f.restartDelay, '', ignored), 0, 3_600_000),
    restartBackoffMultiplier: clamp(number(f.multiplier, '', ignored), 1, 10),
    maxRestartDelayMs: clamp(ms(f.maxRestartDelay, '', ignored), 0, 3_600_000) ?? 60_000,
    maxRestartAttempts: clamp(number(f.maxAttempts, '', ignored), 0, 1000),
    stableMs: clamp(ms(f.stable, '', ignored), 0, 86_400_000) ?? 30_000,
  }
}
