import { z } from 'zod'

/**
 * The broker's wire protocol (docs/ipc-protocol.md is the reference a
 * client in another language is written from): the messages either way,
 * as zod schemas, and the error codes. Each frame holds one JSON object
 * whose `t` names its type.
 *
 * The broker checks the hello with these schemas; on the routing hot path
 * (send, request, response, ...) it checks the same rules by hand, for the
 * cost measured in src/main/core/broker/broker.ts. The schemas remain the
 * reference, and what the tests check frames against.
 */

export const PROTOCOL_VERSION = 1

/** Error codes on the wire; `fatal` ones come in an error frame right before the broker closes. */
export const WIRE_ERROR_CODES = [
  /** The first frame was not a hello. */
  'HANDSHAKE_REQUIRED',
  /** No hello within the handshake timeout (2 s). */
  'HANDSHAKE_TIMEOUT',
  /** The token is missing, wrong or revoked. */
  'UNAUTHORIZED',
  /** The process the token was registered for is gone (its pid now runs another process, or none). */
  'STALE_PROCESS',
  /** The identity of this token is connected already. */
  'ALREADY_CONNECTED',
  /** The broker serves maxConnections connections already. */
  'TOO_MANY_CONNECTIONS',
  /** A frame's length prefix is over the maximum frame size (also when an outgoing frame would be). */
  'FRAME_TOO_LARGE',
  /** A frame that is not valid UTF-8, not JSON, or not a JSON object with a string `t`. */
  'BAD_FRAME',
  /** A well-formed frame of an unknown type or with missing or wrong fields (not fatal). */
  'BAD_MESSAGE',
  /** The target is unknown or not connected. */
  'NOT_FOUND',
  /** No response within the request's timeout. */
  'TIMEOUT',
  /** The responder's handler failed; the message is its own. */
  'HANDLER_ERROR',
  /** The request's target disconnected before it answered. */
  'PEER_GONE',
  /** This connection let more than the cap of bytes queue up unread. */
  'SLOW_CONSUMER',
  /** The identity was revoked while connected (unregistered, a new run of the program, the program removed). */
  'REVOKED',
  /** The broker stops (IPC turned off, its folder changed, Proctor quits). */
  'SHUTTING_DOWN',
  /** The broker failed on a frame (a bug in Proctor); the connection is closed. */
  'INTERNAL',
] as const
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number]

const endpoint = z.string().min(1).max(200)
/** A request id: the requester's own, echoed in the response. */
const requestId = z.union([z.string().min(1).max(100), z.number().int().nonnegative()])
const timeoutMs = z.number().int().min(1).max(600_000)
const wireError = z.object({ code: z.string().max(100), message: z.string().max(10_000) })

// ------------------------------------------------------- client -> broker

export const helloSchema = z.object({
  t: z.literal('hello'),
  token: z.string().min(1).max(256),
  /** The protocol version the client speaks (1). */
  v: z.number().int().optional(),
  /** The client's pid, as it says (shown in the connections list; a registered identity's pid is Proctor's own check). */
  pid: z.number().int().positive().optional(),
})

export const clientMessageSchemas = {
  send: z.object({ t: z.literal('send'), to: endpoint, payload: z.json(), id: requestId.optional() }),
  request: z.object({ t: z.literal('request'), to: endpoint, id: requestId, payload: z.json(), timeoutMs: timeoutMs.optional() }),
  response: z.union([
    z.object({ t: z.literal('response'), id: requestId, payload: z.json() }),
    z.object({ t: z.literal('response'), id: requestId, error: wireError }),
  ]),
  broadcast: z.object({ t: z.literal('broadcast'), payload: z.json() }),
  heartbeat: z.object({ t: z.literal('heartbeat') }),
  ready: z.object({ t: z.literal('ready') }),
} as const
export type ClientMessageType = keyof typeof clientMessageSchemas
export const clientMessageSchema = z.union([helloSchema, ...Object.values(clientMessageSchemas)])
export type ClientMessage = z.infer<typeof clientMessageSchema>

// ------------------------------------------------------- broker -> client

export const welcomeSchema = z.object({
  t: z.literal('welcome'),
  v: z.literal(PROTOCOL_VERSION),
  /** This connection's endpoint id (`p:web`, `r:3`). */
  id: endpoint,
  name: z.string(),
  maxFrameBytes: z.number().int().positive(),
  /** The broker's settings for a client that reconnects (ipcConfig). */
  reconnectInterval: z.number().int().positive(),
  maxReconnectAttempts: z.number().int().nonnegative(),
  messageTimeout: z.number().int().positive(),
})

export const brokerMessageSchemas = {
  welcome: welcomeSchema,
  message: z.object({ t: z.literal('message'), from: endpoint, payload: z.json(), broadcast: z.literal(true).optional() }),
  request: z.object({ t: z.literal('request'), from: endpoint, id: requestId, payload: z.json() }),
  response: z.union([
    z.object({ t: z.literal('response'), id: requestId, from: endpoint, payload: z.json() }),
    z.object({ t: z.literal('response'), id: requestId, from: endpoint.optional(), error: wireError }),
  ]),
  error: z.object({
    t: z.literal('error'),
    code: z.enum(WIRE_ERROR_CODES),
    message: z.string(),
    /** The id of the send it is about, when the send had one. */
    re: requestId.optional(),
    /** The broker closes the connection right after. */
    fatal: z.literal(true).optional(),
  }),
} as const
export const brokerMessageSchema = z.union(Object.values(brokerMessageSchemas))
export type BrokerMessage = z.infer<typeof brokerMessageSchema>
export type WelcomeMessage = z.infer<typeof welcomeSchema>

/** An error frame. */
export function errorFrame(code: WireErrorCode, message: string, extra: { re?: string | number; fatal?: true } = {}) {
  return { t: 'error' as const, code, message, ...extra }
}
