import type { ProcessInfo } from '../../../shared/types/process'
import { processKey, type ProcessKey } from './identity'

/**
 * Which processes are new and which have just exited, so the list can
 * highlight them for a moment: a new process is marked for NEW_MS after it
 * first appears; an exited one stays in the list, marked, for EXITED_MS.
 * One pass over each snapshot, keyed by pid and checked against the start
 * time (no key string per process at every refresh); pure (time comes in
 * as an argument).
 */

export const NEW_MS = 3000
export const EXITED_MS = 2500

export type Highlight = 'new' | 'exited'

export interface Changes {
  /** Every process of the last snapshot, by pid. */
  present: ReadonlyMap<number, ProcessInfo>
  /** New processes (by pid, with their start time) and until when they are marked. */
  added: ReadonlyMap<number, { startTime: number; until: number }>
  /** Processes gone from the snapshot, as last seen, by identity, and until when they are kept. */
  exited: ReadonlyMap<ProcessKey, { process: ProcessInfo; until: number }>
}

export const NO_CHANGES: Changes = { present: new Map(), added: new Map(), exited: new Map() }

/**
 * The changes after a new snapshot. The first snapshot marks nothing (every
 * process would be "new"); a process that reappears (a paused view resumed
 * on an older snapshot, say) is no longer exited.
 */
export function nextChanges(prev: Changes | undefined, processes: readonly ProcessInfo[], now: number): Changes {
  const present = new Map<number, ProcessInfo>()
  for (const p of processes) present.set(p.pid, p)
  if (prev === undefined || prev.present.size === 0) return { present, added: new Map(), exited: new Map() }

  const same = (p: ProcessInfo | undefined, startTime: number) => p !== undefined && p.startTime === startTime
  const added = new Map<number, { startTime: number; until: number }>()
  for (const [pid, mark] of prev.added) if (mark.until > now && same(present.get(pid), mark.startTime)) added.set(pid, mark)
  for (const p of processes) if (!same(prev.present.get(p.pid), p.startTime)) added.set(p.pid, { startTime: p.startTime, until: now + NEW_MS })

  const exited = new Map<ProcessKey, { process: ProcessInfo; until: number }>()
  for (const [key, gone] of prev.exited) if (gone.until > now && !same(present.get(gone.process.pid), gone.process.startTime)) exited.set(key, gone)
  for (const p of prev.present.values()) if (!same(present.get(p.pid), p.startTime)) exited.set(processKey(p), { process: p, until: now + EXITED_MS })
  return { present, added, exited }
}

/** The snapshot's processes followed by the exited ones still shown; the same array when none is. */
export function withExited(processes: readonly ProcessInfo[], changes: Changes): readonly ProcessInfo[] {
  if (changes.exited.size === 0) return processes
  const out = processes.slice()
  for (const { process } of changes.exited.values()) out.push(process)
  return out
}

/** The exited processes still shown, as last seen. */
export function exitedProcesses(changes: Changes): ProcessInfo[] {
  return [...changes.exited.values()].map((gone) => gone.process)
}

/** A process of the list (present or exited) by its identity key. */
export function findProcess(changes: Changes, key: ProcessKey): ProcessInfo | undefined {
  const gone = changes.exited.get(key)
  if (gone) return gone.process
  const colon = key.indexOf(':')
  const p = changes.present.get(Number(key.slice(0, colon)))
  return p && p.startTime === Number(key.slice(colon + 1)) ? p : undefined
}

/** Whether the process of this key is in the last snapshot (not exited). */
export function isPresent(changes: Changes, key: ProcessKey): boolean {
  return !changes.exited.has(key) && findProcess(changes, key) !== undefined
}

export function highlightOf(changes: Changes, p: ProcessInfo): Highlight | undefined {
  if (changes.present.get(p.pid) !== p && changes.exited.has(processKey(p))) return 'exited'
  if (changes.added.get(p.pid)?.startTime === p.startTime) return 'new'
  return undefined
}
