import { formatDelay, scheduleDelays, type RestartSchedule } from '../supervisor/schedule'
import { programArgv, type Program } from '../supervisor/program'
import { EcosystemError } from './errors'

/**
 * A program as a systemd user unit (systemd.service(5)), and a small
 * parser of unit files (systemd.syntax(7)) that reads back what the writer
 * wrote: the round trip is how the quoting is tested. Pure: the CLI finds
 * the program, the owner's restart settings and the executable's path.
 */

export interface SystemdOptions {
  /** The program's restart numbers, its own first and the owner's settings for what it leaves out. */
  schedule: RestartSchedule
  /** The executable as an absolute path, when the CLI found it in PATH: systemd searches its own PATH, not the user's. */
  executable?: string
  /** Unit names are PREFIX + program name (`proctor-web.service`), dependencies too. */
  prefix?: string
  /** The first comment lines (how it was made, where to put it). */
  header?: string[]
  description?: string
}

export interface Exported {
  /** The file's text. */
  text: string
  /** The file's name: where it goes is the caller's (a user unit folder, LaunchAgents). */
  fileName: string
  /** What the format could not say, one sentence each. */
  notes: string[]
}

export const UNIT_PREFIX = 'proctor-'

const SIGNALS: Record<Program['stopSignal'], string> = {
  TERM: 'SIGTERM',
  INT: 'SIGINT',
  QUIT: 'SIGQUIT',
  HUP: 'SIGHUP',
  KILL: 'SIGKILL',
  USR1: 'SIGUSR1',
  USR2: 'SIGUSR2',
}

/** `5s`, `1500ms`: systemd's time span, exact. */
export function timeSpan(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/** C-style escapes for a quoted word: backslash, quote, and every control character. */
function cEscape(s: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  return s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\'
      case '"':
        return '\\"'
      case '\n':
        return '\\n'
      case '\t':
        return '\\t'
      case '\r':
        return '\\r'
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
    }
  })
}

/** `%` starts a specifier everywhere in a unit file; `%%` is one percent sign. */
function noSpecifiers(s: string): string {
  return s.replace(/%/g, '%%')
}

const PLAIN_WORD = /^[A-Za-z0-9_+=:,./@-]+$/

/**
 * One word of ExecStart=: `%` doubled (specifiers), `$` doubled (variable
 * substitution), quoted with C escapes unless plain, and a lone `;` (which
 * would end the command) escaped as `\;`.
 */
export function execWord(word: string): string {
  if (word === ';') return '\\;'
  const doubled = noSpecifiers(word).replace(/\$/g, '$$$$')
  return PLAIN_WORD.test(word) ? doubled : `"${cEscape(doubled)}"`
}

/** A value that runs to the end of its line (Description=, WorkingDirectory=): one line, specifiers doubled. */
function lineValue(value: string, what: string): string {
  if (/[\n\r]/.test(value)) throw new EcosystemError(`${what} holds a line break, which a unit file cannot hold`)
  return noSpecifiers(value)
}

/** A directory or file name made absolute against `cwd` ("./run.sh" in /srv/app is /srv/app/run.sh). */
function absoluteFrom(cwd: string | undefined, path: string): string {
  if (path.startsWith('/')) return path
  const parts = (cwd ?? '/').split('/')
  for (const part of path.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/') || '/'
}

/** Burst and window of systemd's start limit that end in failure where Proctor's crash-loop limit ends in fatal. */
export function startLimit(s: RestartSchedule): { burst: number; intervalMs: number } {
  // Fatal after maxAttempts restarts with no run of stableMs between them: the first start and
  // those restarts, each run shorter than stableMs and each restart after its delay, fit in this window.
  const delays = scheduleDelays(s).reduce((a, b) => a + b, 0)
  return { burst: s.maxAttempts + 1, intervalMs: (s.maxAttempts + 1) * s.stableMs + delays }
}

export function systemdUnit(p: Program, o: SystemdOptions): Exported {
  const prefix = o.prefix ?? UNIT_PREFIX
  const notes: string[] = []
  const argv = programArgv(p)
  let executable = o.executable ?? argv[0]
  if (!executable.startsWith('/') && executable.includes('/')) {
    executable = absoluteFrom(p.cwd, executable)
    notes.push(`the command ${argv[0]} is relative to the working directory: ExecStart names it as ${executable}`)
  } else if (!executable.startsWith('/')) {
    notes.push(`systemd looks ${executable} up in its own PATH (/usr/local/bin:/usr/bin:/bin...), not yours: put its absolute path in ExecStart if it lives elsewhere`)
  }
  if (/^[-@:+!]/.test(executable)) throw new EcosystemError(`the command ${JSON.stringify(executable)} starts with ${executable[0]}, which systemd reads as an ExecStart= prefix: give its path (./${executable})`)
  const exec = [executable, ...argv.slice(1)].map(execWord).join(' ')
  const unit: string[] = [`Description=${lineValue(o.description ?? `${p.name} (exported from Proctor)`, 'the description')}`]
  for (const dep of p.dependsOn) {
    unit.push(`After=${prefix}${dep.name}.service`, `Requires=${prefix}${dep.name}.service`)
    if (dep.condition !== 'started') notes.push(`systemd waits for ${dep.name} to be started, not ${dep.condition}: Proctor's readiness and health checks are not exported`)
  }
  const service: string[] = ['Type=simple', `ExecStart=${exec}`]
  if (p.cwd !== undefined) service.push(`WorkingDirectory=${lineValue(p.cwd, 'the working directory')}`)
  for (const [name, value] of Object.entries(p.env.vars)) {
    service.push(`Environment="${cEscape(noSpecifiers(`${name}=${value}`))}"`)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) notes.push(`older systemd refuses the variable name ${JSON.stringify(name)} (letters, digits and _ only)`)
  }
  if (p.env.mode === 'replace') notes.push("the program replaces Proctor's whole environment; systemd adds these variables to the user manager's environment instead")
  const s = o.schedule
  if (s.policy === 'never') {
    service.push('Restart=no')
  } else {
    service.push(`Restart=${s.policy === 'on-failure' ? 'on-failure' : 'always'}`, `RestartSec=${timeSpan(s.delayMs)}`)
    const limit = startLimit(s)
    unit.push(`StartLimitIntervalSec=${timeSpan(limit.intervalMs)}`, `StartLimitBurst=${limit.burst}`)
    if (s.multiplier > 1 && s.delayMs > 0 && s.maxDelayMs > s.delayMs) {
      const steps = Math.ceil(Math.log(s.maxDelayMs / s.delayMs) / Math.log(s.multiplier))
      service.push(
        `# Proctor backs off x${s.multiplier} per restart up to ${formatDelay(s.maxDelayMs)}; systemd 254 and later can too, with:`,
        `# RestartSteps=${steps}`,
        `# RestartMaxDelaySec=${timeSpan(s.maxDelayMs)}`,
      )
    }
  }
  service.push('KillMode=control-group', `KillSignal=${SIGNALS[p.stopSignal]}`, `TimeoutStopSec=${timeSpan(p.stopTimeoutMs)}`)
  if (p.ready) notes.push(`the readiness check (${p.ready.kind}) is not exported: systemd counts the program started once it runs`)
  if (p.health.checks.length > 0) notes.push(`health checks (${p.health.checks.map((c) => c.kind).join(', ')}) are not exported: systemd restarts on exit only`)
  notes.push(`its output goes to the journal (journalctl --user -u ${prefix}${p.name}), without Proctor's log rotation`)
  const header = (o.header ?? []).map((l) => `# ${l}`.trimEnd())
  const text = [...header, '[Unit]', ...unit, '', '[Service]', ...service, '', '[Install]', 'WantedBy=default.target', ''].join('\n')
  return { text, fileName: `${prefix}${p.name}.service`, notes }
}

// ---- reading unit files back ----

export interface UnitFile {
  /** Section name -> its assignments in order (a key may repeat: Environment=, After=). */
  sections: Map<string, Array<[string, string]>>
}

/** Sections and assignments of a unit file: comments dropped, continued lines joined, bad lines named. */
export function parseUnitFile(text: string): UnitFile {
  const sections = new Map<string, Array<[string, string]>>()
  let current: Array<[string, string]> | undefined
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1
    let line = (lines[i] ?? '').replace(/\r$/, '')
    if (/^\s*[#;]/.test(line) || line.trim() === '') continue
    // A backslash at the end continues the line; it becomes a space.
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = `${line.slice(0, -1)} ${lines[++i] ?? ''}`
    }
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)
    if (header) {
      current = sections.get(header[1] as string) ?? []
      sections.set(header[1] as string, current)
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new EcosystemError(`line ${start}: expected [Section] or Key=Value, got ${JSON.stringify(line)}`)
    if (!current) throw new EcosystemError(`line ${start}: ${JSON.stringify(line)} is outside any [Section]`)
    current.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()])
  }
  return { sections }
}

/** Every value of `key` in `section`, in order. */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  return (unit.sections.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v)
}

/** `%%` as `%`; any other specifier is one this writer never writes. */
export function resolveSpecifiers(value: string): string {
  return value.replace(/%(.)/g, (all, c: string) => {
    if (c === '%') return '%'
    throw new EcosystemError(`unsupported specifier ${all} in ${JSON.stringify(value)}`)
  })
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', s: ' ', '\\': '\\', '"': '"', "'": "'" }

/**
 * Words as systemd's extract_first_word splits them with unquoting and C
 * unescaping: whitespace separates, quotes may open anywhere in a word,
 * `\xNN`, octal `\NNN`, `\n`... decode. With `exec` (ExecStart=), the raw
 * text is checked first as systemd's config_parse_exec does: a token that
 * is exactly `\;` is the argument `;`, and a lone `;` separates commands
 * (which this writer never does, so it is refused).
 */
export function unitWords(value: string, exec = false): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: string | undefined
  const bytes: number[] = []
  const flushBytes = () => {
    if (bytes.length) word += new TextDecoder().decode(new Uint8Array(bytes.splice(0)))
  }
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string
    const tokenEnds = (at: number) => at >= value.length || /\s/.test(value[at] as string)
    if (exec && !quote && !inWord && tokenEnds(i + (c === ';' ? 1 : 2)) && (c === ';' || (c === '\\' && value[i + 1] === ';'))) {
      if (c === ';') throw new EcosystemError(`a lone ; separates commands in ExecStart=${value}`)
      words.push(';')
      i++
      continue
    }
    if (c === '\\') {
      const n = value[i + 1]
      if (n === undefined) throw new EcosystemError(`a backslash ends ${JSON.stringify(value)}`)
      if (n === 'x') {
        const hex = value.slice(i + 2, i + 4)
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new EcosystemError(`bad \\x escape in ${JSON.stringify(value)}`)
        bytes.push(parseInt(hex, 16))
        i += 3
      } else if (/[0-7]/.test(n)) {
        const oct = value.slice(i + 1, i + 4)
        if (!/^[0-7]{3}$/.test(oct)) throw new EcosystemError(`bad octal escape in ${JSON.stringify(value)}`)
        bytes.push(parseInt(oct, 8))
        i += 3
      } else if (SIMPLE_ESCAPES[n] !== undefined) {
        flushBytes()
        word += SIMPLE_ESCAPES[n]
        i++
      } else {
        throw new EcosystemError(`unknown escape \\${n} in ${JSON.stringify(value)}`)
      }
      inWord = true
      continue
    }
    flushBytes()
    if (quote) {
      if (c === quote) quote = undefined
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  flushBytes()
  if (quote) throw new EcosystemError(`no closing ${quote} in ${JSON.stringify(value)}`)
  if (inWord) words.push(word)
  return words
}

/** ExecStart='s argv: specifiers, words (a bare `\;` as `;`), `$$` as `$` (a `$VAR` is one this writer never writes). */
export function parseExecStart(value: string): string[] {
  return unitWords(resolveSpecifiers(value), true).map((w) => {
    return w.replace(/\$(\$|\{?[A-Za-z_])/g, (all, next: string) => {
      if (next === '$') return '$'
      throw new EcosystemError(`variable substitution ${all}... in ExecStart=${value}`)
    })
  })
}

/** Environment= lines as variables. */
export function parseEnvironment(values: string[]): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const value of values) {
    for (const word of unitWords(resolveSpecifiers(value))) {
      const eq = word.indexOf('=')
      if (eq <= 0) throw new EcosystemError(`Environment= word ${JSON.stringify(word)} is not NAME=VALUE`)
      vars[word.slice(0, eq)] = word.slice(eq + 1)
    }
  }
  return vars
}
