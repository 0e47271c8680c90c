import type { ProcessState } from '../../../../shared/types/process'

/**
 * Pure parsers for single `ps` fields. They accept every form macOS's BSD
 * ps prints and the forms Linux procps prints, because the same argv is
 * exercised against procps in tests (this machine has no macOS).
 */

/**
 * CPU time to ms. macOS prints `M:SS.cc` with unbounded minutes
 * (`0:00.01`, `126:16.73`); procps prints `[DD-]HH:MM:SS`; `H:MM:SS.cc`
 * is accepted too. Fractions are decimal seconds of any precision.
 */
export function parseCpuTime(text: string): number | undefined {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d{2})(?:\.(\d+))?$/.exec(text)
  if (!m) return undefined
  const days = Number(m[1] ?? 0)
  const hours = Number(m[2] ?? 0)
  const minutes = Number(m[3])
  const seconds = Number(m[4])
  if (seconds > 59) return undefined
  const fractionMs = m[5] ? Number(m[5].slice(0, 3).padEnd(3, '0')) : 0
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + fractionMs
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * `lstart` (strftime `%c` in the C locale: `Wed Nov 26 06:47:05 2026`,
 * day padded with a space) as ms since the epoch, read in local time as ps
 * wrote it. Takes the five whitespace-separated tokens.
 */
export function parseLstart(tokens: readonly string[]): number | undefined {
  if (tokens.length !== 5) return undefined
  const [, monthName, dayText, clock, yearText] = tokens
  const month = MONTHS.indexOf(monthName ?? '')
  const hms = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(clock ?? '')
  if (month < 0 || !hms || !/^\d{1,2}$/.test(dayText ?? '') || !/^\d{4}$/.test(yearText ?? '')) return undefined
  const day = Number(dayText)
  const date = new Date(Number(yearText), month, day, Number(hms[1]), Number(hms[2]), Number(hms[3]))
  // Date rolls Feb 31 over to March; a rolled date means the text was not a date.
  if (date.getDate() !== day || date.getMonth() !== month) return undefined
  return date.getTime()
}

/**
 * The `state` column: its first letter is the run state, the rest are
 * flags. macOS letters per ps(1): R runnable, S sleeping < ~20 s, I idle
 * (sleeping longer; kept as 'idle' so nothing is lost), U uninterruptible
 * wait, T stopped (with the X flag: traced), Z zombie. D, t, X are procps'.
 */
export function parseState(stat: string): ProcessState {
  switch (stat.charAt(0)) {
    case 'R':
      return 'running'
    case 'S':
      return 'sleeping'
    case 'I':
      return 'idle'
    case 'U':
    case 'D':
      return 'disk-wait'
    case 'Z':
      return 'zombie'
    case 'T':
      return stat.includes('X', 1) ? 'tracing' : 'stopped'
    case 't':
      return 'tracing'
    case 'X':
      return 'dead'
    default:
      return 'unknown'
  }
}

/**
 * The display name, never cut. `comm` is the kernel's p_comm (ucomm): the
 * executable's file name cut at 16 bytes (MAXCOMLEN). Shorter, it is exact
 * and wins. At the limit it may be cut, so the full name is recovered from
 * the command line: argv[0] may hold spaces and ps joins argv with spaces,
 * so every prefix ending at a space is a candidate argv[0] whose basename
 * must start with comm. An app-bundle path (`X.app/Contents/MacOS/X`, as
 * every Chrome/Electron helper has) settles it; otherwise the shortest
 * candidate wins, which keeps positional arguments out of the name.
 */
export function displayName(comm: string | undefined, commMayBeCut: boolean, command: string): string {
  // ps prints `(p_comm)` when it cannot read the arguments, `<defunct>` for zombies.
  const unreadable = /^\((.+)\)$/.exec(command)?.[1]
  if (unreadable !== undefined || command === '<defunct>') return comm || unreadable || command
  if (comm && !commMayBeCut) return comm
  if (comm) {
    // A cut may have split a UTF-8 sequence; compare only the whole characters.
    const prefix = comm.replace(/\uFFFD+$/, '')
    if (!prefix || !command.includes(prefix)) return comm
    let first: string | undefined
    for (let end = command.indexOf(' '); ; end = command.indexOf(' ', end + 1)) {
      const stop = end < 0 ? command.length : end
      const base = command.slice(command.lastIndexOf('/', stop - 1) + 1, stop)
      if (base.startsWith(prefix)) {
        if (command.slice(0, stop).endsWith(`/${base}.app/Contents/MacOS/${base}`)) return base
        first ??= base
      }
      if (end < 0) break
    }
    return first ?? comm
  }
  // No comm column: the first word, without the `-` login shells get.
  const word = command.split(' ', 1)[0] ?? ''
  const argv0 = word.slice(word.lastIndexOf('/') + 1)
  return argv0.length > 1 && argv0.startsWith('-') ? argv0.slice(1) : argv0 || command
}
