import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import type { RawProcess, RawProcessSample } from '../../../../shared/types/process'
import { measurePageSize } from '../../linux/pageSize'
import { TextFiles } from '../../linux/textFiles'
import { readProcessDir } from './processDir'
import type { ProcessAdapter } from '../adapter'
import {
  displayName,
  parseCmdline,
  emptyStat,
  parseBootTime,
  parseOpenFileLimit,
  parseLastPid,
  parsePasswd,
  scanStat,
  scanIo,
  scanStatmResident,
  scanStatusTgid,
  startTimeMs,
  TICK_MS,
  type ProcStat,
} from './procParse'

/**
 * Linux adapter: reads /proc directly, with no child process per refresh.
 * Hand-written (systeminformation spawns `ps` and costs ~50x more) because
 * it runs every second for every process, and the kernel's work generating
 * each file is most of the cost. So:
 * - /proc/PID/stat, the only file read every tick, is read through a
 *   descriptor kept open per process (about half the cost of open/read/close,
 *   and it can never be confused with a later process reusing the pid: a
 *   read on it fails once its process is gone);
 * - what cannot change for one identity (command line, uid, user, exe) is
 *   read once;
 * - I/O counters, the open-file count and resident memory (statm: stat's
 *   RSS field is approximate on Linux 6.2 and later) are re-read only for
 *   processes that used CPU since the last tick (no syscalls, no I/O, no
 *   page faults) or every few seconds, staggered by pid so they do not all
 *   come due in the same tick; resident memory also when stat's
 *   approximate figure moved (the kernel reclaimed pages of a process that
 *   did not run);
 * - the /proc listing (a third of the cost at 2000 processes) is skipped
 *   when the kernel's last allocated pid (/proc/loadavg) has not moved: no
 *   process was created, and those that exited fail their kept-open read;
 * - it reads in slices (begin / readSome / end) so the adapter can yield to
 *   the event loop between them: the engine reads on its own thread, and
 *   2000 processes take about 15 ms of reading (`npm run bench`).
 */

/**
 * I/O and open files of an idle process are refreshed at least this often.
 * (Rates stay right in between: they are taken over the time between reads.)
 */
const SLOW_FIELDS_MAX_AGE_MS = 30_000
/** Even when no pid was allocated, list /proc every this many ticks (a process that could not be read once is retried). */
const FULL_LISTING_EVERY = 10
/** More pids allocated since the last tick than this (threads count too), and /proc is listed instead of probed. */
const MAX_PIDS_PROBED = 64
/**
 * Probing a pid that exists (a thread, mostly) costs about 30 µs (its
 * status); listing /proc about 0.9 µs an entry, and it holds some 50 that
 * are not pids (measured at 90 and 2000 processes). So fewer pids are probed
 * than that would cost: at ~90 processes a machine that keeps starting
 * threads allocates 10 to 20 pids a second, and probing them cost 0.3 ms a
 * tick against 0.08 ms for a listing.
 */
const PROBE_COST_ENTRIES = 36
const NON_PID_ENTRIES = 50
/**
 * A process that ran this many ticks in a row gets descriptors kept on its
 * io and statm too (a pread instead of open + read + close for each, every
 * tick it runs: 6 to 9 % less CPU for the engine at ~85 processes, measured
 * beside the version without them); they close once it has not run for
 * HOT_IDLE_TICKS.
 */
const HOT_AFTER_TICKS = 2
const HOT_IDLE_TICKS = 60
/** An unknown uid re-reads /etc/passwd at most this often: a uid with no entry must not cost a read per new process. */
const USERS_RELOAD_MS = 10_000

interface Tracked {
  startTicks: number
  /** startTimeMs of startTicks: part of the identity, fixed. */
  startTime: number
  /** The last reading returned, reused while nothing in it changed. */
  last: RawProcess | undefined
  /** The kernel's name (stat's comm) when first read: it changes on exec. */
  comm: Buffer
  /** Open descriptor on /proc/PID/stat, or -1 when over the descriptor budget. */
  fd: number
  seenTick: number
  name: string
  command: string
  /**
   * A user process whose command line read empty: caught inside exec (the
   * kernel renames it before the new command line is in place) or a
   * zombie. Read again each sample until it says something.
   */
  commandPending: boolean
  exe: string | undefined
  uid: number
  user: string
  kernelThread: boolean
  cpuTicks: number
  /** Resident pages from statm, or -1 when it could not be read (stat's figure is used then). */
  residentPages: number
  /** Stat's approximate RSS at the last read: when it moves, statm is read again. */
  statRssPages: number
  readBytes: number | undefined
  writeBytes: number | undefined
  ioAt: number
  openFiles: number | undefined
  /** The time slot of the last slow-field read; see slowSlot(). */
  slowSlot: number
  /** IO_DENIED | FD_DENIED: what could not be read last time. */
  denied: number
  /** Descriptors kept on io and statm while the process keeps running (see HOT_AFTER_TICKS), else -1. */
  ioFd: number
  statmFd: number
  /** The last tick it ran in, and how many ticks in a row it ran. */
  ranTick: number
  ranStreak: number
}

const IO_DENIED = 1
const FD_DENIED = 2

/**
 * Slow fields are due once per SLOW_FIELDS_MAX_AGE_MS window, each process's
 * window shifted by its pid, so a crowd of processes first seen together
 * does not come due in one tick forever after.
 */
function slowSlot(now: number, pid: number): number {
  return Math.floor((now + (pid % 30) * (SLOW_FIELDS_MAX_AGE_MS / 30)) / SLOW_FIELDS_MAX_AGE_MS)
}

/** buf[start, end) equals bytes: a JS loop, cheaper than Buffer.compare's native call for a 15-byte name. */
function sameBytes(buf: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false
  for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) return false
  return true
}

/** A sample being read: the pids to read and what was read so far. */
export interface SamplePass {
  readonly tick: number
  readonly timestamp: number
  readonly monotonicMs: number
  readonly pids: number[]
  next: number
  readonly processes: RawProcess[]
}

export class LinuxProcReader {
  private readonly files = new TextFiles()
  private readonly tracked = new Map<number, Tracked>()
  private readonly stat: ProcStat = emptyStat()
  private readonly io = { readBytes: 0, writeBytes: 0 }
  private users = new Map<number, string>()
  private usersLoadedAt = -Infinity
  /** /proc/loadavg kept open (read every tick for the last pid): a read costs a fraction of open + read + close. */
  private loadavgFd = -1
  private readonly bootTimeMs: number
  private readonly fdBudget: number
  /** Descriptors kept on /proc/PID/stat (one per process, within the budget). */
  private fdsOpen = 0
  /** Descriptors kept on io and statm of processes that keep running (within the same budget). */
  private hotFds = 0
  private tick = 0
  private lastPid = -1
  private lastListingTick = -FULL_LISTING_EVERY
  private listings = 0
  /** See readStatAfresh. */
  private freshFd = -1
  /** MemTotal, re-read every FULL_LISTING_EVERY ticks: os.totalmem() opens and reads /proc/meminfo (libuv) at each call. */
  private memoryTotal = totalmem()
  private readonly pidMax: number
  readonly pageSize: number
  readonly cpuCount = availableParallelism()

  constructor(private readonly root = '/proc') {
    const bootTime = parseBootTime(this.readText(`${root}/stat`) ?? '')
    if (bootTime === undefined) throw new Error(`cannot read boot time from ${root}/stat`)
    this.bootTimeMs = bootTime * 1000
    this.pageSize = measurePageSize((path) => this.readText(path), root)
    this.pidMax = Number(this.readText(`${root}/sys/kernel/pid_max`)?.trim()) || 4_194_304
    // Keep well inside the open-file limit: the rest of the app needs descriptors too.
    const limit = parseOpenFileLimit(this.readText(`${root}/self/limits`) ?? '') ?? 1024
    this.fdBudget = Math.max(0, Math.min(8192, Math.floor(limit / 4)))
    this.loadUsers()
  }

  /** Descriptors kept on /proc/PID/stat: one per live process (within the budget). */
  get openDescriptors(): number {
    return this.fdsOpen
  }

  /** Descriptors kept on io and statm of processes that keep running. */
  get hotDescriptors(): number {
    return this.hotFds
  }

  /** How many times /proc was listed (rather than probed for new pids). */
  get listingCount(): number {
    return this.listings
  }

  readText(path: string, encoding: BufferEncoding = 'latin1'): string | undefined {
    return this.files.read(path, encoding)
  }

  /** Every process, read at once. */
  sample(): RawProcessSample {
    const pass = this.begin()
    this.readSome(pass, Infinity)
    return this.end(pass)
  }

  /**
   * Starts a sample: the pids to read. Listing /proc costs about 0.9 µs a
   * directory entry, so it is avoided when it can be: with no pid allocated
   * since the last tick, the tracked processes are all there is; with a
   * few (fewer than a listing would cost, see PROBE_COST_ENTRIES), those
   * pids are probed one by one; with more, or every FULL_LISTING_EVERY
   * ticks, /proc is listed.
   */
  begin(): SamplePass {
    const tick = ++this.tick
    if (tick % FULL_LISTING_EVERY === 0) this.memoryTotal = totalmem()
    const lastPid = parseLastPid(this.readLoadavg() ?? '')
    const previous = this.lastPid
    this.lastPid = lastPid ?? -1
    // A copy: a process that renamed itself is forgotten and tracked again, which would put it
    // back at the end of the Map and have a loop over the Map read it twice.
    let pids: number[] | undefined
    if (lastPid !== undefined && previous >= 0 && tick - this.lastListingTick < FULL_LISTING_EVERY) {
      const fresh = lastPid === previous ? [] : this.newProcesses(previous, lastPid)
      if (fresh) pids = [...this.tracked.keys(), ...fresh]
    }
    if (!pids) {
      this.lastListingTick = tick
      this.listings++
      pids = []
      for (const entry of readdirSync(this.root)) {
        const c = entry.charCodeAt(0)
        if (c >= 48 && c <= 57) pids.push(Number(entry))
      }
    }
    return { tick, timestamp: Date.now(), monotonicMs: performance.now(), pids, next: 0, processes: [] }
  }

  /**
   * Processes created on the pids allocated after `from` up to `to` (the
   * kernel hands pids out in order, wrapping at pid_max), or undefined when
   * there are too many to probe. A pid may also be a thread (threads share
   * the pid space, and /proc/TID answers though it is not listed): its
   * status's Tgid tells.
   */
  private newProcesses(from: number, to: number): number[] | undefined {
    const count = to > from ? to - from : this.pidMax - from + to
    if (count > Math.min(MAX_PIDS_PROBED, (this.tracked.size + NON_PID_ENTRIES) / PROBE_COST_ENTRIES)) return undefined
    const fresh: number[] = []
    for (let i = 1, pid = from + 1; i <= count; i++, pid++) {
      if (pid >= this.pidMax) pid = 1
      if (this.tracked.has(pid) || !existsSync(`${this.root}/${pid}`)) continue
      const n = this.files.readBytes(`${this.root}/${pid}/status`)
      if (n >= 0 && scanStatusTgid(this.files.bytes, n) === pid) fresh.push(pid)
    }
    return fresh
  }

  /** Reads the pass's next processes until it is done (true) or performance.now() passes deadlineMs (false). */
  readSome(pass: SamplePass, deadlineMs: number): boolean {
    const { pids, processes, tick, timestamp, monotonicMs } = pass
    while (pass.next < pids.length) {
      const p = this.readProcess(pids[pass.next++]!, tick, timestamp, monotonicMs)
      if (p) processes.push(p)
      // The clock every 16 processes: about 0.1 ms of reading.
      if ((pass.next & 15) === 0 && performance.now() >= deadlineMs) return pass.next >= pids.length
    }
    return true
  }

  /** Ends a pass: forgets processes that are gone (closes their descriptors, drops their cache). */
  end(pass: SamplePass): RawProcessSample {
    // forEach: no [pid, t] entry array per process per tick, as for...of allocates.
    this.tracked.forEach((t, pid) => {
      if (t.seenTick !== pass.tick) this.forget(pid, t)
      else if ((t.statmFd >= 0 || t.ioFd >= 0) && pass.tick - t.ranTick > HOT_IDLE_TICKS) this.dropHot(t)
    })
    return { timestamp: pass.timestamp, monotonicMs: pass.monotonicMs, cpuCount: this.cpuCount, memoryTotal: this.memoryTotal, processes: pass.processes }
  }

  private readLoadavg(): string | undefined {
    if (this.loadavgFd < 0) {
      try {
        this.loadavgFd = openSync(`${this.root}/loadavg`, 'r')
      } catch {
        return undefined
      }
    }
    const n = this.files.readFd(this.loadavgFd)
    if (n >= 0) return this.files.bytes.toString('latin1', 0, n)
    closeSync(this.loadavgFd)
    this.loadavgFd = -1
    return undefined
  }

  close(): void {
    for (const [pid, t] of this.tracked) this.forget(pid, t)
    if (this.loadavgFd >= 0) closeSync(this.loadavgFd)
    this.loadavgFd = -1
  }

  /**
   * Stat of a pid not tracked yet, read through a descriptor left in
   * freshFd for track() to keep: one open for a new process, not two.
   */
  private readStatAfresh(pid: number): number {
    const path = `${this.root}/${pid}/stat`
    if (this.fdsOpen >= this.fdBudget) return this.files.readBytes(path)
    const fd = this.open(path)
    if (fd < 0) return -1
    const n = this.files.readFd(fd)
    if (n < 0) closeSync(fd)
    else this.freshFd = fd
    return n
  }

  /** Closes a fresh descriptor that track() did not keep. */
  private dropFresh(): void {
    if (this.freshFd >= 0) closeSync(this.freshFd)
    this.freshFd = -1
  }

  private forget(pid: number, t: Tracked): void {
    this.dropHot(t)
    if (t.fd >= 0) {
      try {
        closeSync(t.fd)
      } catch {
        // already closed
      }
      this.fdsOpen--
    }
    this.tracked.delete(pid)
  }

  private readProcess(pid: number, tick: number, now: number, monotonicNow: number): RawProcess | undefined {
    const st = this.stat
    let t = this.tracked.get(pid)
    let length = t ? (t.fd >= 0 ? this.files.readFd(t.fd) : this.files.readBytes(`${this.root}/${pid}/stat`)) : this.readStatAfresh(pid)
    if (length < 0 && t) {
      // Its descriptor answers for the process it was opened on, which is gone; the pid may
      // already be another's (pids wrap at pid_max, 32768 on many machines): read it afresh.
      this.forget(pid, t)
      t = undefined
      length = this.readStatAfresh(pid)
    }
    if (length < 0 || !scanStat(this.files.bytes, length, st)) {
      if (t) this.forget(pid, t)
      this.dropFresh()
      return undefined
    }
    if (t && t.kernelThread && t.startTicks === st.startTicks && !sameBytes(this.files.bytes, st.commStart, st.commEnd, t.comm)) {
      // A kernel worker named after its current work queue (kworker/1:2-events): the same thread,
      // renamed every few seconds; only its name changes (forgetting it cost three syscalls).
      const comm = this.files.bytes.toString('latin1', st.commStart, st.commEnd)
      t.comm = Buffer.from(comm, 'latin1')
      t.name = comm
      t.command = `[${comm}]`
      t.last = undefined
    }
    // A new process on the pid, or this one called exec (the kernel renames it; start time stays):
    // either way what was cached for it is stale.
    if (t && (t.startTicks !== st.startTicks || !sameBytes(this.files.bytes, st.commStart, st.commEnd, t.comm))) {
      this.forget(pid, t)
      t = undefined
    }
    if (!t) {
      const comm = this.files.bytes.toString('latin1', st.commStart, st.commEnd)
      t = this.track(pid, `${this.root}/${pid}`, comm, st)
      this.dropFresh()
      if (!t) return undefined
    }
    t.seenTick = tick
    if (t.commandPending) this.rereadCommand(`${this.root}/${pid}`, t)
    const cpuTicks = st.utimeTicks + st.stimeTicks
    let reread = false
    if (!t.kernelThread) {
      const slot = slowSlot(now, pid)
      if (cpuTicks !== t.cpuTicks || slot !== t.slowSlot) {
        if (cpuTicks !== t.cpuTicks) this.updateHot(`${this.root}/${pid}`, t, tick)
        this.readSlowFields(`${this.root}/${pid}`, t, slot, monotonicNow)
        reread = true
      } else if (st.rssPages !== t.statRssPages) {
        this.readResident(`${this.root}/${pid}`, t)
        reread = true
      }
    }
    // Most processes did not run since the last tick: their reading is the last one, kept
    // rather than built again (no allocation per idle process; nothing mutates raw readings).
    const last = t.last
    if (
      last !== undefined &&
      !reread &&
      cpuTicks === t.cpuTicks &&
      st.state === last.state &&
      st.ppid === last.ppid &&
      st.nice === last.nice &&
      st.priority === last.priority &&
      st.threads === last.threads &&
      st.vsizeBytes === last.virtualBytes &&
      st.rssPages === t.statRssPages
    ) {
      return last
    }
    t.cpuTicks = cpuTicks
    t.statRssPages = st.rssPages
    const p: RawProcess = {
      pid,
      ppid: st.ppid,
      startTime: t.startTime,
      name: t.name,
      command: t.command,
      user: t.user,
      uid: t.uid,
      state: st.state,
      nice: st.nice,
      priority: st.priority,
      threads: st.threads,
      cpuTimeMs: cpuTicks * TICK_MS,
      memoryBytes: (t.residentPages >= 0 ? t.residentPages : st.rssPages) * this.pageSize,
      virtualBytes: st.vsizeBytes,
      kernelThread: t.kernelThread,
      // Every field, present or not, in one literal: one shape for every reading. Fields added only
      // when known gave a handful of shapes, and V8 dropped and recompiled the optimized code of every
      // function reading them, again and again (a fifth of the engine's CPU minutes after start, profiled).
      exe: t.exe,
      readBytes: t.readBytes,
      writeBytes: t.readBytes !== undefined ? (t.writeBytes ?? 0) : undefined,
      ioMonotonicMs: t.readBytes !== undefined ? t.ioAt : undefined,
      openFiles: t.openFiles,
    }
    t.last = p
    return p
  }

  /** The command line of a process first seen without one (inside exec): kept once it reads. */
  private rereadCommand(dir: string, t: Tracked): void {
    const cmdline = parseCmdline(this.files.read(`${dir}/cmdline`, 'utf8') ?? '')
    if (!cmdline) return
    const comm = t.comm.toString('latin1')
    t.command = cmdline
    t.name = displayName(comm, cmdline)
    t.commandPending = false
    t.last = undefined
  }

  /** First sight of a process: what stays fixed for its identity. */
  private track(pid: number, dir: string, comm: string, st: ProcStat): Tracked | undefined {
    const found = readProcessDir(dir, st.flags, this.files)
    if (!found) return undefined
    const { uid, kernelThread, cmdline, exe } = found
    let user = this.users.get(uid)
    if (user === undefined && Date.now() - this.usersLoadedAt >= USERS_RELOAD_MS) {
      this.loadUsers()
      user = this.users.get(uid)
    }
    user ??= String(uid)
    let fd = this.freshFd
    this.freshFd = -1
    if (fd >= 0) this.fdsOpen++
    else if (this.fdsOpen < this.fdBudget) {
      fd = this.open(`${dir}/stat`)
      if (fd >= 0) this.fdsOpen++
    }
    const t: Tracked = {
      startTicks: st.startTicks,
      startTime: startTimeMs(this.bootTimeMs, st.startTicks),
      last: undefined,
      comm: Buffer.from(comm, 'latin1'),
      fd,
      seenTick: 0,
      name: displayName(comm, cmdline),
      command: cmdline || `[${comm}]`,
      commandPending: !kernelThread && cmdline === '',
      exe,
      uid,
      user,
      kernelThread,
      cpuTicks: -1,
      residentPages: -1,
      statRssPages: -1,
      readBytes: undefined,
      writeBytes: undefined,
      ioAt: 0,
      openFiles: undefined,
      slowSlot: -1,
      denied: 0,
      ioFd: -1,
      statmFd: -1,
      ranTick: 0,
      ranStreak: 0,
    }
    this.tracked.set(pid, t)
    return t
  }

  private readSlowFields(dir: string, t: Tracked, slot: number, monotonicNow: number): void {
    // What this identity may not read (another user's process) is asked again on its slow round only:
    // a refused open costs an exception, and a busy root daemon would cost two every tick.
    const retry = slot !== t.slowSlot
    t.slowSlot = slot
    this.readResident(dir, t)
    if (retry || !(t.denied & IO_DENIED)) {
      const n = t.ioFd >= 0 ? this.files.readFd(t.ioFd) : this.files.readBytes(`${dir}/io`)
      if (n >= 0 && scanIo(this.files.bytes, n, this.io)) {
        t.readBytes = this.io.readBytes
        t.writeBytes = this.io.writeBytes
        t.denied &= ~IO_DENIED
      } else {
        t.readBytes = undefined
        t.writeBytes = undefined
        t.denied |= IO_DENIED
      }
      t.ioAt = monotonicNow
    }
    if (retry || !(t.denied & FD_DENIED)) {
      try {
        // Since Linux 6.2 the size of /proc/PID/fd is its number of descriptors: no listing needed.
        const size = statSync(`${dir}/fd`).size
        t.openFiles = size > 0 ? size : readdirSync(`${dir}/fd`).length
        t.denied &= ~FD_DENIED
      } catch {
        t.openFiles = undefined
        t.denied |= FD_DENIED
      }
    }
  }

  /** Keeps io and statm open for a process that keeps running; closes them once it stopped. */
  private updateHot(dir: string, t: Tracked, tick: number): void {
    t.ranStreak = t.ranTick === tick - 1 ? t.ranStreak + 1 : 1
    t.ranTick = tick
    if (t.statmFd >= 0 || t.ioFd >= 0 || t.ranStreak < HOT_AFTER_TICKS || this.fdsOpen + this.hotFds + 2 > this.fdBudget) return
    t.statmFd = this.open(`${dir}/statm`)
    if (!(t.denied & IO_DENIED)) t.ioFd = this.open(`${dir}/io`)
    this.hotFds += (t.statmFd >= 0 ? 1 : 0) + (t.ioFd >= 0 ? 1 : 0)
  }

  private dropHot(t: Tracked): void {
    for (const fd of [t.ioFd, t.statmFd]) {
      if (fd < 0) continue
      closeSync(fd)
      this.hotFds--
    }
    t.ioFd = -1
    t.statmFd = -1
  }

  private open(path: string): number {
    try {
      return openSync(path, 'r')
    } catch {
      return -1
    }
  }

  /** Resident pages, exact, from statm; -1 if it cannot be read (then stat's approximate figure stands in). */
  private readResident(dir: string, t: Tracked): void {
    const n = t.statmFd >= 0 ? this.files.readFd(t.statmFd) : this.files.readBytes(`${dir}/statm`)
    t.residentPages = n < 0 ? -1 : scanStatmResident(this.files.bytes, n)
  }

  private loadUsers(): void {
    this.users = parsePasswd(this.readText('/etc/passwd') ?? '')
    this.usersLoadedAt = Date.now()
  }

}

/**
 * Reading yields to the event loop after about this much time: the engine
 * reads on the thread that serves the window and the API, whose event-loop
 * delay must stay within a few ms (p99 under 5 ms at 2000 processes).
 */
export const READ_SLICE_MS = 2

export interface LinuxAdapterOptions {
  root?: string
  /** Yield after this many ms of reading; Infinity reads in one go (a one-shot CLI command). */
  sliceMs?: number
}

export class LinuxProcessAdapter implements ProcessAdapter {
  readonly kind = 'linux' as const
  readonly reader: LinuxProcReader
  private readonly sliceMs: number
  /** Samples are read one at a time: a pass holds the reader's state between slices. */
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(options: LinuxAdapterOptions = {}) {
    this.reader = new LinuxProcReader(options.root)
    this.sliceMs = options.sliceMs ?? READ_SLICE_MS
  }

  sample(): Promise<RawProcessSample> {
    const next = this.queue.then(() => this.read())
    this.queue = next.catch(() => {})
    return next
  }

  close(): void {
    this.closed = true
    this.reader.close()
  }

  private async read(): Promise<RawProcessSample> {
    if (this.closed) throw new Error('the process reader is closed')
    const pass = this.reader.begin()
    while (!this.reader.readSome(pass, performance.now() + this.sliceMs)) {
      await new Promise((resolve) => setImmediate(resolve))
      if (this.closed) throw new Error('the process reader was closed while reading')
    }
    return this.reader.end(pass)
  }
}
