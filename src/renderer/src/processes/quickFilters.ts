import type { ProcessInfo } from '../../../shared/types/process'

/**
 * The quick filters above the process list, applied together with the
 * search. Pure.
 */
export interface QuickFilters {
  /** Only processes of the user that runs Proctor. */
  mine: boolean
  hideKernelThreads: boolean
  /** Only processes of programs Proctor supervises (their pids in the programs overview). */
  managed?: boolean
}

export const NO_QUICK_FILTERS: QuickFilters = { mine: false, hideKernelThreads: false, managed: false }

/**
 * The uid that runs Proctor: that of its own process (the desktop app's
 * main process, or the headless host), found in the snapshot by pid.
 */
export function ownUid(processes: readonly ProcessInfo[], appPid: number | undefined): number | undefined {
  if (appPid === undefined) return undefined
  for (const p of processes) if (p.pid === appPid) return p.uid
  return undefined
}

export function anyQuickFilter(filters: QuickFilters): boolean {
  return filters.mine || filters.hideKernelThreads || filters.managed === true
}

/**
 * A predicate for the quick filters, or undefined when none is on. "Mine"
 * with the user not known yet (no app info yet) hides nothing rather than
 * everything; "Only managed" keeps the pids of `managed` (none when no
 * program runs).
 */
export function quickFilterMatcher(
  filters: QuickFilters,
  uid: number | undefined,
  managed: ReadonlyMap<number, unknown> = new Map(),
): ((p: ProcessInfo) => boolean) | undefined {
  const mine = filters.mine && uid !== undefined
  const hideKernel = filters.hideKernelThreads
  const onlyManaged = filters.managed === true
  if (!mine && !hideKernel && !onlyManaged) return undefined
  return (p) => (!mine || p.uid === uid) && (!hideKernel || !p.kernelThread) && (!onlyManaged || managed.has(p.pid))
}

/** The search text of "Filter to user": `user = alice`, quoted when the name needs it. */
export function userQuery(user: string): string {
  const plain = /^[A-Za-z0-9_.@-]+$/.test(user) && !/^(and|or|not)$/i.test(user)
  return `user = ${plain ? user : `"${user.replace(/["\\]/g, (c) => `\\${c}`)}"`}`
}
