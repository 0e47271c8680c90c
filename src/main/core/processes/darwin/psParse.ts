import type { RawProcess } from '../../../../shared/types/process'
import { displayName, parseCpuTime, parseLstart, parseState } from './psFields'

/**
 * Pure parsing of `ps -o` output, driven by a table of column specs so the
 * layout we run and the layouts of real captures (fixtures) go through the
 * same code.
 *
 * Why this layout (DARWIN_PS_LAYOUT). macOS ps cuts every text column that
 * is not last to its default width, whatever -ww says (adv_cmds ps/print.c:
 * `%-*.*s`), so exactly one column may hold a full string with spaces: the
 * last, `command`. The name then needs p_comm (`ucomm`), whose text may
 * itself hold spaces; ucomm is printed `%-16s` and p_comm never exceeds 16
 * bytes, so it is a fixed-width field and goes first, at byte offset 0,
 * where no right-justified number before it can shift it. Every other
 * column is a single whitespace-free token, except `lstart`, which is
 * always five tokens. Output is read as bytes (latin1) so widths are byte
 * counts; text fields are decoded as UTF-8 afterwards.
 */

export type PsKey =
  | 'pid'
  | 'ppid'
  | 'uid'
  | 'user'
  | 'state'
  | 'nice'
  | 'pri'
  | 'time'
  | 'rss'
  | 'vsz'
  | 'lstart'
  | 'ucomm'
  | 'command'
  | 'skip'

export interface PsColumn {
  /** The ps keyword, for `-o keyword=` and for documentation. */
  readonly keyword: string
  readonly key: PsKey
  /** Set for text columns ps pads or cuts to exactly this many bytes. */
  readonly width?: number
}

export interface PsLayout {
  readonly columns: readonly PsColumn[]
}

const col = (keyword: string, key: PsKey, width?: number): PsColumn => (width === undefined ? { keyword, key } : { keyword, key, width })

const runColumns = (ucommWidth: number): PsColumn[] => [
  col('ucomm', 'ucomm', ucommWidth),
  col('pid', 'pid'),
  col('ppid', 'ppid'),
  col('uid', 'uid'),
  col('user', 'user'),
  col('state', 'state'),
  col('nice', 'nice'),
  col('pri', 'pri'),
  col('time', 'time'),
  col('rss', 'rss'),
  col('vsz', 'vsz'),
  col('lstart', 'lstart'),
  col('command', 'command'),
]

/** The layout the darwin adapter runs: ucomm is MAXCOMLEN (16) bytes wide on macOS. */
export const DARWIN_PS_LAYOUT: PsLayout = { columns: runColumns(16) }

/** The same keywords as Linux procps prints them (ucomm is 15 wide there); used to run the argv in tests. */
export const PROCPS_PS_LAYOUT: PsLayout = { columns: runColumns(15) }

/** `ps` argv for a layout: every process, unlimited width, no header (all headers empty). */
export function psArgs(layout: PsLayout): string[] {
  return ['-axww', ...layout.columns.flatMap((c) => ['-o', `${c.keyword}=`])]
}

/** One parsed line; which fields are present depends on the layout. */
export interface PsRow {
  pid: number
  command: string
  ppid?: number
  uid?: number
  user?: string
  /** The whole state column, flags included (`Ss`, `U<s`, `R+`). */
  stat?: string
  nice?: number
  priority?: number
  cpuTimeMs?: number
  rssKiB?: number
  vszKiB?: number
  startTime?: number
  comm?: string
  /** comm filled its column, so the real name may be longer. */
  commMayBeCut?: boolean
}

const isBlank = (code: number): boolean => code === 32 || code === 9

/** Bytes read as latin1 back to text; ASCII (nearly every field) is returned as is. */
function utf8(bytes: string): string {
  return /[\x80-\xff]/.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes
}

function toInt(text: string): number | undefined {
  return /^-?\d+$/.test(text) ? Number(text) : undefined
}

/**
 * One line of output (a latin1 byte string) to a row, or undefined when it
 * does not fit the layout: a header, a truncated or foreign line.
 */
export function parsePsLine(line: string, layout: PsLayout): PsRow | undefined {
  const row: Partial<PsRow> = {}
  let pos = 0
  const token = (): string => {
    while (pos < line.length && isBlank(line.charCodeAt(pos))) pos++
    const start = pos
    while (pos < line.length && !isBlank(line.charCodeAt(pos))) pos++
    return line.slice(start, pos)
  }
  for (const [index, column] of layout.columns.entries()) {
    if (column.key === 'command') {
      while (pos < line.length && isBlank(line.charCodeAt(pos))) pos++
      row.command = utf8(line.slice(pos))
      pos = line.length
      break
    }
    let text: string
    if (column.width !== undefined) {
      // Left-justified fixed width: after the single separator space, exactly `width` bytes.
      const start = index === 0 ? 0 : pos + 1
      if (index > 0 && line.charCodeAt(pos) !== 32) return undefined
      if (start + column.width >= line.length || line.charCodeAt(start + column.width) !== 32) return undefined
      text = line.slice(start, start + column.width)
      pos = start + column.width
    } else if (column.key === 'lstart') {
      text = [token(), token(), token(), token(), token()].join(' ')
    } else {
      text = token()
    }
    if (text === '') return undefined
    if (!assign(row, column, text)) return undefined
  }
  if (row.pid === undefined || row.command === undefined || row.command === '') return undefined
  return row as PsRow
}

/** Stores one field; false when its text is not what the column prints. */
function assign(row: Partial<PsRow>, column: PsColumn, text: string): boolean {
  switch (column.key) {
    case 'pid': {
      const pid = toInt(text)
      if (pid === undefined || pid < 0) return false
      row.pid = pid
      return true
    }
    case 'ppid':
      return (row.ppid = toInt(text)) !== undefined
    case 'uid':
      // Apple prints uids with %d, so nobody is -2.
      return (row.uid = toInt(text)) !== undefined
    case 'nice':
      // procps prints '-' for real-time scheduling classes.
      return (row.nice = text === '-' ? 0 : toInt(text)) !== undefined
    case 'pri':
      return (row.priority = toInt(text)) !== undefined
    case 'rss':
      return (row.rssKiB = toInt(text)) !== undefined
    case 'vsz':
      return (row.vszKiB = toInt(text)) !== undefined
    case 'time':
      return (row.cpuTimeMs = parseCpuTime(text)) !== undefined
    case 'lstart':
      return (row.startTime = parseLstart(text.split(' '))) !== undefined
    case 'user':
      row.user = utf8(text)
      return true
    case 'state':
      row.stat = text
      return true
    case 'ucomm': {
      const comm = text.trimEnd()
      // 15 bytes may be a 16-byte cut that ended in a space ("VSCodium Helper ").
      row.commMayBeCut = comm.length >= (column.width ?? Infinity) - 1
      row.comm = utf8(comm)
      return comm !== ''
    }
    case 'command':
    case 'skip':
      return true
  }
}

/** Every line of ps output that fits the layout; lines that do not are skipped, never fatal. */
export function parsePsOutput(text: string, layout: PsLayout): PsRow[] {
  const rows: PsRow[] = []
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '') continue
    const row = parsePsLine(line, layout)
    if (row) rows.push(row)
  }
  return rows
}

/**
 * A row of the run layout as a RawProcess; undefined when a field the model
 * requires is missing. pid 0 is kernel_task, whose arguments ps cannot read
 * (it prints `(kernel_task)`); it gets the `[name]` command kernel threads
 * get on Linux. ps has no thread-count column on macOS, so threads is left
 * out.
 */
export function toRawProcess(row: PsRow): RawProcess | undefined {
  const { pid, ppid, uid, user, stat, nice, priority, cpuTimeMs, rssKiB, vszKiB, startTime } = row
  if (
    ppid === undefined ||
    uid === undefined ||
    user === undefined ||
    stat === undefined ||
    nice === undefined ||
    priority === undefined ||
    cpuTimeMs === undefined ||
    rssKiB === undefined ||
    vszKiB === undefined ||
    startTime === undefined
  ) {
    return undefined
  }
  const name = displayName(row.comm, row.commMayBeCut ?? false, row.command)
  const kernelThread = pid === 0
  return {
    pid,
    ppid,
    startTime,
    name,
    command: kernelThread && /^\(.*\)$/.test(row.command) ? `[${name}]` : row.command,
    user,
    uid,
    state: parseState(stat),
    nice,
    priority,
    cpuTimeMs,
    memoryBytes: rssKiB * 1024,
    virtualBytes: vszKiB * 1024,
    kernelThread,
  }
}
