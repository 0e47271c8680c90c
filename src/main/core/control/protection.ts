import type { ProcessInfo } from '../../../shared/types/process'

/** Why a process must not be acted on, or undefined. Pure: the caller supplies who "we" are. */
export function protectionReason(
  p: ProcessInfo,
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

/** pid -> ancestors (parent first), from one snapshot. */
export function ancestorsOf(pid: number, byPid: ReadonlyMap<number, ProcessInfo>): number[] {
  const out: number[] = []
  const seen = new Set<number>([pid])
  let cur = byPid.get(pid)
  while (cur && !seen.has(cur.ppid) && cur.ppid > 0) {
    out.push(cur.ppid)
    seen.add(cur.ppid)
    cur = byPid.get(cur.ppid)
  }
  return out
}

/** Descendants of pid, deepest first (the order to terminate them in). */
export function descendantsDeepestFirst(pid: number, processes: readonly ProcessInfo[]): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>()
  for (const p of processes) {
    if (p.pid === p.ppid) continue
    const list = children.get(p.ppid)
    if (list) list.push(p)
    else children.set(p.ppid, [p])
  }
  const order: ProcessInfo[] = []
  const seen = new Set<number>([pid])
  const stack = [...(children.get(pid) ?? [])]
  while (stack.length > 0) {
    const p = stack.pop() as ProcessInfo
    if (seen.has(p.pid)) continue
    seen.add(p.pid)
    order.push(p)
    stack.push(...(children.get(p.pid) ?? []))
  }
  // Pre-order has every parent before its children; reversed, children come first.
  return order.reverse()
}
