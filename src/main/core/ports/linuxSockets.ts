import { readdirSync, readlinkSync, statSync } from 'node:fs'
import { parseProcNetInet, parseProcNetUnix, socketInodeOfLink } from '../../../shared/ports/procNet'
import type { InetSocket } from '../../../shared/ports/sockets'
import { TextFiles } from '../linux/textFiles'
import type { HeldSocket, ProcessRef, ProcessSocketList, SocketReader } from './socketReader'

const INET_TABLES = [
  ['tcp', 'tcp', 4],
  ['tcp6', 'tcp', 6],
  ['udp', 'udp', 4],
  ['udp6', 'udp', 6],
] as const

/**
 * Re-reading a user's processes for sockets nobody holds is a cold read of
 * them all (about a second at 2000 processes on a loaded 2-core machine),
 * and mostly finds nothing: such a socket is usually a process's that
 * started after the process list was read (read at the next refresh
 * anyway) or one held outside this pid namespace. So at most this often; a
 * socket swapped in at an unchanged descriptor count may show without its
 * process until then.
 */
const SEARCH_EVERY_MS = 30_000

/** A process's socket inodes, as of its descriptor count then. */
interface FdScan {
  startTime: number
  /** /proc/PID/fd's size: the number of open descriptors (Linux 6.2 and later; 0 before). */
  fdCount: number
  inodes: number[]
}

/**
 * The socket table on Linux: /proc/net/{tcp,tcp6,udp,udp6} joined to
 * processes through the `socket:[INODE]` links in /proc/PID/fd.
 *
 * Reading every descriptor link of every process is the cost (ss -p and
 * lsof pay it on every run), so links are read only when they may have
 * changed: each process's socket inodes are cached by identity (pid, start
 * time) with its descriptor count, which a stat of /proc/PID/fd gives
 * (its size, on Linux 6.2 and later). A process whose count has not moved
 * keeps its cached inodes, with no link read: a process that holds no
 * socket costs one stat. A socket the tables list but no cached process
 * holds (one opened as another descriptor closed, keeping the count) sends
 * the reader to re-read the processes of the user that created it (at most
 * every SEARCH_EVERY_MS); one still unfound after that is another user's we
 * may not read, or one held outside this pid namespace ('hidden'), and is
 * not searched for again while it lives.
 */
export class LinuxSocketReader implements SocketReader {
  private readonly files = new TextFiles()
  private readonly scans = new Map<number, FdScan>()
  /** Inodes searched for and not found: not searched for again. */
  private unfound = new Set<number>()
  /** Pids whose descriptors could not be read at their last scan. */
  private readonly unreadable = new Set<number>()
  /** Descriptor links read in the last readAll (for the benchmark and tests). */
  linksRead = 0
  private lastSearchAt = -Infinity

  constructor(private readonly proc = '/proc') {}

  readAll(processes: readonly ProcessRef[]): Promise<HeldSocket[]> {
    return Promise.resolve(this.readAllSync(processes))
  }

  readAllSync(processes: readonly ProcessRef[]): HeldSocket[] {
    this.linksRead = 0
    const sockets = this.readInetTables()
    const live = new Set<number>()
    const holders = new Map<number, number[]>()
    const hold = (pid: number, inodes: readonly number[]) => {
      for (const inode of inodes) {
        const list = holders.get(inode)
        if (list === undefined) holders.set(inode, [pid])
        else if (!list.includes(pid)) list.push(pid)
      }
    }
    const rescanned = new Set<number>()
    for (const p of processes) {
      live.add(p.pid)
      const cached = this.cachedScan(p)
      if (cached === undefined) rescanned.add(p.pid)
      hold(p.pid, (cached ?? this.scan(p)).inodes)
    }
    for (const pid of this.scans.keys()) if (!live.has(pid)) this.scans.delete(pid)

    // Sockets no cached scan accounts for: re-read the processes of the user that created each.
    const missing = sockets.filter((s) => s.inode !== 0 && !holders.has(s.inode) && !this.unfound.has(s.inode))
    let searched = missing.length === 0
    if (missing.length > 0 && performance.now() - this.lastSearchAt >= SEARCH_EVERY_MS) {
      const uids = new Set(missing.map((s) => s.uid))
      const again = processes.filter((p) => uids.has(p.uid) && !rescanned.has(p.pid))
      for (const p of again) hold(p.pid, this.scan(p).inodes)
      searched = true
      if (again.length > 0) this.lastSearchAt = performance.now()
    }
    const unfound = new Set<number>()
    const out: HeldSocket[] = []
    for (const socket of sockets) {
      const list = holders.get(socket.inode) ?? []
      const hidden = socket.inode !== 0 && list.length === 0
      // Not searched for yet (the search waits its turn): searched for at a later refresh.
      if (hidden && (searched || this.unfound.has(socket.inode))) unfound.add(socket.inode)
      out.push({ socket, holders: list, hidden })
    }
    this.unfound = unfound
    return out
  }

  readProcess(process: ProcessRef): Promise<ProcessSocketList> {
    const scan = this.scan(process)
    const mine = new Set(scan.inodes)
    const inet = this.readInetTables()
      .filter((s) => mine.has(s.inode))
      .map((socket) => ({ socket, holders: [process.pid], hidden: false }))
    const unix = parseProcNetUnix(this.files.readKept(`${this.proc}/net/unix`, true) ?? '').filter((u) => mine.has(u.inode))
    return Promise.resolve({ inet, unix, visible: !this.unreadable.has(process.pid) })
  }

  close(): void {
    this.files.close()
    this.scans.clear()
  }

  private readInetTables(): InetSocket[] {
    const out: InetSocket[] = []
    for (const [file, protocol, family] of INET_TABLES) {
      const text = this.files.readKept(`${this.proc}/net/${file}`, true)
      if (text !== undefined) out.push(...parseProcNetInet(text, protocol, family))
    }
    return out
  }

  /** The cached scan while the process's descriptor count is what it was (or its descriptors are not ours to read). */
  private cachedScan(p: ProcessRef): FdScan | undefined {
    const cached = this.scans.get(p.pid)
    if (cached === undefined || cached.startTime !== p.startTime) return undefined
    if (this.unreadable.has(p.pid)) return cached
    const count = this.fdCount(p.pid)
    // A count of 0 is a kernel before 6.2 (or a process with no descriptors): no shortcut.
    return count > 0 && count === cached.fdCount ? cached : undefined
  }

  private fdCount(pid: number): number {
    try {
      return statSync(`${this.proc}/${pid}/fd`).size
    } catch {
      return -1
    }
  }

  /** Reads every descriptor link of one process. */
  private scan(p: ProcessRef): FdScan {
    const dir = `${this.proc}/${p.pid}/fd`
    const fdCount = this.fdCount(p.pid)
    let names: string[]
    try {
      names = readdirSync(dir)
      this.unreadable.delete(p.pid)
    } catch {
      // Gone, or another user's process without root: its sockets stay unaccounted for.
      this.unreadable.add(p.pid)
      const empty = { startTime: p.startTime, fdCount, inodes: [] }
      this.scans.set(p.pid, empty)
      return empty
    }
    const inodes: number[] = []
    for (const name of names) {
      let link: string
      try {
        link = readlinkSync(`${dir}/${name}`)
      } catch {
        continue // closed since the listing
      }
      this.linksRead++
      const inode = socketInodeOfLink(link)
      if (inode !== undefined) inodes.push(inode)
    }
    const scan = { startTime: p.startTime, fdCount, inodes }
    this.scans.set(p.pid, scan)
    return scan
  }
}
