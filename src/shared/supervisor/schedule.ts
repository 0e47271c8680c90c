import type { Settings } from '../settings'
import type { Program, RestartPolicy } from './program'

/**
 * The restart schedule a program's policy produces: the delay before the
 * n-th restart is delay x multiplier^(n-1), capped; n counts restarts since
 * the program last stayed up for stableMs; more than maxAttempts ends in
 * fatal. Pure, so the add/edit form shows the schedule before saving and
 * the supervisor uses the very same numbers.
 */

export interface RestartSchedule {
  policy: RestartPolicy
  delayMs: number
  multiplier: number
  maxDelayMs: number
  maxAttempts: number
  stableMs: number
}

type ScheduleFields = Pick<
  Program,
  'restart' | 'restartDelayMs' | 'restartBackoffMultiplier' | 'maxRestartDelayMs' | 'maxRestartAttempts' | 'stableMs'
>

/** A program's schedule, its own numbers first, the settings' healthConfig for what it leaves out. */
export function restartSchedule(p: ScheduleFields, health: Settings['healthConfig']): RestartSchedule {
  return {
    policy: p.restart,
    delayMs: p.restartDelayMs ?? health.restartDelay,
    multiplier: p.restartBackoffMultiplier ?? health.restartBackoffMultiplier,
    maxDelayMs: p.maxRestartDelayMs,
    maxAttempts: p.maxRestartAttempts ?? health.maxRestartAttempts,
    stableMs: p.stableMs,
  }
}

/** The delay before restart number `n` (1-based). */
export function restartDelay(s: RestartSchedule, n: number): number {
  const raw = s.delayMs * s.multiplier ** Math.max(0, n - 1)
  return Math.round(Math.min(raw, s.maxDelayMs))
}

/** How an ended run is judged by the policy. */
export type EndKind = 'success' | 'failure' | 'unhealthy'

/** Whether the policy restarts after this kind of end (a stop by the user never restarts). */
export function policyRestarts(policy: RestartPolicy, end: EndKind): boolean {
  switch (policy) {
    case 'never':
      return false
    case 'on-failure':
      return end !== 'success'
    case 'always':
    case 'unless-stopped':
      return true
  }
}

/** The delays of every restart the schedule allows, in order: what the form previews. */
export function scheduleDelays(s: RestartSchedule): number[] {
  if (s.policy === 'never') return []
  return Array.from({ length: s.maxAttempts }, (_, i) => restartDelay(s, i + 1))
}

/** "restarts after 5 s, 10 s, 20 s, then fatal; the count resets after 30 s up" */
export function describeSchedule(s: RestartSchedule): string {
  if (s.policy === 'never') return 'never restarted: it stays exited'
  const when = s.policy === 'on-failure' ? 'after a failure or when unhealthy' : 'after any exit or when unhealthy'
  const delays = scheduleDelays(s)
  if (delays.length === 0) return `not restarted (at most 0 attempts): fatal at the first ${s.policy === 'on-failure' ? 'failure' : 'exit'}`
  return `restarted ${when}, after ${delays.map(formatDelay).join(', ')}; then fatal; the count resets after ${formatDelay(s.stableMs)} up`
}

export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`
  return `${+(ms / 60_000).toFixed(1)} min`
}
