import type { ProcessState } from '../../../../shared/types/process'

/**
 * Pure parsers for /proc text, tested on captured files. Hand-written
 * rather than generic splitting because they run for every process on
 * every refresh.
 */

export interface ProcStat {
  pid: number
  /** Byte range of the command name inside the buffer that was scanned. */
  commStart: number
  commEnd: number
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

const STATE_BY_CODE: ProcessState[] = []
for (const letter of 'RSDZTtIXx') STATE_BY_CODE[letter.charCodeAt(0)] = parseState(letter)

/**
 * /proc/PID/stat, scanned from bytes into `out` without building strings:
 * this runs for every process on every refresh. The command name sits in
 * parentheses and may itself hold spaces and parentheses, so fields are
 * counted from the last ')'. Returns false for text that is cut short.
 */
export function scanStat(buf: Uint8Array, length: number, out: ProcStat): boolean {
  let close = length - 1
  while (close > 0 && buf[close] !== 0x29) close--
  let open = 0
  while (open < close && buf[open] !== 0x28) open++
  if (close <= open || close + 2 >= length) return false
  let pid = 0
  for (let i = 0; i < open - 1; i++) pid = pid * 10 + ((buf[i] ?? 48) - 48)
  out.pid = pid
  out.commStart = open + 1
  out.commEnd = close
  out.state = STATE_BY_CODE[buf[close + 2] ?? 0] ?? 'unknown'
  // Fields 4.. of proc(5), each a possibly negative integer; stop after rss (24).
  let field = 4
  let i = close + 4
  while (field <= 24) {
    if (i >= length) return false
    let neg = false
    if (buf[i] === 0x2d) {
      neg = true
      i++
    }
    let v = 0
    let c = buf[i] ?? 32
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48)
      c = buf[++i] ?? 32
    }
    if (neg) v = -v
    switch (field) {
      case 4: out.ppid = v; break
      case 9: out.flags = v; break
      case 14: out.utimeTicks = v; break
      case 15: out.stimeTicks = v; break
      case 18: out.priority = v; break
      case 19: out.nice = v; break
      case 20: out.threads = v; break
      case 22: out.startTicks = v; break
      case 23: out.vsizeBytes = v; break
      case 24: out.rssPages = v; break
    }
    field++
    i++ // the space
  }
  return true
}

/**
 * Resident pages from /proc/PID/statm (`size resident shared text lib data
 * dt`, in pages): the second field, or -1 for text that does not hold it.
 * Exact on recent kernels, unlike the RSS field of /proc/PID/stat, which
 * since Linux 6.2 reads a per-CPU counter's approximate sum (a `sleep`
 * read 1552 KiB there against 1784 KiB of VmRSS).
 */
export function scanStatmResident(buf: Uint8Array, length: number): number {
  let i = 0
  while (i < length && buf[i] !== 0x20) i++
  i++
  if (i >= length) return -1
  let v = 0
  let digits = 0
  for (let c = buf[i] ?? 0; c >= 48 && c <= 57; c = buf[++i] ?? 0) {
    v = v * 10 + (c - 48)
    digits++
  }
  return digits > 0 ? v : -1
}

const TGID = Buffer.from('\nTgid:', 'latin1')

/** The thread group (process) id in /proc/PID/status, or -1: a pid that is a thread has another. */
export function scanStatusTgid(buf: Uint8Array, length: number): number {
  for (let at = 0; at + TGID.length < length; at++) {
    let i = 0
    while (i < TGID.length && buf[at + i] === TGID[i]) i++
    if (i < TGID.length) continue
    let j = at + i
    while (j < length && (buf[j] === 0x20 || buf[j] === 0x09)) j++
    let v = 0
    const start = j
    for (let c = buf[j] ?? 0; j < length && c >= 48 && c <= 57; c = buf[++j] ?? 0) v = v * 10 + (c - 48)
    return j > start ? v : -1
  }
  return -1
}

export function emptyStat(): ProcStat {
  return {
    pid: 0, commStart: 0, commEnd: 0, state: 'unknown', ppid: 0, flags: 0, utimeTicks: 0, stimeTicks: 0,
    priority: 0, nice: 0, threads: 0, startTicks: 0, vsizeBytes: 0, rssPages: 0,
  }
}

/** String form for tests and one-off reads. */
export function parseStat(text: string): (ProcStat & { comm: string }) | undefined {
  const buf = Buffer.from(text, 'latin1')
  const out = emptyStat()
  if (!scanStat(buf, buf.length, out)) return undefined
  return { ...out, comm: buf.toString('latin1', out.commStart, out.commEnd) }
}

/** read_bytes / write_bytes of /proc/PID/io: what reached storage. */
export function parseIo(text: string): { readBytes: number; writeBytes: number } | undefined {
  const buf = Buffer.from(text, 'latin1')
  const out = { readBytes: 0, writeBytes: 0 }
  return scanIo(buf, buf.length, out) ? out : undefined
}

const READ_BYTES = Buffer.from('read_bytes: ', 'latin1')
const WRITE_BYTES = Buffer.from('write_bytes: ', 'latin1')

/** The number after `label` at the start of a line, or -1. */
function lineValue(buf: Uint8Array, length: number, label: Uint8Array): number {
  let line = 0
  while (line < length) {
    let i = 0
    while (i < label.length && line + i < length && buf[line + i] === label[i]) i++
    if (i === label.length) {
      let v = 0
      let digits = 0
      for (let j = line + i, c = buf[j] ?? 0; c >= 48 && c <= 57; c = buf[++j] ?? 0) {
        v = v * 10 + (c - 48)
        digits++
      }
      return digits > 0 ? v : -1
    }
    while (line < length && buf[line] !== 0x0a) line++
    line++
  }
  return -1
}

/**
 * /proc/PID/io scanned from bytes into `out`, without strings: it is read
 * every tick for every process that ran. False when a field is missing.
 */
export function scanIo(buf: Uint8Array, length: number, out: { readBytes: number; writeBytes: number }): boolean {
  const r = lineValue(buf, length, READ_BYTES)
  const w = lineValue(buf, length, WRITE_BYTES)
  if (r < 0 || w < 0) return false
  out.readBytes = r
  out.writeBytes = w
  return true
}

/** The last pid the kernel allocated: the fifth field of /proc/loadavg. */
export function parseLastPid(loadavg: string): number | undefined {
  const m = /^\S+ \S+ \S+ \S+ (\d+)/.exec(loadavg)
  return m ? Number(m[1]) : undefined
}

/** Soft "Max open files" of /proc/self/limits ("unlimited" as Infinity). */
export function parseOpenFileLimit(limits: string): number | undefined {
  const m = /^Max open files\s+(\S+)/m.exec(limits)
  if (!m) return undefined
  return m[1] === 'unlimited' ? Infinity : Number(m[1])
}

/** /proc/PID/cmdline: NUL-separated arguments, joined by spaces as ps shows them. */
export function parseCmdline(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--
  return text.slice(0, end).replace(/\0/g, ' ')
}

/** USER_HZ, the unit of /proc tick counters: 100 on every Linux architecture Proctor runs on. */
export const TICK_MS = 10

/**
 * A process's wall-clock start, ms since the epoch, from boot time and its
 * start in ticks. The reader and the action probe must agree on it exactly:
 * it is half of a process's identity.
 */
export function startTimeMs(bootTimeMs: number, startTicks: number): number {
  return Math.round(bootTimeMs + startTicks * TICK_MS)
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
