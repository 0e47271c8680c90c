import { readdirSync, readFileSync } from 'node:fs'
import { sleep } from './measure'
import { pidExists } from '../src/main/core/processes/signalZero'

/**
 * What the supervise case reads of /proc: markers that name every program
 * it starts, a watch for the process a supervisor starts again, a daemon's
 * CPU over all its threads and its resident memory, and the sweep that
 * leaves nothing behind.
 *
 * Every program the case starts carries one marker argument, a number
 * (`sleep 100000 0.777PPPPPPPSRIII` sleeps 100000.0000...s: sleep adds its
 * arguments): 777, the bench's pid on 7 digits, the supervisor (S), the
 * program's role (R) and its index (III). One scan of the command lines
 * finds any of them, and a later run can tell the leftovers of a killed
 * run by the pid in them.
 */

const TAG = '0.777'
const runTag = `${TAG}${String(process.pid).padStart(7, '0')}`

export const ROLES = { idle: 1, restart: 2, orphanMain: 3, orphanInGroup: 4, orphanSetsid: 5, orphanDoubleFork: 6 } as const
export type Role = keyof typeof ROLES

/** The marker argument of program `index` in `role` under supervisor number `peer` (1..9). */
export function marker(peer: number, role: Role, index = 0): string {
  return `${runTag}${peer}${ROLES[role]}${String(index).padStart(3, '0')}`
}

function pids(): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    const c = entry.charCodeAt(0)
    if (c >= 48 && c <= 57) out.push(Number(entry))
  }
  return out
}

function cmdline(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'latin1')
    return text.length === 0 ? undefined : text.split('\0')
  } catch {
    return undefined
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat[stat.lastIndexOf(')') + 2] === 'Z'
  } catch {
    return true
  }
}

/** Live processes carrying a marker that starts with `prefix`: marker -> pids. */
export function findMarked(prefix: string = runTag): Map<string, number[]> {
  const found = new Map<string, number[]>()
  for (const pid of pids()) {
    const arg = cmdline(pid)?.find((a) => a.startsWith(prefix))
    if (arg === undefined || isZombie(pid)) continue
    found.set(arg, [...(found.get(arg) ?? []), pid])
  }
  return found
}

/** How many live processes carry one of `markers`. */
export function countMarked(markers: readonly string[]): number {
  const found = findMarked()
  return markers.reduce((n, m) => n + (found.get(m)?.length ?? 0), 0)
}

/** KILLs every live process carrying one of this run's markers; how many. Synchronous: safe in an 'exit' handler. */
export function killMarked(prefix: string = runTag): number {
  let n = 0
  for (const list of findMarked(prefix).values()) {
    for (const pid of list) {
      try {
        process.kill(pid, 'SIGKILL')
        n++
      } catch {
        // gone meanwhile
      }
    }
  }
  return n
}

/**
 * Leftovers of earlier runs that were killed before they could clean up:
 * marked programs whose bench pid is gone, and daemons whose command line
 * names a bench temp folder of a pid that is gone. KILLed; how many.
 */
export function sweepStale(tempPrefix: string): number {
  const stale = (pid: number) => pid > 0 && pid !== process.pid && !pidExists(pid)
  let n = 0
  for (const pid of pids()) {
    const args = cmdline(pid)
    if (!args) continue
    const mark = args.find((a) => a.startsWith(TAG) && a.length === runTag.length + 5)
    const folder = args.map((a) => a.match(new RegExp(`${tempPrefix}(\\d+)-`))).find((m) => m)
    const owner = mark !== undefined ? Number(mark.slice(TAG.length, TAG.length + 7)) : folder ? Number(folder[1]) : 0
    if (stale(owner)) {
      try {
        process.kill(pid, 'SIGKILL')
        n++
      } catch {
        // gone meanwhile
      }
    }
  }
  return n
}

/**
 * Waits for a process that did not exist when the watch began to show
 * `mark` in its command line: a restart found within about a millisecond.
 * /proc is listed each poll and only pids new since the watch began are
 * read. A new pid with the daemon's own command line is its fork before the
 * exec (on a busy machine that can last long), and one with none is in
 * the middle of its exec: read again. Any other command line rules the pid
 * out.
 */
export class NewProcessWatch {
  private readonly known: Set<number>
  private readonly daemonCmdline: string

  constructor(daemonPid: number) {
    this.known = new Set(pids())
    this.daemonCmdline = cmdline(daemonPid)?.join('\0') ?? ''
  }

  async waitFor(mark: string, timeoutMs: number): Promise<{ pid: number; at: number } | undefined> {
    const deadline = performance.now() + timeoutMs
    while (performance.now() < deadline) {
      for (const pid of pids()) {
        if (this.known.has(pid)) continue
        const args = cmdline(pid)
        if (args?.includes(mark)) {
          this.known.add(pid)
          return { pid, at: performance.now() }
        }
        // No command line: gone, a zombie, or in the middle of its exec (read again).
        if (args === undefined ? isZombie(pid) : args.join('\0') !== this.daemonCmdline) this.known.add(pid)
      }
      await sleep(1)
    }
    return undefined
  }
}

/** CPU time of every thread of a process, ms, from each task's schedstat (ns): a finer figure than stat's 10 ms ticks. */
export function threadsCpuMs(pid: number): number | undefined {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return undefined
  }
  let ns = 0
  for (const tid of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0])
    } catch {
      // a thread that ended meanwhile
    }
  }
  return ns / 1e6
}

/** Resident memory of a process, MiB (VmRSS); undefined if it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))
    return m ? Number(m[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

/** Percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
