import { z } from 'zod'

/**
 * The form every contract module uses. A call has an argument schema
 * (checked at the boundary) and a result type; a stream has a parameter
 * schema and a payload type, and runs only while someone is subscribed.
 */

export interface CallSpec<Args extends z.ZodType, Result> {
  readonly args: Args
  readonly doc: string
  /** Phantom: carries the result type; never set at runtime. */
  readonly result?: Result
}

export interface StreamSpec<Params extends z.ZodType, Payload> {
  readonly params: Params
  readonly doc: string
  /** Phantom: carries the payload type; never set at runtime. */
  readonly payload?: Payload
}

export function call<Result>() {
  return <Args extends z.ZodType>(args: Args, doc: string): CallSpec<Args, Result> => ({ args, doc })
}

export function stream<Payload>() {
  return <Params extends z.ZodType>(params: Params, doc: string): StreamSpec<Params, Payload> => ({ params, doc })
}

export const noArgs = z.undefined({ error: 'takes no argument' })
export const pid = z.number().int().positive().max(2 ** 31)
/** A process as the user saw it: its pid and, to be sure it is still the same one, its start time. */
export const identity = z.strictObject({ pid, startTime: z.number().int().nonnegative().optional() })
