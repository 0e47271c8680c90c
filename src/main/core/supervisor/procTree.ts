import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { TextFiles } from '../linux/textFiles'

/**
 * What the supervisor needs of a process from Linux's /proc: its parent and
 * group links, and its identity (pid + start time in ticks, field 22 of
 * /proc/PID/stat, which a reused pid does not share). Other platforms have
 * no /proc: there the functions find nothing, and a stop reaches the
 * program's process group only.
 */
export interface ProcEntry {
  pid: number
  ppid: number
  pgrp: number
  startTicks: number
  /** A zombie has exited and waits for its parent to reap it: it holds nothing and cannot be signalled. */
  zombie: boolean
  comm: string
}

/** /proc/PID/stat text as a ProcEntry; the name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseProcStat(text: string): ProcEntry | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  const fields = text.slice(close + 2).split(' ')
  // fields[0] is field 3 of proc(5): state, ppid, pgrp, ... starttime is field 22.
  const startTicks = Number(fields[19])
  if (fields.length < 20 || !Number.isFinite(startTicks)) return undefined
  return {
    pid: Number(text.slice(0, open - 1)),
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTicks,
    zombie: fields[0] === 'Z' || fields[0] === 'X',
    comm: text.slice(open + 1, close),
  }
}

/** One process now, or undefined when it is gone (or there is no /proc). */
export function readProc(pid: number): ProcEntry | undefined {
  return readStat(`/proc/${pid}/stat`)
}

/**
 * Whether a process has exited or is exiting: a zombie, or its memory
 * released already (vsize 0; Linux frees it before it closes the files, so
 * a server refusing connections may not be a zombie yet, and on a loaded
 * machine may stay between the two for a while). False without /proc.
 */
export function isExiting(pid: number): boolean {
  const text = statFiles.read(`/proc/${pid}/stat`)
  if (text === undefined) return false
  // Fields count from the last ')': the 1st after it is field 3 (state), the 21st field 23 (vsize).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return fields[0] === 'Z' || fields[0] === 'X' || fields[20] === '0'
}

/** Whether the process that had this identity still runs (a zombie does not). */
export function isRunning(pid: number, startTicks: number): boolean {
  const entry = readProc(pid)
  return entry !== undefined && entry.startTicks === startTicks && !entry.zombie
}

/** Processes read per turn of the event loop: a slice takes about a millisecond. */
const SLICE = 64
const statFiles = new TextFiles()

/**
 * Every process now; empty without /proc. Read synchronously in slices
 * with a turn of the event loop between them: one async read per process
 * goes through libuv's four threads and took 350 ms for 600 processes on a
 * busy machine, where these reads take a few ms in all.
 */
export async function scanProcs(): Promise<ProcEntry[]> {
  let names: string[]
  try {
    names = await readdir('/proc')
  } catch {
    return []
  }
  const entries: ProcEntry[] = []
  let inSlice = 0
  for (const name of names) {
    const c = name.charCodeAt(0)
    if (c < 48 || c > 57) continue
    const entry = readStat(`/proc/${name}/stat`)
    if (entry) entries.push(entry)
    if (++inSlice === SLICE) {
      inSlice = 0
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  return entries
}

function readStat(path: string): ProcEntry | undefined {
  const text = statFiles.read(path)
  return text === undefined ? undefined : parseProcStat(text)
}

/** Whether a process's environment holds `NAME=value` (false when it cannot be read: gone, or another user's). */
export async function environHas(pid: number, assignment: string): Promise<boolean> {
  try {
    const env = await readFile(`/proc/${pid}/environ`, 'latin1')
    return env.startsWith(`${assignment}\0`) || env.includes(`\0${assignment}\0`)
  } catch {
    return false
  }
}

/**
 * The processes `roots` and all their descendants, walked down through
 * /proc/PID/task/TID/children (every thread may have children): a cost in
 * the size of the tree, not of the machine, for the periodic look at a
 * running program. A single-threaded process (most programs) has one
 * children file, read without listing its threads: half the system calls
 * of a walk. Undefined where the kernel has no children files
 * (CONFIG_PROC_CHILDREN), so the caller scans the whole table instead.
 */
export function walkTree(roots: Iterable<number>): ProcEntry[] | undefined {
  const seen = new Set<number>()
  const out: ProcEntry[] = []
  const queue = [...roots]
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    if (seen.has(pid)) continue
    seen.add(pid)
    const text = statFiles.read(`/proc/${pid}/stat`)
    const entry = text === undefined ? undefined : parseProcStat(text)
    if (!entry || text === undefined) continue
    out.push(entry)
    let tids: string[]
    // A zombie leader's live threads hold its children: those are listed.
    if (!entry.zombie && threadsOf(text) === 1) tids = [String(pid)]
    else {
      try {
        tids = readdirSync(`/proc/${pid}/task`)
      } catch {
        continue
      }
    }
    for (const tid of tids) {
      const children = readWhole(`/proc/${pid}/task/${tid}/children`)
      if (children === undefined) {
        if (!childrenFilesExist()) return undefined
        continue
      }
      for (const child of children.split(' ')) if (child) queue.push(Number(child))
    }
  }
  return out
}

/** num_threads, field 20 of /proc/PID/stat. */
function threadsOf(statText: string): number {
  return Number(statText.slice(statText.lastIndexOf(')') + 2).split(' ', 18)[17])
}

const childrenBuf = Buffer.allocUnsafe(4096)

/**
 * A children file read to its end: a list longer than one read comes in
 * several (the kernel stops a read at a whole entry), so a short read is not
 * the end; an empty list costs one read. Undefined when it cannot be read.
 */
function readWhole(path: string): string | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }
  try {
    let text = ''
    for (let n = readSync(fd, childrenBuf, 0, childrenBuf.length, null); n > 0; n = readSync(fd, childrenBuf, 0, childrenBuf.length, null)) {
      text += childrenBuf.toString('latin1', 0, n)
    }
    return text
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

let haveChildrenFiles: boolean | undefined
function childrenFilesExist(): boolean {
  haveChildrenFiles ??= (() => {
    try {
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`)
      return true
    } catch {
      return false
    }
  })()
  return haveChildrenFiles
}
