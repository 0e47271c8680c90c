import { callNames, streamNames, type ProctorApi, type Unsubscribe } from '../contract'
import { ProctorError, type Envelope, type ErrorInfo } from '../errors'

/** What a transport must do on the client side; everything else is derived. */
export interface ClientTransport {
  call(name: string, arg: unknown): Promise<Envelope<unknown>>
  subscribe(
    topic: string,
    params: unknown,
    onEvent: (payload: unknown) => void,
    onEnd: (error?: ErrorInfo) => void,
    /** The subscription missed `missed` events and started over: its next event is whole again. */
    onResync?: (missed: number) => void,
  ): Unsubscribe
}

type Listener = (payload: unknown) => void
type ErrorListener = (error: Error) => void

/**
 * Builds the typed API from the contract's names over any transport. Error
 * envelopes come back as thrown ProctorErrors with their code.
 */
export function createApi(transport: ClientTransport): ProctorApi {
  const api: Record<string, unknown> = {}
  for (const name of callNames) {
    api[name] = async (arg?: unknown) => {
      const envelope = await transport.call(name, arg)
      if (envelope.ok) return envelope.value
      throw ProctorError.from(envelope.error)
    }
  }
  for (const topic of streamNames) {
    api[topic] = (...args: unknown[]): Unsubscribe => {
      // (listener, onError?) for streams without parameters, else (params, listener, onError?)
      const [params, listener, onError] = (typeof args[0] === 'function' ? [undefined, ...args] : args) as [
        unknown,
        Listener,
        ErrorListener | undefined,
      ]
      if (typeof listener !== 'function') {
        throw new ProctorError('INVALID_ARGUMENT', `${topic}: a listener function is required`)
      }
      return transport.subscribe(topic, params, listener, (error) => {
        if (error) onError?.(ProctorError.from(error))
      })
    }
  }
  return api as ProctorApi
}
