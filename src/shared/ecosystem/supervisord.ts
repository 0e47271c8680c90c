import { STOP_SIGNALS, type ProgramInput, type StopSignal } from '../supervisor/program'
import { EcosystemError } from './errors'
import { checked, programName, shown, sizeBytes, type Imported, type ImportedProgram, type Unmapped } from './imported'
import { shellWords } from './shellWords'

/**
 * supervisord's configuration (supervisord.org/configuration.html): an
 * INI reader as supervisord's (Python's configparser: `key=value` or
 * `key: value`, `;`/`#` comments, inline only after whitespace, indented
 * continuation lines) and the mapping of each [program:x] to Proctor
 * programs, numprocs copies included. Pure: the caller gives the file's
 * folder, the environment and the host name for the %(...)s expansions.
 */

export interface IniSection {
  name: string
  line: number
  values: Map<string, { value: string; line: number }>
}

export function parseIni(text: string): IniSection[] {
  const sections: IniSection[] = []
  let current: IniSection | undefined
  let last: { key: string; line: number } | undefined
  const lines = text.split('\n')
  lines.forEach((raw, index) => {
    const n = index + 1
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '' || /^\s*[;#]/.test(line)) {
      if (line.trim() === '') last = undefined
      return
    }
    const value = line.replace(/\s[;#].*$/, '')
    if (/^\s/.test(line) && last && current) {
      // An indented line continues the value above it.
      const entry = current.values.get(last.key)
      if (entry) entry.value = `${entry.value}\n${value.trim()}`
      return
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(value.trim())
    if (header) {
      const name = (header[1] as string).trim()
      if (sections.some((s) => s.name === name)) throw new EcosystemError(`line ${n}: section [${name}] appears twice`)
      current = { name, line: n, values: new Map() }
      sections.push(current)
      last = undefined
      return
    }
    if (value.trim().startsWith('[')) throw new EcosystemError(`line ${n}: the section header ${JSON.stringify(value.trim())} is not closed with ]`)
    const at = /[=:]/.exec(value)
    if (!at || at.index === 0) throw new EcosystemError(`line ${n}: expected [section] or key=value, got ${JSON.stringify(line.trim())}`)
    if (!current) throw new EcosystemError(`line ${n}: ${JSON.stringify(line.trim())} comes before any [section]`)
    const key = value.slice(0, at.index).trim().toLowerCase()
    if (current.values.has(key)) throw new EcosystemError(`line ${n}: ${key} is set twice in [${current.name}] (first on line ${current.values.get(key)?.line})`)
    current.values.set(key, { value: value.slice(at.index + 1).trim(), line: n })
    last = { key, line: n }
  })
  return sections
}

/**
 * Python's `%(name)s` / `%(name)02d` interpolation as supervisord applies
 * it, `%%` as `%`. A name it does not have is an error naming it.
 */
export function expand(value: string, vars: Record<string, string | number | undefined>, where: string): string {
  return value.replace(/%(%|\(([^)]*)\)([-#0 +]*)(\d*)([sdi]))|%/g, (all, body: string | undefined, name: string | undefined, flags: string, width: string, type: string) => {
    if (body === '%') return '%'
    if (name === undefined) throw new EcosystemError(`${where}: a lone % in ${JSON.stringify(value)} (write %% for a percent sign)`)
    const v = vars[name]
    if (v === undefined) {
      throw new EcosystemError(
        name.startsWith('ENV_') ? `${where}: ${all} needs the environment variable ${name.slice(4)}, which is not set` : `${where}: ${all} names nothing supervisord defines here`,
      )
    }
    if (type !== 's' && (typeof v !== 'number' && !/^-?\d+$/.test(v))) throw new EcosystemError(`${where}: ${all} needs a number, ${name} is ${JSON.stringify(v)}`)
    const text = type === 's' ? String(v) : String(Math.trunc(Number(v)))
    const w = Number(width || 0)
    if (flags.includes('-')) return text.padEnd(w)
    return flags.includes('0') && type !== 's' ? text.padStart(w, '0') : text.padStart(w)
  })
}

/** `KEY="val",KEY2=val2` (newlines as commas may appear): supervisord's environment=. */
export function parseEnvironment(value: string, where: string): Record<string, string> {
  const vars: Record<string, string> = {}
  let i = 0
  const s = value
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i] as string)) i++
    if (i >= s.length) break
    const eq = s.indexOf('=', i)
    if (eq < 0) throw new EcosystemError(`${where}: ${JSON.stringify(s.slice(i).trim())} in environment= is not KEY=value`)
    const key = s.slice(i, eq).trim()
    if (!/^[^\s,"']+$/.test(key)) throw new EcosystemError(`${where}: ${JSON.stringify(key)} in environment= is not a variable name`)
    i = eq + 1
    let v = ''
    while (i < s.length && s[i] !== ',' && s[i] !== '\n') {
      const c = s[i] as string
      if (c === '"' || c === "'") {
        const end = s.indexOf(c, i + 1)
        if (end < 0) throw new EcosystemError(`${where}: no closing ${c} in environment= for ${key}`)
        v += s.slice(i + 1, end)
        i = end + 1
      } else {
        v += c
        i++
      }
    }
    vars[key] = v.trim()
  }
  return vars
}

export interface SupervisordOptions {
  /** The configuration file's folder: %(here)s, and what a relative directory= is relative to. */
  here: string
  env: Record<string, string | undefined>
  hostname: string
}

const BOOLEAN: Record<string, boolean> = { true: true, yes: true, on: true, '1': true, false: false, no: false, off: false, '0': false }

/** Why a program setting has no Proctor equivalent, by setting. */
const UNMAPPED_WHY: Record<string, string> = {
  user: 'Proctor runs programs as the user it runs as',
  group: 'Proctor runs programs as the user it runs as',
  umask: 'Proctor does not set a umask',
  priority: 'Proctor orders starts by dependsOn, not by priority: add dependencies with `proctor programs edit`',
  redirect_stderr: 'Proctor keeps stdout and stderr apart in its own log (proctor logs NAME --stream)',
  stdout_logfile: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  stderr_logfile: "Proctor writes output to its own rotated log in the data folder (proctor logs NAME)",
  stdout_capture_maxbytes: 'no capture mode in Proctor',
  stderr_capture_maxbytes: 'no capture mode in Proctor',
  stdout_events_enabled: 'no event listeners in Proctor',
  stderr_events_enabled: 'no event listeners in Proctor',
  stdout_syslog: 'Proctor does not write to syslog',
  stderr_syslog: 'Proctor does not write to syslog',
  serverurl: 'no XML-RPC server in Proctor',
}

/** Settings of a [program:x] that feed the mapping (the rest are unmapped). */
const MAPPED = new Set([
  'command', 'process_name', 'numprocs', 'numprocs_start', 'directory', 'environment', 'autostart', 'autorestart', 'startsecs', 'startretries',
  'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stderr_logfile_maxbytes',
  'stderr_logfile_backups', 'exitcodes',
])

function sectionWhy(name: string): string {
  if (name.startsWith('group:')) return 'groups are not imported (their programs are)'
  if (name.startsWith('eventlistener:')) return 'event listeners are not programs Proctor runs'
  if (name.startsWith('fcgi-program:')) return 'FastCGI programs (a shared socket) are not imported'
  if (name === 'include') return 'included files are not read: import each of them'
  return "supervisord's own settings"
}

function absolute(here: string, dir: string): string {
  if (dir.startsWith('/')) return dir
  const parts = here.split('/')
  for (const part of dir.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/') || '/'
}

export function importSupervisord(text: string, o: SupervisordOptions): Imported {
  const sections = parseIni(text)
  const programs: ImportedProgram[] = []
  const unmapped: Unmapped[] = []
  const problems: Imported['problems'] = []
  const envVars = Object.fromEntries(Object.entries(o.env).map(([k, v]) => [`ENV_${k}`, v]))
  for (const section of sections) {
    if (!section.name.startsWith('program:')) {
      unmapped.push({ field: `[${section.name}]`, value: [...section.values.keys()].join(', '), why: sectionWhy(section.name) })
      continue
    }
    const source = section.name.slice('program:'.length)
    const get = (key: string) => section.values.get(key)?.value
    const at = (key: string) => `[${section.name}] ${key} (line ${section.values.get(key)?.line ?? section.line})`
    for (const [key, { value }] of section.values) {
      if (MAPPED.has(key)) continue
      unmapped.push({ program: source, field: key, value: shown(value), why: UNMAPPED_WHY[key] ?? 'not a [program:x] setting Proctor knows' })
    }
    try {
      const base = { here: o.here, program_name: source, group_name: source, host_node_name: o.hostname, ...envVars }
      const bool = (key: string, fallback: boolean): boolean => {
        const v = get(key)
        if (v === undefined) return fallback
        const b = BOOLEAN[expand(v, base, at(key)).toLowerCase()]
        if (b === undefined) throw new EcosystemError(`${at(key)}: ${JSON.stringify(v)} is not true or false`)
        return b
      }
      const int = (key: string, fallback: number): number => {
        const v = get(key)
        if (v === undefined) return fallback
        const e = expand(v, base, at(key))
        if (!/^\d+$/.test(e)) throw new EcosystemError(`${at(key)}: ${JSON.stringify(v)} is not a whole number`)
        return Number(e)
      }
      const size = (key: string): number | undefined => {
        const v = get(key)
        if (v === undefined) return undefined
        const b = sizeBytes(expand(v, base, at(key)))
        if (b === undefined) throw new EcosystemError(`${at(key)}: ${JSON.stringify(v)} is not a size (like 50MB)`)
        return b
      }
      const numprocs = int('numprocs', 1)
      const start = int('numprocs_start', 0)
      const processName = get('process_name') ?? '%(program_name)s'
      if (numprocs < 1) throw new EcosystemError(`${at('numprocs')}: must be at least 1`)
      if (numprocs > 1 && !processName.includes('%(process_num)')) {
        throw new EcosystemError(`${at('process_name')}: numprocs=${numprocs} needs %(process_num)s in process_name, or every copy has the same name`)
      }
      const command = get('command')
      if (command === undefined) throw new EcosystemError(`[${section.name}] (line ${section.line}) has no command=`)
      const autorestart = get('autorestart') === undefined ? 'unexpected' : expand(get('autorestart') as string, base, at('autorestart')).toLowerCase()
      const restart = autorestart === 'unexpected' ? 'on-failure' : BOOLEAN[autorestart] === true ? 'always' : BOOLEAN[autorestart] === false ? 'never' : undefined
      if (restart === undefined) throw new EcosystemError(`${at('autorestart')}: ${JSON.stringify(autorestart)} is not true, false or unexpected`)
      const exitcodes = get('exitcodes')
      if (exitcodes !== undefined && exitcodes.replace(/\s/g, '') !== '0') {
        unmapped.push({ program: source, field: 'exitcodes', value: exitcodes, why: 'Proctor counts exit 0 as success and any other exit as a failure' })
      }
      const signalText = get('stopsignal')
      const signal = (signalText ?? 'TERM').toUpperCase().replace(/^SIG/, '')
      if (!(STOP_SIGNALS as readonly string[]).includes(signal)) throw new EcosystemError(`${at('stopsignal')}: ${signalText} is not one of ${STOP_SIGNALS.join(', ')}`)
      const stopasgroup = bool('stopasgroup', false)
      const killasgroup = bool('killasgroup', stopasgroup)
      const maxBytes = size('stdout_logfile_maxbytes')
      const backups = get('stdout_logfile_backups') === undefined ? undefined : int('stdout_logfile_backups', 10)
      const logs: NonNullable<ProgramInput['logs']> = {}
      if (maxBytes !== undefined) {
        if (maxBytes === 0) unmapped.push({ program: source, field: 'stdout_logfile_maxbytes', value: '0', why: 'no rotation: Proctor always rotates its logs (10 MiB unless told)' })
        else if (maxBytes < 1024) unmapped.push({ program: source, field: 'stdout_logfile_maxbytes', value: String(maxBytes), why: 'Proctor rotates at 1 KiB at the least' })
        else logs.maxBytes = Math.min(maxBytes, 1024 ** 3)
      }
      if (backups !== undefined) logs.files = Math.min(100, backups + 1)
      for (const key of ['stderr_logfile_maxbytes', 'stderr_logfile_backups'] as const) {
        const v = get(key)
        if (v !== undefined && v !== get(key.replace('stderr', 'stdout'))) {
          unmapped.push({ program: source, field: key, value: v, why: "Proctor keeps one log per program: the stdout_logfile settings are the ones used" })
        }
      }
      const autostart = bool('autostart', true)
      const startSeconds = int('startsecs', 1)
      const attempts = int('startretries', 3)
      const stopTimeoutMs = int('stopwaitsecs', 10) * 1000
      if (!stopasgroup || !killasgroup) {
        // Proctor always signals the whole group; supervisord by default signals the process alone.
        if (section.values.has('stopasgroup') || section.values.has('killasgroup')) {
          unmapped.push({ program: source, field: stopasgroup ? 'killasgroup' : 'stopasgroup', value: 'false', why: "Proctor always signals the program's whole process group" })
        }
      }
      for (let num = start; num < start + numprocs; num++) {
        const vars = { ...base, process_num: num, numprocs }
        const name = expand(processName, vars, at('process_name'))
        const argv = shellWords(expand(command, vars, at('command')))
        if (argv.length === 0) throw new EcosystemError(`${at('command')}: the command is empty`)
        const env = get('environment') === undefined ? {} : parseEnvironment(expand(get('environment') as string, vars, at('environment')), at('environment'))
        const directory = get('directory')
        const program: ProgramInput = {
          name: programName(name),
          command: argv[0] as string,
          args: argv.slice(1),
          ...(directory !== undefined ? { cwd: absolute(o.here, expand(directory, vars, at('directory'))) } : {}),
          ...(Object.keys(env).length > 0 ? { env: { vars: env } } : {}),
          autostart,
          restart,
          startSeconds,
          maxRestartAttempts: attempts,
          stopSignal: signal as StopSignal,
          stopTimeoutMs,
          ...(Object.keys(logs).length > 0 ? { logs } : {}),
          tags: ['supervisord'],
        }
        programs.push({ source: numprocs > 1 ? `${source} (process ${num})` : source, program })
      }
    } catch (err) {
      if (!(err instanceof EcosystemError)) throw err
      problems.push({ program: source, message: err.message })
    }
  }
  const notes: string[] = []
  if (programs.length > 0) {
    notes.push(
      'startretries became the crash-loop limit (maxRestartAttempts): supervisord counts failed starts, Proctor restarts without a stable run',
      "supervisord retries after 1 s, 2 s, 3 s...; Proctor's delays come from its settings (restartDelayMs, the backoff multiplier) unless you set them",
    )
  }
  return checked({ format: 'supervisord', programs, unmapped, notes, problems })
}
