import type { HealthCheck } from '../supervisor/checks'
import type { ProgramInput } from '../supervisor/program'
import { EcosystemError } from './errors'
import { checked, durationMs, programName, shown, sizeBytes, type Imported, type ImportedProgram, type Unmapped } from './imported'
import { shellWords } from './shellWords'

/**
 * A PM2 ecosystem file (pm2.keymetrics.io/docs/usage/application-declaration)
 * already read into a value (JSON parsed, or a .config.js run by the
 * caller after the user agreed), mapped to Proctor programs. Pure.
 */

export interface Pm2Options {
  /** The file's folder: what a relative cwd or script is relative to, and the cwd when none is given. */
  dir: string
  /** `--env production`: env_production's variables over env's, as `pm2 start --env production`. */
  envName?: string
}

/** Interpreters PM2 picks by the script's extension. */
const BY_EXTENSION: Record<string, string> = { js: 'node', cjs: 'node', mjs: 'node', sh: 'bash', py: 'python', rb: 'ruby', php: 'php', pl: 'perl', coffee: 'coffee' }

const UNMAPPED_WHY: Record<string, string> = {
  watch: 'Proctor does not restart programs on file changes',
  ignore_watch: 'Proctor does not restart programs on file changes',
  watch_options: 'Proctor does not restart programs on file changes',
  watch_delay: 'Proctor does not restart programs on file changes',
  error_file: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  out_file: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  log_file: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  output: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  error: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  log: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  merge_logs: 'Proctor keeps one log per program',
  combine_logs: 'Proctor keeps one log per program',
  log_date_format: 'Proctor stamps every log line with its own time',
  time: 'Proctor stamps every log line with its own time',
  log_type: 'Proctor keeps its logs as lines with their time and stream',
  pid_file: 'Proctor keeps no pid files (proctor programs list shows the pid)',
  wait_ready: "PM2's process.send('ready') is not Proctor's: give a readiness check (ready: http, tcp, log or ipc) with `proctor programs edit`",
  listen_timeout: "goes with wait_ready: set readyTimeoutMs with a readiness check",
  shutdown_with_message: 'Proctor stops with a signal',
  stop_exit_codes: 'Proctor counts exit 0 as success and any other exit as a failure',
  cron_restart: 'Proctor has no scheduled restarts',
  instance_var: 'Proctor runs one process per program (no instance numbers)',
  increment_var: 'Proctor runs one process per program (no instance numbers)',
  namespace: 'Proctor has no namespaces: use tags',
  vizion: 'Proctor keeps no version-control metadata',
  post_update: 'Proctor keeps no version-control metadata',
  force: 'Proctor never runs the same program twice',
  source_map_support: 'Node options are not Proctor settings: put them in node_args or the command',
  disable_source_map_support: 'Node options are not Proctor settings: put them in node_args or the command',
  uid: 'Proctor runs programs as the user it runs as',
  gid: 'Proctor runs programs as the user it runs as',
  user: 'Proctor runs programs as the user it runs as',
  treekill: 'Proctor always stops the whole process group',
  kill_retry_time: 'Proctor sends the stop signal once, then KILL after kill_timeout',
  filter_env: "Proctor adds the variables to its own environment",
  append_env_to_name: 'Proctor names programs as the file does',
  max_memory_restart: '',
}

/** Fields the mapping reads. */
const MAPPED = new Set([
  'name', 'script', 'args', 'interpreter', 'exec_interpreter', 'interpreter_args', 'node_args', 'cwd', 'env', 'autorestart', 'max_restarts',
  'min_uptime', 'restart_delay', 'exp_backoff_restart_delay', 'kill_timeout', 'instances', 'exec_mode', 'max_memory_restart',
])

function words(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return []
  if (typeof value === 'string') return shellWords(value)
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String)
  throw new EcosystemError(`${where} must be a string or an array of strings, got ${JSON.stringify(value)}`)
}

function absolute(dir: string, path: string): string {
  if (path.startsWith('/')) return path
  const parts = dir.split('/')
  for (const part of path.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/') || '/'
}

function envOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw new EcosystemError(`${where} must be an object of variables, got ${JSON.stringify(value)}`)
  const vars: Record<string, string> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue
    vars[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  return vars
}

/** The apps of an ecosystem value: `{ apps: [...] }`, `[...]`, or one app object. */
function appsOf(config: unknown): { apps: unknown[]; rest: Record<string, unknown> } {
  if (Array.isArray(config)) return { apps: config, rest: {} }
  if (typeof config !== 'object' || config === null) throw new EcosystemError(`an ecosystem file holds { apps: [...] }, got ${JSON.stringify(config)}`)
  const { apps, ...rest } = config as Record<string, unknown>
  if (apps === undefined) {
    if ('script' in rest) return { apps: [rest], rest: {} }
    throw new EcosystemError(`no apps: an ecosystem file holds { apps: [...] }; this one has ${Object.keys(rest).join(', ') || 'nothing'}`)
  }
  if (!Array.isArray(apps)) return { apps: [apps], rest }
  return { apps, rest }
}

export function importPm2(config: unknown, o: Pm2Options): Imported {
  const { apps, rest } = appsOf(config)
  const programs: ImportedProgram[] = []
  const unmapped: Unmapped[] = Object.entries(rest).map(([field, value]) => ({
    field,
    value: shown(field === 'deploy' ? Object.keys(value as object) : value),
    why: field === 'deploy' ? 'Proctor does not deploy' : 'not an ecosystem field Proctor knows',
  }))
  const problems: Imported['problems'] = []
  const notes = new Set<string>()
  apps.forEach((app, i) => {
    const source = typeof (app as { name?: unknown })?.name === 'string' ? (app as { name: string }).name : `apps[${i}]`
    try {
      if (typeof app !== 'object' || app === null || Array.isArray(app)) throw new EcosystemError(`apps[${i}] must be an object, got ${JSON.stringify(app)}`)
      const a = app as Record<string, unknown>
      const where = (field: string) => `${source}: ${field}`
      for (const [field, value] of Object.entries(a)) {
        if (MAPPED.has(field)) continue
        if (/^env_/.test(field)) {
          if (field !== `env_${o.envName}`) unmapped.push({ program: source, field, value: shown(value), why: `used with --env ${field.slice(4)}` })
          continue
        }
        unmapped.push({ program: source, field, value: shown(value), why: UNMAPPED_WHY[field] || 'not an ecosystem field Proctor knows' })
      }
      if (typeof a.script !== 'string' || a.script === '') throw new EcosystemError(`${where('script')} is required: the file or command to run`)
      const script = a.script
      const cwd = typeof a.cwd === 'string' ? absolute(o.dir, a.cwd) : o.dir
      if (a.cwd === undefined) notes.add(`a program without cwd runs in the file's folder (${o.dir}), as pm2 started from there`)
      // The interpreter: given, or PM2's by the extension; "none" runs the script itself.
      const given = (a.interpreter ?? a.exec_interpreter) as unknown
      if (given !== undefined && typeof given !== 'string') throw new EcosystemError(`${where('interpreter')} must be a string`)
      const ext = /\.([A-Za-z0-9]+)$/.exec(script)?.[1]?.toLowerCase()
      const interpreter = given === 'none' ? undefined : given ?? (ext ? BY_EXTENSION[ext] : undefined)
      const interpreterArgs = [...words(a.interpreter_args, where('interpreter_args')), ...(interpreter === 'node' || interpreter?.endsWith('/node') ? words(a.node_args, where('node_args')) : [])]
      if (a.node_args !== undefined && !(interpreter === 'node' || interpreter?.endsWith('/node'))) {
        unmapped.push({ program: source, field: 'node_args', value: shown(a.node_args), why: `the interpreter is ${interpreter ?? 'none'}, not node` })
      }
      const args = words(a.args, where('args'))
      // A script with a path is a file; a bare name without an interpreter is a command in PATH (npm, ts-node).
      const scriptPath = script.includes('/') || interpreter !== undefined ? absolute(cwd, script) : script
      const [command, ...argv] = interpreter !== undefined ? [interpreter, ...interpreterArgs, scriptPath, ...args] : [scriptPath, ...args]
      const env = { ...envOf(a.env, where('env')), ...(o.envName ? envOf(a[`env_${o.envName}`], where(`env_${o.envName}`)) : {}) }
      const program: ProgramInput = { name: programName(source === `apps[${i}]` ? (script.split('/').pop() ?? script).replace(/\.[^.]*$/, '') : source), command: command as string, args: argv, cwd }
      if (Object.keys(env).length > 0) program.env = { vars: env }
      if (program.name !== source && source !== `apps[${i}]`) notes.add(`${JSON.stringify(source)} is named ${program.name} (letters, digits, ".", "_", "-")`)
      // PM2 restarts after any exit unless autorestart is false.
      program.restart = a.autorestart === false ? 'never' : 'always'
      const num = (field: string, min = 0): number | undefined => {
        if (a[field] === undefined) return undefined
        const ms = durationMs(a[field])
        if (ms === undefined || ms < min) throw new EcosystemError(`${where(field)}: ${JSON.stringify(a[field])} is not a duration (ms, or like "10s")`)
        return ms
      }
      const maxRestarts = a.max_restarts
      if (maxRestarts !== undefined) {
        if (typeof maxRestarts !== 'number' || !Number.isInteger(maxRestarts) || maxRestarts < 0) throw new EcosystemError(`${where('max_restarts')}: ${JSON.stringify(maxRestarts)} is not a whole number`)
        program.maxRestartAttempts = Math.min(1000, maxRestarts)
      } else {
        program.maxRestartAttempts = 16
      }
      // A run shorter than min_uptime is unstable and counts towards max_restarts; a longer one resets the count.
      program.stableMs = num('min_uptime') ?? 1000
      const restartDelay = num('restart_delay')
      const backoff = num('exp_backoff_restart_delay')
      if (backoff !== undefined) {
        // PM2: the delay grows x1.5 from exp_backoff_restart_delay, up to 15 s.
        program.restartDelayMs = backoff
        program.restartBackoffMultiplier = 1.5
        program.maxRestartDelayMs = Math.max(backoff, 15_000)
        if (restartDelay !== undefined) unmapped.push({ program: source, field: 'restart_delay', value: shown(a.restart_delay), why: 'exp_backoff_restart_delay is used instead' })
      } else {
        program.restartDelayMs = restartDelay ?? 0
        program.restartBackoffMultiplier = 1
      }
      program.stopTimeoutMs = Math.min(3_600_000, num('kill_timeout') ?? 1600)
      const instances = a.instances
      const cluster = a.exec_mode === 'cluster' || a.exec_mode === 'cluster_mode'
      if (instances !== undefined && instances !== 1 && instances !== '1') {
        unmapped.push({ program: source, field: 'instances', value: shown(instances), why: 'Proctor runs one process per program: add copies under other names, or use a worker pool' })
      }
      if (cluster) unmapped.push({ program: source, field: 'exec_mode', value: shown(a.exec_mode), why: "cluster mode (one port shared by Node's cluster module) is not Proctor's: it runs the app in fork mode" })
      if (a.max_memory_restart !== undefined) {
        const bytes = sizeBytes(a.max_memory_restart)
        if (bytes === undefined) throw new EcosystemError(`${where('max_memory_restart')}: ${JSON.stringify(a.max_memory_restart)} is not a size (like "500M")`)
        const check: HealthCheck = { kind: 'memory', maxBytes: Math.max(bytes, 1024 * 1024) }
        program.health = { checks: [check], unhealthyThreshold: 1 }
        notes.add('max_memory_restart became a memory health check: it restarts the program while health checks are on (proctor programs enable health-checks)')
      }
      program.tags = ['pm2']
      programs.push({ source, program })
    } catch (err) {
      if (!(err instanceof EcosystemError)) throw err
      problems.push({ program: source, message: err.message })
    }
  })
  if (programs.length > 0) notes.add("PM2's restart count (max_restarts within min_uptime) became Proctor's crash-loop limit: fatal after that many restarts without a run of stableMs")
  return checked({ format: 'pm2', programs, unmapped, notes: [...notes], problems })
}
