import { policyRestarts, restartDelay, type EndKind, type RestartSchedule } from '../../src/shared/supervisor/schedule'

/** What the policy does after a run ends: restart number n at `at`, give up (fatal), or leave it exited. */
export type Expected = { kind: 'restart'; at: number; n: number } | { kind: 'fatal' } | { kind: 'stays' }

/**
 * A program's restart policy worked out by the test from the schedule
 * functions the add form shows (src/shared/supervisor/schedule), kept
 * apart from the supervisor's own count: what the supervisor must do next.
 */
export class PolicyOracle {
  /** Restarts since the program last stayed up stableMs. */
  private attempts = 0

  constructor(readonly schedule: RestartSchedule) {}

  /** A start by the user: the count starts over. */
  startedByHand(): void {
    this.attempts = 0
  }

  /** The count shown while a run has been up `uptimeMs`: started over once that reaches stableMs. */
  shownCount(uptimeMs: number): number {
    return uptimeMs >= this.schedule.stableMs ? 0 : this.attempts
  }

  /** A run up `uptimeMs` ended as `end` at `at`. */
  ended(end: EndKind, uptimeMs: number, at: number): Expected {
    if (!policyRestarts(this.schedule.policy, end)) return { kind: 'stays' }
    if (uptimeMs >= this.schedule.stableMs) this.attempts = 0
    this.attempts += 1
    if (this.attempts > this.schedule.maxAttempts) return { kind: 'fatal' }
    return { kind: 'restart', at: at + restartDelay(this.schedule, this.attempts), n: this.attempts }
  }
}

/** The restart number a backoff's reason gives ("restart 2 of 5 in 40 ms"). */
export function backoffNumber(reason: string): number | undefined {
  const n = /^restart (\d+) of \d+/.exec(reason)?.[1]
  return n === undefined ? undefined : Number(n)
}
