import { z } from 'zod'
import type { Envelope, ErrorInfo } from '../errors'

/** Every Electron IPC channel Proctor uses starts with this; anything else is refused. */
export const CHANNEL_PREFIX = 'proctor:'
/** The one Electron IPC channel, both ways: client messages to the main process, server messages back. */
export const RPC_CHANNEL = `${CHANNEL_PREFIX}rpc`

/**
 * The messages of every channel (Electron IPC, the headless host's
 * WebSocket, in-process, next the Unix control socket): the client sends
 * ClientMessage, the server ServerMessage. Ids are chosen by the client and
 * echoed back; a subscription's id names it until it ends.
 */
const id = z.number().int().nonnegative()
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('call'), id, name: z.string(), arg: z.unknown().optional() }),
  /**
   * `replaces`: the id of this client's live subscription that this one
   * takes the place of (a client that missed events of it starts it over);
   * it ends as this one starts, so the swap adds nothing to hold back.
   */
  z.strictObject({ t: z.literal('sub'), id, topic: z.string(), params: z.unknown().optional(), replaces: id.optional() }),
  z.strictObject({ t: z.literal('unsub'), id }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>

/** A message's id, when it has one that can be read: the answer to a message refused unread goes there. */
export function messageId(data: unknown): number | undefined {
  const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined
  return typeof id === 'number' ? id : undefined
}

export type ServerMessage =
  | { t: 'result'; id: number; result: Envelope<unknown> }
  /**
   * `seq` counts the events of one subscription from 1, those a server
   * held back included (a client far behind its reading, see
   * BacklogLimits): a client that sees a number skipped knows it missed
   * some, and starts the subscription over (RpcClient does).
   */
  | { t: 'event'; id: number; seq: number; payload: unknown }
  /** A subscription ended by the server (its stream failed or finished). */
  | { t: 'end'; id: number; error?: ErrorInfo }
  /** A message that could not be understood; id when one could be read. */
  | { t: 'error'; id?: number; error: ErrorInfo }
  /**
   * The first message of every session. A server may accept a connection
   * it cannot serve (the host full, no token) only to close it with a
   * reason: until 'ready', a socket is not open for business.
   */
  | { t: 'ready' }

/**
 * The headless host's WebSocket handshake. The page offers two
 * subprotocols: API_SUBPROTOCOL, which the host selects, and the token as
 * TOKEN_SUBPROTOCOL_PREFIX + token, which the host reads and never echoes.
 * The token so travels in a request header only, never in a URL (URLs end
 * up in logs, history and Referer headers).
 */
export const API_SUBPROTOCOL = 'proctor.v1'
export const TOKEN_SUBPROTOCOL_PREFIX = 'proctor.token.'
/** What a token may look like: the characters a subprotocol may carry, in base64url's alphabet. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/

export function apiSubprotocols(token: string | undefined): string[] {
  return token !== undefined && TOKEN_PATTERN.test(token) ? [API_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token] : [API_SUBPROTOCOL]
}

/**
 * Close codes of a socket the host accepted only to say why it cannot
 * serve it (a browser cannot read the HTTP status of a refused upgrade).
 * 1013 is the standard "try again later"; 4401 is ours.
 */
export const CLOSE_HOST_FULL = 1013
export const CLOSE_UNAUTHORIZED = 4401

export function hostFullReason(maxConnections: number): string {
  return `host full: ${maxConnections} connection${maxConnections === 1 ? '' : 's'}`
}

/** The connection cap named by a CLOSE_HOST_FULL reason, if it names one. */
export function parseHostFullReason(reason: string): number | undefined {
  const match = /^host full: (\d+) connections?$/.exec(reason)
  return match ? Number(match[1]) : undefined
}
