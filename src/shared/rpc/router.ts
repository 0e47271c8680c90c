import type { z } from 'zod'
import {
  calls,
  isCallName,
  isStreamName,
  streams,
  type CallArgs,
  type CallName,
  type CallResult,
  type StreamName,
  type StreamParams,
  type StreamPayload,
  type Unsubscribe,
} from '../contract'
import { fail, invalidArgument, ok, toErrorInfo, type Envelope, type ErrorInfo } from '../errors'
import { INTERNAL_CALLER, type Caller } from '../types/caller'

/** A call's handler gets its checked argument and who made the call (for the audit log). */
export type CallHandlers = {
  [K in CallName]: (args: CallArgs<K>, caller: Caller) => CallResult<K> | Promise<CallResult<K>>
}

export interface StreamSink<P> {
  next(payload: P): void
  /** Ends the subscription from the server side with an error. */
  error(err: unknown): void
  /** Ends the subscription from the server side: the stream is finished. */
  complete(): void
}

export type StreamSources = {
  [K in StreamName]: (params: StreamParams<K>, sink: StreamSink<StreamPayload<K>>) => Unsubscribe
}

function validate(schema: z.ZodType, value: unknown, what: string): Envelope<unknown> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return ok(parsed.data)
  return fail(invalidArgument(what, parsed.error).toInfo())
}

/**
 * The server side of the contract, shared by every transport: checks the
 * name and the argument, runs the handler, and always answers with an
 * envelope. A handler that throws never takes the transport down.
 */
export class Router {
  constructor(
    private readonly handlers: CallHandlers,
    private readonly sources: StreamSources,
  ) {}

  /** `caller` is set by the transport (which window, command or browser session), never by the message. */
  async call(name: unknown, arg: unknown, caller: Caller = INTERNAL_CALLER): Promise<Envelope<unknown>> {
    if (!isCallName(name)) {
      return fail({ code: 'INVALID_ARGUMENT', message: `unknown call ${JSON.stringify(name)}` })
    }
    const checked = validate(calls[name].args, arg, name)
    if (!checked.ok) return checked
    try {
      const handler = this.handlers[name] as (a: unknown, c: Caller) => unknown
      return ok(await handler(checked.value, caller))
    } catch (err) {
      return fail(toErrorInfo(err))
    }
  }

  /**
   * Starts a stream; `next` gets payloads, `end` is called once if the
   * server ends it (with undefined when it finished, else the error).
   * Returns the unsubscribe function or an error envelope.
   */
  subscribe(
    topic: unknown,
    params: unknown,
    next: (payload: unknown) => void,
    end: (err: ErrorInfo | undefined) => void,
  ): Envelope<Unsubscribe> {
    if (!isStreamName(topic)) {
      return fail({ code: 'INVALID_ARGUMENT', message: `unknown stream ${JSON.stringify(topic)}` })
    }
    const checked = validate(streams[topic].params, params, topic)
    if (!checked.ok) return checked
    let open = true
    let stop: Unsubscribe | undefined
    const sink: StreamSink<unknown> = {
      next: (payload) => {
        if (open) next(payload)
      },
      error: (err) => finish(toErrorInfo(err)),
      complete: () => finish(undefined),
    }
    const finish = (err: ErrorInfo | undefined) => {
      if (!open) return
      open = false
      stop?.()
      end(err)
    }
    try {
      const source = this.sources[topic] as (p: unknown, s: StreamSink<unknown>) => Unsubscribe
      stop = source(checked.value, sink)
    } catch (err) {
      return fail(toErrorInfo(err))
    }
    if (!open) stop()
    return ok(() => {
      if (!open) return
      open = false
      stop?.()
    })
  }
}

