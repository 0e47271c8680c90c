import { EcosystemError } from './errors'

/**
 * The XDG autostart entry that starts the desktop app at login (Desktop
 * Entry Specification 1.5; autostart: the XDG Autostart Specification).
 * Pure: the edge knows the app's command, core/ecosystem writes the file.
 */

/** The flag the app starts with from the entry: straight to the tray, no window. */
export const START_HIDDEN_FLAG = '--hidden'

/** The file's name in the autostart folder. */
export const AUTOSTART_FILE = 'proctor.desktop'

/** Characters that make an Exec argument need double quotes (the spec's reserved characters). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/
/** A string value has no way to say these (tab, line feed and carriage return have escapes). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/
/** Inside double quotes, these take a backslash. */
const QUOTED_ESCAPE = /["`$\\]/g

/**
 * One Exec argument: bare when it can be, else double-quoted with `"`, `` ` ``,
 * `$` and `\` escaped; `%` doubled so no field code (%f, %u, ...) is read.
 */
function execArgument(arg: string): string {
  if (arg === '') return '""'
  const quoted = RESERVED.test(arg) ? `"${arg.replace(QUOTED_ESCAPE, (c) => `\\${c}`)}"` : arg
  return quoted.replaceAll('%', '%%')
}

/**
 * A string value: the spec's escapes for a value (backslash first, then
 * the whitespace that cannot stand in one line). Exec is unescaped this way
 * before its quoting is read, so its backslashes are doubled twice in all.
 */
function stringValue(value: string): string {
  return value.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c)
}

/** The Exec line's value for an argv: the program (an absolute path) and its arguments. */
export function execLine(argv: readonly string[]): string {
  const [program] = argv
  if (program === undefined || !program.startsWith('/')) throw new EcosystemError(`the autostart command must start with an absolute path, got ${JSON.stringify(program ?? '')}`)
  const bad = argv.find((a) => CONTROL.test(a))
  if (bad !== undefined) throw new EcosystemError(`an argument of the autostart command holds a control character: ${JSON.stringify(bad)}`)
  return stringValue(argv.map(execArgument).join(' '))
}

/** The whole entry: the app started with `argv` (START_HIDDEN_FLAG among its arguments) at every login. */
export function autostartEntry(argv: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=Proctor',
    'Comment=Process monitor and supervisor, started in the tray',
    `Exec=${execLine(argv)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}
