/**
 * One timer for the health rounds due at about the same time. A round due
 * at T runs at the first mark of a grid of `slack` ms at or after T, and
 * the rounds on the same mark share its timer: fifty programs started
 * together, checked every 30 s, wake the process once per round instead of
 * fifty times (each wake-up costs the process far more than an alive check).
 */

interface Mark {
  timer: NodeJS.Timeout
  due: Set<() => void>
}

const marks = new Map<number, Mark>()

/** The grid for a round due in `delayMs`: at most 1/32 of the delay late, and never a second. */
export function slackFor(delayMs: number): number {
  return Math.max(1, Math.min(1000, Math.floor(delayMs / 32)))
}

/**
 * Calls `fn` in `delayMs`, or up to `slackMs` later, on a mark shared with
 * the rounds due near it; the returned function cancels the call. The
 * timers are unref'd: rounds do not keep the process alive.
 */
export function after(delayMs: number, slackMs: number, fn: () => void): () => void {
  const now = performance.now()
  const at = Math.ceil((now + delayMs) / slackMs) * slackMs
  let mark = marks.get(at)
  if (!mark) {
    const due = new Set<() => void>()
    const timer = setTimeout(() => {
      marks.delete(at)
      for (const f of due) f()
    }, Math.max(0, Math.ceil(at - now)))
    timer.unref()
    mark = { timer, due }
    marks.set(at, mark)
  }
  const entry = (): void => fn()
  mark.due.add(entry)
  const held = mark
  return () => {
    if (!held.due.delete(entry) || held.due.size > 0) return
    clearTimeout(held.timer)
    if (marks.get(at) === held) marks.delete(at)
  }
}
