import { z } from 'zod'
import type { Envelope, ErrorInfo } from '../errors'

/** Every Electron IPC channel Proctor uses starts with this; anything else is refused. */
export const CHANNEL_PREFIX = 'proctor:'
export const channels = {
  call: (name: string) => `${CHANNEL_PREFIX}call:${name}`,
  subscribe: `${CHANNEL_PREFIX}subscribe`,
  unsubscribe: `${CHANNEL_PREFIX}unsubscribe`,
  event: `${CHANNEL_PREFIX}event`,
} as const

/**
 * Messages over a byte stream (the WebSocket of the headless host). JSON
 * text; ids are chosen by the client and echoed back.
 */
const id = z.number().int().nonnegative()
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('call'), id, name: z.string(), arg: z.unknown().optional() }),
  z.strictObject({ t: z.literal('sub'), id, topic: z.string(), params: z.unknown().optional() }),
  z.strictObject({ t: z.literal('unsub'), id }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>

export type ServerMessage =
  | { t: 'result'; id: number; result: Envelope<unknown> }
  | { t: 'event'; id: number; payload: unknown }
  /** A subscription ended by the server (its stream failed or finished). */
  | { t: 'end'; id: number; error?: ErrorInfo }
  /** A message that could not be understood; id when one could be read. */
  | { t: 'error'; id?: number; error: ErrorInfo }

/** Subscription request/reply over Electron IPC. */
export const subscribeRequestSchema = z.strictObject({ id, topic: z.string(), params: z.unknown().optional() })
export const unsubscribeRequestSchema = z.strictObject({ id })
export interface EventMessage {
  id: number
  payload: unknown
}
