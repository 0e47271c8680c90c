/**
 * Where a service reads the time and sets its timers: the real clock in
 * the product; a fake one in tests, so that a day of restart schedules
 * runs in seconds and every delay can be checked to the millisecond.
 */
export interface Clock {
  /** ms since the epoch */
  now(): number
  setTimeout(callback: () => void, ms: number): ClockTimer
  clearTimeout(timer: ClockTimer): void
}

/** A timer's handle, only to be given back to the clear of the clock that set it. */
export type ClockTimer = unknown

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
}
