import { callNames, streamNames, type ProctorApi } from '../contract'
import { isErrorCode, ProctorError, toErrorInfo, type ErrorInfo } from '../errors'

/**
 * The same api with every rejection and every stream onError argument
 * passed through `convert`. The preload uses it to send errors across
 * contextBridge as plain objects (it would keep only an Error's message,
 * electron/electron#25596), and the page uses it to turn them back into
 * ProctorErrors, so both transports give the renderer the same errors.
 */
export function mapApiErrors(api: ProctorApi, convert: (err: unknown) => unknown): ProctorApi {
  const source = api as unknown as Record<string, (...args: unknown[]) => unknown>
  const out: Record<string, unknown> = {}
  for (const name of callNames) {
    const fn = source[name]
    if (typeof fn !== 'function') continue
    out[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args)
      } catch (err) {
        throw convert(err)
      }
    }
  }
  for (const topic of streamNames) {
    const fn = source[topic]
    if (typeof fn !== 'function') continue
    out[topic] = (...args: unknown[]) => {
      // (listener, onError?) or (params, listener, onError?): onError is the function after the listener.
      const at = args.findIndex((a) => typeof a === 'function')
      const onError = at >= 0 ? args[at + 1] : undefined
      if (typeof onError !== 'function') return fn(...args)
      return fn(...args.map((a, i) => (i === at + 1 ? (e: unknown) => (onError as (e: unknown) => void)(convert(e)) : a)))
    }
  }
  return out as unknown as ProctorApi
}

/** A failure as it crosses contextBridge: the contract's fields, and the message as its text. */
export type BridgedError = ErrorInfo & { name: 'ProctorError'; toString(): string }

export function toBridgedError(err: unknown): BridgedError {
  const info = toErrorInfo(err)
  return { name: 'ProctorError', ...info, toString: () => info.message }
}

/** A bridged error (or anything else that was thrown) back as a ProctorError with its code. */
export function fromBridgedError(err: unknown): ProctorError {
  if (err instanceof ProctorError) return err
  const e = err as Partial<BridgedError> | null
  if (e && typeof e === 'object' && isErrorCode(e.code) && typeof e.message === 'string') {
    return new ProctorError(e.code, e.message, e.details)
  }
  return new ProctorError('INTERNAL', err instanceof Error ? err.message : String(err))
}
