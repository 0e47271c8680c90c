import { environHas, scanProcs, walkTree, type ProcEntry } from './procTree'

export interface Identity {
  pid: number
  startTicks: number
}

export interface TreeMember extends Identity {
  comm: string
  /** It had left the program's process group (setsid, setpgid): signalling the group misses it. */
  leftGroup: boolean
}

/**
 * The processes of one running program: its process group and every
 * descendant seen in the tree while it ran, by identity. A descendant that
 * detached (setsid, double fork) keeps no link to the program once its
 * parent exits, so links are recorded as they are seen, and the program's
 * environment marker finds those born and orphaned between two scans.
 */
export class ProgramTree {
  private readonly members = new Map<number, TreeMember>()

  constructor(
    readonly leader: Identity,
    /** `NAME=value` set in the program's environment, inherited by what it starts. */
    readonly marker: string,
  ) {}

  /** Adds what a scan shows of the program, drops members that are gone. */
  update(procs: readonly ProcEntry[]): void {
    const byPid = new Map(procs.map((p) => [p.pid, p]))
    for (const [pid, m] of this.members) {
      const now = byPid.get(pid)
      if (!now || now.startTicks !== m.startTicks || now.zombie) this.members.delete(pid)
      else {
        // It may have exec'd another program, or left the group, since it was first seen.
        m.comm = now.comm
        m.leftGroup = now.pgrp !== this.leader.pid
      }
    }
    const children = new Map<number, ProcEntry[]>()
    for (const p of procs) {
      if (p.zombie) continue
      const list = children.get(p.ppid)
      if (list) list.push(p)
      else children.set(p.ppid, [p])
      // In the group: a reused pid cannot lead a group while the group exists, and started after the leader.
      if (p.pgrp === this.leader.pid && p.pid !== this.leader.pid && p.startTicks >= this.leader.startTicks) this.add(p)
    }
    const leader = byPid.get(this.leader.pid)
    const roots = leader && leader.startTicks === this.leader.startTicks ? [leader.pid] : []
    const queue = [...roots, ...this.members.keys()]
    for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
      for (const child of children.get(pid) ?? []) {
        if (!this.members.has(child.pid)) {
          this.add(child)
          queue.push(child.pid)
        }
      }
    }
  }

  /**
   * Adds orphans started since the program whose environment carries its
   * marker: descendants whose links were lost. Only orphans are read (their
   * parent is init, a subreaper, or nothing seen), not every new process.
   */
  async findMarked(procs: readonly ProcEntry[]): Promise<void> {
    const startOf = new Map(procs.map((p) => [p.pid, p.startTicks]))
    // Proctor's own children are programs (and check commands), never another program's orphans: with
    // fifty programs, reading their environments on every stop made stopping them all quadratic.
    const orphaned = (p: ProcEntry) => p.ppid !== process.pid && (p.ppid === 1 || (startOf.get(p.ppid) ?? 0) < this.leader.startTicks)
    const candidates = procs.filter(
      (p) => !p.zombie && p.startTicks >= this.leader.startTicks && p.pid !== this.leader.pid && !this.members.has(p.pid) && orphaned(p),
    )
    const marked = await Promise.all(candidates.map((p) => environHas(p.pid, this.marker)))
    candidates.forEach((p, i) => {
      if (marked[i]) this.add(p)
    })
  }

  /** Who the members are, to tell whether a walk changed anything. */
  fingerprint(): string {
    return [...this.members.keys()].join(',')
  }

  /** The leader and the members: where a walk down the tree starts. */
  roots(): number[] {
    return [this.leader.pid, ...this.members.keys()]
  }

  /** Descendants and group members known now (the leader apart). */
  list(): TreeMember[] {
    return [...this.members.values()]
  }

  /** Members `procs` show still running, as they show them (in the group or out of it now). */
  living(procs: readonly ProcEntry[]): TreeMember[] {
    const byPid = new Map(procs.map((p) => [p.pid, p]))
    const out: TreeMember[] = []
    for (const m of this.members.values()) {
      const now = byPid.get(m.pid)
      if (now && now.startTicks === m.startTicks && !now.zombie) out.push({ ...m, comm: now.comm, leftGroup: now.pgrp !== this.leader.pid })
    }
    return out
  }

  private add(p: ProcEntry): void {
    this.members.set(p.pid, { pid: p.pid, startTicks: p.startTicks, comm: p.comm, leftGroup: p.pgrp !== this.leader.pid })
  }
}

/**
 * Keeps the trees of running programs current, on a chained timer, only
 * while some program runs: a walk goes down from what each tree knows
 * (cheap, in the size of the trees), and a stop or an exit scans the whole
 * table (scanNow) once to find what the walks could not reach. A tree whose
 * walks find nothing new is walked less and less often (every tick, then
 * every 2, 4, ... up to MAX_SKIP ticks), and again every tick once one
 * does: fifty idle programs walked every second cost 0.7 % of a core here.
 * What a slower walk can miss (a descendant orphaned between two walks) the
 * environment marker finds at the stop.
 *
 * Ticks are counted on one clock, and a tree walked every N ticks is walked
 * on the multiples of N: idle trees are walked together, and the timer is
 * set for the next tick that has a walk due, not for every tick. Fifty idle
 * programs then wake the process once every MAX_SKIP ticks, not every tick.
 */
const MAX_SKIP = 16

export class TreeWatch {
  private readonly trees = new Map<ProgramTree, { every: number; due: number }>()
  private readonly origin = performance.now()
  private timer: NodeJS.Timeout | undefined
  /** The tick the timer is set for. */
  private timerTick = Infinity
  private scanning = false
  private inFlight: Promise<ProcEntry[]> | undefined
  private next: Promise<ProcEntry[]> | undefined

  constructor(readonly intervalMs = 1000) {}

  watch(tree: ProgramTree): () => void {
    this.trees.set(tree, { every: 1, due: this.tickNow() + 1 })
    this.schedule()
    return () => {
      this.trees.delete(tree)
      if (this.trees.size === 0) this.clearTimer()
    }
  }

  /**
   * Scans and updates every watched tree; the scan is returned for the
   * caller's own checks. Each caller gets a scan begun after it asked (a
   * stop must see what exists once it has signalled), but callers arriving
   * while one runs share the next: fifty programs stopped at once read the
   * process table twice, not fifty times.
   */
  scanNow(): Promise<ProcEntry[]> {
    if (!this.inFlight) return (this.inFlight = this.scanOnce())
    this.next ??= this.inFlight.then(
      () => this.scanNow(),
      () => this.scanNow(),
    )
    return this.next
  }

  private scanOnce(): Promise<ProcEntry[]> {
    return scanProcs()
      .then((procs) => {
        for (const tree of this.trees.keys()) tree.update(procs)
        return procs
      })
      .finally(() => {
        this.inFlight = undefined
        this.next = undefined
      })
  }

  /** Every how many ticks `tree` is walked now (for diagnostics and tests). */
  walkEvery(tree: ProgramTree): number | undefined {
    return this.trees.get(tree)?.every
  }

  /** The tick under way; a timer may fire a fraction of a millisecond before its mark, which counts as reached. */
  private tickNow(): number {
    return Math.floor((performance.now() - this.origin + 1) / this.intervalMs)
  }

  private async tick(): Promise<void> {
    const now = this.tickNow()
    for (const [tree, pace] of this.trees) {
      if (pace.due > now) continue
      const before = tree.fingerprint()
      const walked = walkTree(tree.roots())
      if (!walked) {
        await this.scanNow()
        for (const p of this.trees.values()) p.due = this.tickNow() + 1
        return
      }
      tree.update(walked)
      pace.every = tree.fingerprint() === before ? Math.min(pace.every * 2, MAX_SKIP) : 1
      pace.due = (Math.floor(now / pace.every) + 1) * pace.every
    }
  }

  close(): void {
    this.trees.clear()
    this.clearTimer()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.timerTick = Infinity
  }

  /** Sets the timer for the first tick a walk is due, unless it is set for that tick or an earlier one. */
  private schedule(): void {
    if (this.scanning || this.trees.size === 0) return
    let due = Infinity
    for (const pace of this.trees.values()) due = Math.min(due, pace.due)
    if (this.timer && this.timerTick <= due) return
    this.clearTimer()
    this.timerTick = due
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.timerTick = Infinity
        this.scanning = true
        void this.tick().finally(() => {
          this.scanning = false
          this.schedule()
        })
      },
      Math.max(0, Math.ceil(this.origin + due * this.intervalMs - performance.now())),
    )
    this.timer.unref()
  }
}
