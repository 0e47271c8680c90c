import type { ProcessState } from '../../../../shared/types/process'

/**
 * Pure parsers for /proc text, tested on captured files. Hand-written
 * rather than generic splitting because they run for every process on
 * every refresh.
 */

export interface ProcStat {
  pid: number
  comm: string
  state: ProcessState
  ppid: number
  flags: number
  utimeTicks: number
  stimeTicks: number
  priority: number
  nice: number
  threads: number
  startTicks: number
  vsizeBytes: number
  rssPages: number
}

const PF_KTHREAD = 0x00200000

export function isKernelThreadFlags(flags: number): boolean {
  return (flags & PF_KTHREAD) !== 0
}

export function parseState(letter: string): ProcessState {
  switch (letter) {
    case 'R':
      return 'running'
    case 'S':
      return 'sleeping'
    case 'D':
      return 'disk-wait'
    case 'Z':
      return 'zombie'
    case 'T':
      return 'stopped'
    case 't':
      return 'tracing'
    case 'I':
      return 'idle'
    case 'X':
    case 'x':
      return 'dead'
    default:
      return 'unknown'
  }
}

/**
 * /proc/PID/stat. The command name sits in parentheses and may itself hold
 * spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  const f = text.slice(close + 2).split(' ')
  // f[0] is field 3 (state) of proc(5); field n is f[n - 3].
  if (f.length < 22) return undefined
  return {
    pid: Number(text.slice(0, open - 1)),
    comm: text.slice(open + 1, close),
    state: parseState(f[0] ?? ''),
    ppid: Number(f[1]),
    flags: Number(f[6]),
    utimeTicks: Number(f[11]),
    stimeTicks: Number(f[12]),
    priority: Number(f[15]),
    nice: Number(f[16]),
    threads: Number(f[17]),
    startTicks: Number(f[19]),
    vsizeBytes: Number(f[20]),
    rssPages: Number(f[21]),
  }
}

/** /proc/PID/cmdline: NUL-separated arguments, joined by spaces as ps shows them. */
export function parseCmdline(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--
  return text.slice(0, end).replace(/\0/g, ' ')
}

/** `btime` (boot time, s since the epoch) from /proc/stat. */
export function parseBootTime(procStat: string): number | undefined {
  const m = /^btime (\d+)$/m.exec(procStat)
  return m ? Number(m[1]) : undefined
}

/** A field of /proc/meminfo in bytes (values are kB). */
export function parseMeminfoField(meminfo: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(meminfo)
  return m ? Number(m[1]) * 1024 : undefined
}

/** uid -> user name from /etc/passwd. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const parts = line.split(':')
    const uid = Number(parts[2])
    if (parts[0] && Number.isInteger(uid) && !users.has(uid)) users.set(uid, parts[0])
  }
  return users
}

/**
 * A better name than comm, which the kernel cuts at 15 characters: the
 * basename of argv[0] when comm is a prefix of it.
 */
export function displayName(comm: string, cmdline: string): string {
  if (comm.length < 15 || !cmdline) return comm
  const argv0 = cmdline.split(' ', 1)[0] ?? ''
  const base = argv0.slice(argv0.lastIndexOf('/') + 1)
  return base.startsWith(comm) ? base : comm
}
