import type { LoadBalancing } from '../../../shared/pools/pool'

/** What the balancer sees of a worker. */
export interface Candidate {
  /** Its slot number: the order round_robin goes round in. */
  n: number
  /** Ready for a task now (connected, ready, no task). */
  free: boolean
  /** Tasks it has run (least_busy prefers the least used of the free ones). */
  tasksDone: number
  /** ms since the epoch it became free. */
  freeSince: number
}

/**
 * Which worker takes the next task, or none (wait):
 * - least_busy: a free worker, the one that has run the fewest tasks (then the longest free);
 * - round_robin: the next ready worker in turn after the last one chosen, waiting for it if it is busy;
 * - random: any free worker.
 * `ready` holds the workers that can take tasks at all (connected and ready), free or busy.
 */
export function pickWorker<C extends Candidate>(rule: LoadBalancing, ready: readonly C[], lastN: number, random: () => number = Math.random): C | undefined {
  if (rule === 'round_robin') {
    if (ready.length === 0) return undefined
    let next: C | undefined
    let first: C | undefined
    for (const c of ready) {
      if (!first || c.n < first.n) first = c
      if (c.n > lastN && (!next || c.n < next.n)) next = c
    }
    const turn = next ?? first!
    return turn.free ? turn : undefined
  }
  let best: C | undefined
  if (rule === 'random') {
    const free = ready.filter((c) => c.free)
    return free.length === 0 ? undefined : free[Math.floor(random() * free.length)]
  }
  for (const c of ready) {
    if (!c.free) continue
    if (!best || c.tasksDone < best.tasksDone || (c.tasksDone === best.tasksDone && c.freeSince < best.freeSince)) best = c
  }
  return best
}
