import type { z } from 'zod'
import { appCalls } from './app'
import { brokerCalls, brokerStreams } from './broker'
import { controlCalls } from './control'
import { detailsCalls } from './details'
import { desktopCalls, desktopStreams } from './desktop'
import { poolCalls, poolStreams } from './pools'
import { portCalls, portStreams } from './ports'
import { processCalls, processStreams } from './processes'
import { settingsCalls } from './settings'
import type { CallSpec, StreamSpec } from './spec'
import { supervisorCalls, supervisorStreams } from './supervisor'
import { systemCalls, systemStreams } from './system'

/**
 * The one contract: every call and every stream Proctor serves, one module
 * per domain merged here. The Electron bridge, the preload, the WebSocket
 * host, the control socket and the in-process transport are all derived
 * from these two maps, so adding an entry to a domain's module (and its
 * handler to that domain's service) is the whole change.
 */

export type { CallSpec, StreamSpec } from './spec'
export type { ProcessTree } from './processes'
export type { WindowRequest } from './desktop'

const callParts = [appCalls, processCalls, detailsCalls, controlCalls, desktopCalls, systemCalls, settingsCalls, supervisorCalls, brokerCalls, poolCalls, portCalls] as const
const streamParts = [processStreams, systemStreams, supervisorStreams, brokerStreams, poolStreams, desktopStreams, portStreams] as const

/** Names defined by more than one domain. */
type Duplicates<P extends readonly object[]> = P extends readonly [infer H, ...infer T extends readonly object[]]
  ? (keyof H & { [I in keyof T]: keyof T[I] }[number]) | Duplicates<T>
  : never
type Merged<P extends readonly object[]> = (P[number] extends infer U ? (U extends object ? (x: U) => void : never) : never) extends (x: infer I) => void
  ? I
  : never

/** The compiler's proof that no name is defined twice: a duplicate makes `true` not assignable. */
type Disjoint<P extends readonly object[]> = [Duplicates<P>] extends [never] ? true : never

/** One map from the domains' maps; a name defined twice also throws at load. */
function merge<P extends readonly object[]>(parts: P, what: string, _disjoint: Disjoint<P>): Merged<P> {
  const out: Record<string, unknown> = {}
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part)) {
      if (name in out) throw new Error(`the contract defines the ${what} ${name} twice`)
      out[name] = spec
    }
  }
  return out as Merged<P>
}

export const calls = merge(callParts, 'call', true)
export const streams = merge(streamParts, 'stream', true)

export type Calls = typeof calls
export type Streams = typeof streams
export type CallName = keyof Calls
export type StreamName = keyof Streams

/** What a client passes. */
export type CallInput<K extends CallName> = z.input<Calls[K]['args']>
/** What a handler receives, after validation and defaults. */
export type CallArgs<K extends CallName> = z.output<Calls[K]['args']>
export type CallResult<K extends CallName> = Calls[K] extends CallSpec<z.ZodType, infer R> ? R : never
export type StreamInput<K extends StreamName> = z.input<Streams[K]['params']>
export type StreamParams<K extends StreamName> = z.output<Streams[K]['params']>
export type StreamPayload<K extends StreamName> = Streams[K] extends StreamSpec<z.ZodType, infer P> ? P : never

export const callNames = Object.keys(calls) as CallName[]
export const streamNames = Object.keys(streams) as StreamName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name)
}

export type Unsubscribe = () => void

type CallMethod<K extends CallName> = undefined extends CallInput<K>
  ? (arg?: CallInput<K>) => Promise<CallResult<K>>
  : (arg: CallInput<K>) => Promise<CallResult<K>>

type StreamMethod<K extends StreamName> = undefined extends StreamInput<K>
  ? (listener: (payload: StreamPayload<K>) => void, onError?: (error: Error) => void) => Unsubscribe
  : (
      params: StreamInput<K>,
      listener: (payload: StreamPayload<K>) => void,
      onError?: (error: Error) => void,
    ) => Unsubscribe

/** The typed API the renderer, the CLI and tests use, whatever the transport. */
export type ProctorApi = { [K in CallName]: CallMethod<K> } & { [K in StreamName]: StreamMethod<K> }
