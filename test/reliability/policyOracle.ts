import { policyRestarts, restartDelay, type EndKind, type RestartSchedule } from '../../src/shared/supervisor/schedule'
import type { Transition } from '../../src/shared/supervisor/states'

/** What the policy does after a run ends: restart number n at `at`, give up (fatal), or leave it exited. */
export type Expected = { kind: 'restart'; at: number; n: number } | { kind: 'fatal' } | { kind: 'stays' }

/**
 * A program's restart policy worked out by the test from the schedule
 * functions the add form shows (src/shared/supervisor/schedule), kept
 * apart from the supervisor's own count: what the supervisor must do next,
 * and what is wrong with what it did.
 */
export class PolicyOracle {
  /** Restarts since the program last stayed up stableMs. */
  private attempts = 0
  /** What must follow the last end, until it has. */
  expected: Expected | undefined

  constructor(readonly schedule: RestartSchedule) {}

  /** The count shown while a run has been up `uptimeMs`: started over once that reaches stableMs. */
  shownCount(uptimeMs: number): number {
    return uptimeMs >= this.schedule.stableMs ? 0 : this.attempts
  }

  /** A run up `uptimeMs` ended as `end` at `at`: what must follow. */
  ended(end: EndKind, uptimeMs: number, at: number): Expected {
    if (!policyRestarts(this.schedule.policy, end)) this.expected = { kind: 'stays' }
    else {
      if (uptimeMs >= this.schedule.stableMs) this.attempts = 0
      this.attempts += 1
      this.expected =
        this.attempts > this.schedule.maxAttempts ? { kind: 'fatal' } : { kind: 'restart', at: at + restartDelay(this.schedule, this.attempts), n: this.attempts }
    }
    return this.expected
  }

  /**
   * A move other than an end (starting, backoff, fatal): what is wrong
   * with it, if anything; the restart it made and how far off its time;
   * whether it was the fatal the schedule called for.
   */
  moved(t: Transition, byHand: boolean): { problem?: string; restart?: { n: number; offMs: number }; fatal?: boolean } {
    if (t.to === 'starting') return this.started(t.at, byHand)
    const problem = t.to === 'backoff' ? this.backoff(t.reason) : t.to === 'fatal' ? this.fatal() : undefined
    return problem ? { problem } : { fatal: t.to === 'fatal' }
  }

  /**
   * A start at `at`: the restart due (how far off its time), or one the
   * user asked for (the count starts over), or a problem.
   */
  private started(at: number, byHand: boolean): { restart?: { n: number; offMs: number }; problem?: string } {
    const expected = this.expected
    this.expected = undefined
    if (expected?.kind === 'restart') return { restart: { n: expected.n, offMs: at - expected.at } }
    if (byHand) {
      this.attempts = 0
      return {}
    }
    return { problem: `a start nobody asked for (the schedule says ${expected?.kind ?? 'nothing'})` }
  }

  /** A backoff with this reason ("restart 2 of 5 in 40 ms"): a problem unless it is the restart due. */
  private backoff(reason: string): string | undefined {
    if (this.expected?.kind !== 'restart') return `backoff, but the schedule says ${this.expected?.kind ?? 'nothing'}`
    const n = /^restart (\d+) of \d+/.exec(reason)?.[1]
    return Number(n) === this.expected.n ? undefined : `backoff numbered otherwise than restart ${this.expected.n}`
  }

  /** Fatal: a problem unless the schedule had run out. */
  private fatal(): string | undefined {
    const expected = this.expected
    this.expected = undefined
    return expected?.kind === 'fatal' ? undefined : `fatal, but the schedule says ${expected?.kind ?? 'nothing'}`
  }
}
