import type { ProcessInfo } from '../../../shared/types/process'

/** Why a process must not be acted on, or undefined. Pure: the caller supplies who "we" are. */
export function protectionReason(
  p: Pick<ProcessInfo, 'pid' | 'ppid' | 'name' | 'kernelThread'>,
  own: { pids: ReadonlySet<number>; ancestors: ReadonlySet<number> },
  protectedNames: readonly string[],
): string | undefined {
  if (p.pid === 1) return 'pid 1 is the init process; acting on it would bring the whole system down'
  if (p.kernelThread || p.pid === 2 || p.ppid === 2) return `${p.name} is a kernel thread`
  if (own.pids.has(p.pid)) return `pid ${p.pid} is Proctor itself`
  if (own.ancestors.has(p.pid)) return `${p.name} (pid ${p.pid}) is an ancestor of Proctor; acting on it could stop Proctor`
  const name = p.name.toLowerCase()
  const listed = protectedNames.find((n) => n.toLowerCase() === name)
  if (listed !== undefined) return `${p.name} is in your protected list (settings: protectedNames)`
  return undefined
}

/** Ancestors of pid (parent first), by a parent-of function; stops at pid 0 and at a loop. */
export function ancestorsOf(pid: number, parentOf: (pid: number) => number | undefined): number[] {
  const out: number[] = []
  const seen = new Set<number>([pid])
  let ppid = parentOf(pid)
  while (ppid !== undefined && ppid > 0 && !seen.has(ppid)) {
    out.push(ppid)
    seen.add(ppid)
    ppid = parentOf(ppid)
  }
  return out
}
