import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { readProc } from '../supervisor/procTree'
import { pidExists } from '../processes/signalZero'

/**
 * The one-owner-per-user lock: `owner.lock` in the data folder, holding
 * who owns (pid, start time, kind, since). Node has no flock, so:
 *
 * - taking a free lock is one link(2) of a complete temp file onto the
 *   name: atomic, refused when the name exists, and the file is never seen
 *   half written;
 * - a lock whose holder is gone (kill -9, a crash) or whose pid now runs
 *   another process (start time differs) is taken over only under
 *   `owner.lock.takeover`, itself taken by link(2): the one holding it
 *   reads the lock again and removes it only if it is still that stale
 *   one, so two processes can never both win (removal needs the takeover
 *   lock; a live holder's lock is never removed);
 * - released on a clean exit, only if it is still this process's.
 */

export const LOCK_FILE = 'owner.lock'
const TAKEOVER = `${LOCK_FILE}.takeover`

export type OwnerKind = 'desktop' | 'daemon'

export interface LockHolder {
  pid: number
  /** Field 22 of /proc/PID/stat (clock ticks after boot); 0 where there is no /proc. */
  startTicks: number
  kind: OwnerKind
  /** ms since the epoch */
  since: number
}

export type LockAttempt = { acquired: true; lock: OwnerLock } | { acquired: false; holder: LockHolder }

/** This process's start time as /proc has it, 0 without /proc. */
function ownStartTicks(): number {
  return readProc(process.pid)?.startTicks ?? 0
}

/** Whether the process that wrote `holder` still runs: its pid, with the same start time where /proc tells it. */
export function holderAlive(holder: Pick<LockHolder, 'pid' | 'startTicks'>): boolean {
  if (holder.pid === process.pid) return holder.startTicks === 0 || holder.startTicks === ownStartTicks()
  const entry = readProc(holder.pid)
  if (entry) return !entry.zombie && (holder.startTicks === 0 || entry.startTicks === holder.startTicks)
  if (process.platform === 'linux') return false
  return pidExists(holder.pid)
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const doc = JSON.parse(text) as Partial<LockHolder>
    if (
      Number.isInteger(doc.pid) &&
      Number.isInteger(doc.startTicks) &&
      (doc.kind === 'desktop' || doc.kind === 'daemon') &&
      typeof doc.since === 'number'
    ) {
      return doc as LockHolder
    }
  } catch {
    // Not ours, or damaged: stale.
  }
  return undefined
}

/** Who holds the lock in `dataDir` now, if a live process does. */
export function liveHolder(dataDir: string): LockHolder | undefined {
  const seen = look(join(dataDir, LOCK_FILE))
  return seen?.holder && holderAlive(seen.holder) ? seen.holder : undefined
}

interface Seen {
  holder: LockHolder | undefined
  ino: number
}

/** The lock file as it is now, or undefined when there is none. */
function look(path: string): Seen | undefined {
  try {
    const ino = lstatSync(path).ino
    return { holder: parseHolder(readFileSync(path, 'utf8')), ino }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** Puts a file with `content` at `path` if nothing is there: false when something is. */
function createExclusive(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    unlinkSync(tmp)
  }
}

/** Removes `path` only if it is still the file `ino` (a rename aside, then a check; put back if it was another). */
function removeIfSame(path: string, ino: number): void {
  const aside = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`
  try {
    renameSync(path, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  if (lstatSync(aside).ino === ino) {
    unlinkSync(aside)
    return
  }
  // Another process's fresh file: back where it was, unless yet another took the name meanwhile.
  try {
    linkSync(aside, path)
  } catch {
    // The name is taken again; that one stands.
  }
  unlinkSync(aside)
}

export class OwnerLock {
  private released = false

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock in `dataDir` for this process, or says who holds it.
   * A stale lock (its holder gone, or its pid reused) is taken over.
   */
  static acquire(dataDir: string, kind: OwnerKind, now = Date.now()): LockAttempt {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const path = join(dataDir, LOCK_FILE)
    const holder: LockHolder = { pid: process.pid, startTicks: ownStartTicks(), kind, since: now }
    const content = `${JSON.stringify(holder)}\n`
    // A few rounds: each either wins, finds a live holder, or saw the lock change under it.
    for (let round = 0; round < 20; round++) {
      if (createExclusive(path, content)) return { acquired: true, lock: new OwnerLock(path, holder) }
      const seen = look(path)
      if (!seen) continue
      if (seen.holder && holderAlive(seen.holder)) return { acquired: false, holder: seen.holder }
      if (takeOver(path, seen.ino, content)) return { acquired: true, lock: new OwnerLock(path, holder) }
      const now = look(path)
      if (now?.holder && holderAlive(now.holder)) return { acquired: false, holder: now.holder }
    }
    throw new Error(`cannot take the owner lock ${path}: it keeps changing (another Proctor starting and stopping?)`)
  }

  /** Whether the lock file is still this one's (a user may have removed it). */
  isHeld(): boolean {
    if (this.released) return false
    const seen = look(this.path)
    return seen?.holder?.pid === this.holder.pid && seen.holder.since === this.holder.since && seen.holder.startTicks === this.holder.startTicks
  }

  /** Lets go of the lock, if it is still this process's. */
  release(): void {
    if (this.released) return
    this.released = true
    const seen = look(this.path)
    if (seen?.holder?.pid === this.holder.pid && seen.holder.since === this.holder.since) removeIfSame(this.path, seen.ino)
  }
}

/**
 * Replaces the stale lock `ino` with `content`, under the takeover lock:
 * true when this process now holds the owner lock.
 */
function takeOver(path: string, ino: number, content: string): boolean {
  const guard = join(path, '..', TAKEOVER)
  const me = `${JSON.stringify({ pid: process.pid, startTicks: ownStartTicks(), kind: 'daemon', since: Date.now() })}\n`
  if (!createExclusive(guard, me)) {
    // Someone is taking over now, or died doing it: a dead one's guard is cleared for the next round.
    const seen = look(guard)
    if (seen && (!seen.holder || !holderAlive(seen.holder))) removeIfSame(guard, seen.ino)
    return false
  }
  try {
    const seen = look(path)
    // Still the stale lock seen before: removed (by inode, in case two hold the guard after a dead guard was cleared).
    if (seen && seen.ino === ino && !(seen.holder && holderAlive(seen.holder))) removeIfSame(path, ino)
    return createExclusive(path, content)
  } finally {
    try {
      unlinkSync(guard)
    } catch {
      // Already cleared.
    }
  }
}
