import type { ProgramBroker } from '../supervisor/programBroker'

/**
 * What the pools use of the IPC broker (the owner's BrokerService): what
 * programs get (tokens, `ready`, heartbeats), whether it listens, and
 * Proctor's own requests, one per task. The pools depend on this, never
 * on the broker's internals.
 */
export interface PoolBroker extends ProgramBroker {
  readonly isListening: boolean
  /** The largest frame body the broker carries: a task's payload must fit in one request. */
  readonly maxFrameBytes: number
  /** Resolves once the broker has followed the latest settings change. */
  settled(): Promise<void>
  /** Proctor's request to an endpoint: the answer's payload; UNAVAILABLE when the endpoint goes before it answers, NOT_FOUND when it is not connected. */
  request(to: string, payload: unknown, timeoutMs: number): Promise<{ payload: unknown }>
}
