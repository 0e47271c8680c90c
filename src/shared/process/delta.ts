import type { ProcessIdentity, ProcessInfo, ProcessSnapshot } from '../types/process'

/**
 * A process snapshot as the change from the one before it. With 2000
 * processes a full snapshot is ~700 KB of JSON every second, yet most
 * processes sleep and do not change between two: a window that rebuilds
 * the list from changes parses a few KB and keeps the unchanged process
 * objects (and their strings) alive instead of allocating them again.
 */
export type ProcessDelta =
  /** The first event of a subscription: everything. */
  | { type: 'snapshot'; snapshot: ProcessSnapshot }
  | {
      type: 'delta'
      timestamp: number
      cpuCount: number
      memoryTotal: number
      cpuScale: ProcessSnapshot['cpuScale']
      /** Identities gone since the previous snapshot (exited, or a pid now another process). */
      removed: ProcessIdentity[]
      /** New processes and processes with any field changed, whole. */
      changed: ProcessInfo[]
    }


/** Whether two readings of one process differ in any field (values are numbers, strings and booleans). */
export function processChanged(a: ProcessInfo, b: ProcessInfo): boolean {
  if (a === b) return false
  for (const key in b) if (a[key as keyof ProcessInfo] !== b[key as keyof ProcessInfo]) return true
  for (const key in a) if (!(key in b)) return true
  return false
}

/** The change from `prev` to `next`; without `prev`, the whole of `next`. */
export function diffSnapshots(prev: ProcessSnapshot | undefined, next: ProcessSnapshot): ProcessDelta {
  if (!prev) return { type: 'snapshot', snapshot: next }
  // By pid, checked against the start time, as applyProcessDelta reads it: no key string per process every second.
  const before = new Map<number, ProcessInfo>()
  for (const p of prev.processes) before.set(p.pid, p)
  const changed: ProcessInfo[] = []
  for (const p of next.processes) {
    const old = before.get(p.pid)
    if (old === undefined || old.startTime !== p.startTime) {
      changed.push(p) // new, or new on a reused pid (the old one stays in `before`: removed)
      continue
    }
    if (processChanged(old, p)) changed.push(p)
    before.delete(p.pid)
  }
  const removed = [...before.values()].map(({ pid, startTime }) => ({ pid, startTime }))
  const { timestamp, cpuCount, memoryTotal, cpuScale } = next
  return { type: 'delta', timestamp, cpuCount, memoryTotal, cpuScale, removed, changed }
}

/**
 * The snapshot a change makes of the one before. Unchanged processes are
 * the same objects as in `prev` (so a memoized row need not render again);
 * the order is prev's, changed ones in place, new ones at the end in the
 * order they came. A delta without a snapshot to apply to is a protocol
 * error: the stream always begins with a whole snapshot.
 */
export function applyProcessDelta(prev: ProcessSnapshot | undefined, change: ProcessDelta): ProcessSnapshot {
  if (change.type === 'snapshot') return change.snapshot
  if (!prev) throw new Error('a process delta arrived before the snapshot it changes')
  const { timestamp, cpuCount, memoryTotal, cpuScale } = change
  // Nothing changed: the same list, so whatever the window derived from it still holds.
  if (change.removed.length === 0 && change.changed.length === 0) return { timestamp, cpuCount, memoryTotal, cpuScale, processes: prev.processes }
  // By pid, checked against the start time: no key string per process at every refresh.
  const gone = new Map<number, number>()
  for (const r of change.removed) gone.set(r.pid, r.startTime)
  const updates = new Map<number, ProcessInfo>()
  for (const p of change.changed) updates.set(p.pid, p)
  const processes: ProcessInfo[] = []
  for (const p of prev.processes) {
    if (gone.get(p.pid) === p.startTime) continue
    const update = updates.get(p.pid)
    if (update !== undefined && update.startTime === p.startTime) {
      processes.push(update)
      updates.delete(p.pid)
    } else processes.push(p)
  }
  for (const p of updates.values()) processes.push(p)
  return { timestamp, cpuCount, memoryTotal, cpuScale, processes }
}

/** diffSnapshots that computes a pair once: every subscriber on the same tick shares one diff. */
export function sharedDiff(): (prev: ProcessSnapshot | undefined, next: ProcessSnapshot) => ProcessDelta {
  let last: { prev: ProcessSnapshot | undefined; next: ProcessSnapshot; delta: ProcessDelta } | undefined
  return (prev, next) => {
    if (last === undefined || last.prev !== prev || last.next !== next) last = { prev, next, delta: diffSnapshots(prev, next) }
    return last.delta
  }
}

/**
 * A listener of a delta stream that passes whole snapshots on. A delta
 * that cannot apply (none came before it) goes to onError, as the stream's
 * end would; a new subscription begins with a snapshot again.
 */
export function snapshotsFromDeltas(listener: (snapshot: ProcessSnapshot) => void, onError: (error: Error) => void): (delta: ProcessDelta) => void {
  let current: ProcessSnapshot | undefined
  return (delta) => {
    try {
      current = applyProcessDelta(current, delta)
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)))
      return
    }
    listener(current)
  }
}
