import type { ProcessState } from '../types/process'
import type { SystemMetrics } from '../types/system'

export type ProcessCounts = SystemMetrics['processes']

/**
 * Processes by state, top's way: idle kernel threads and uninterruptible
 * (disk) waits count as sleeping, traced as stopped; dead ones only in the total.
 */
export function countProcessStates(states: Iterable<ProcessState>): ProcessCounts {
  const counts: ProcessCounts = { total: 0, running: 0, sleeping: 0, stopped: 0, zombie: 0 }
  for (const state of states) count(counts, state)
  return counts
}

/** The same counts from processes themselves (no array of states in between: this runs every sample). */
export function countStatesOf(processes: readonly { state: ProcessState }[]): ProcessCounts {
  const counts: ProcessCounts = { total: 0, running: 0, sleeping: 0, stopped: 0, zombie: 0 }
  for (let i = 0; i < processes.length; i++) count(counts, processes[i]!.state)
  return counts
}

function count(counts: ProcessCounts, state: ProcessState): void {
  counts.total++
  if (state === 'running') counts.running++
  else if (state === 'sleeping' || state === 'idle' || state === 'disk-wait') counts.sleeping++
  else if (state === 'stopped' || state === 'tracing') counts.stopped++
  else if (state === 'zombie') counts.zombie++
}
