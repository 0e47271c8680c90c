/**
 * What the broker shows of itself through the contract: its caps, its
 * connections with their counters, the identities registered for IPC, and
 * the traffic it carries (for the IPC page's live log).
 */

/** Who an endpoint is: a managed program's run, a process registered by hand, or Proctor itself. */
export type IPCEndpointKind = 'program' | 'registered' | 'proctor'

export interface IPCCaps {
  maxConnections: number
  /** The largest frame accepted either way, in bytes (the length prefix excluded). */
  maxFrameBytes: number
  /** Bytes queued to one connection before it is dropped as a slow consumer. */
  maxQueuedBytes: number
  /** A request with no answer in this time fails with TIMEOUT. */
  messageTimeout: number
  /** A connection that has not shaken hands in this time is closed. */
  handshakeTimeoutMs: number
}

export interface IPCConnection {
  /** The endpoint's id: what messages are addressed to (a program can also be addressed by its name). */
  id: string
  kind: IPCEndpointKind
  /** The program's name, or the name given at registration. */
  name: string
  /** The managed program this endpoint belongs to. */
  program?: string
  pid?: number
  /** ms since the epoch */
  connectedSince: number
  /** ms since the epoch: the last frame received */
  lastSeen: number
  /** The last heartbeat, if any (ms since the epoch). */
  lastHeartbeat?: number
  /** Whether it has sent `ready` since it connected. */
  ready: boolean
  messagesIn: number
  messagesOut: number
  bytesIn: number
  bytesOut: number
  /** Bytes written to it and not yet taken by the peer. */
  queuedBytes: number
}

/** An identity that may connect: a managed program's run, or a process registered with registerProcessForIPC. */
export interface IPCRegistration {
  id: string
  kind: Exclude<IPCEndpointKind, 'proctor'>
  name: string
  program?: string
  pid?: number
  startTime?: number
  /** ms since the epoch */
  issuedAt: number
  connected: boolean
}

export interface IPCOverview {
  /** The settings' enableIPC. */
  enabled: boolean
  /** Whether the broker listens now (enabled, and the socket could be made). */
  listening: boolean
  /** The socket's path while it listens. */
  socket?: string
  /** Why it does not listen although enabled (the folder, the path's length, ...). */
  problem?: string
  caps: IPCCaps
  connections: IPCConnection[]
  /** Connections accepted that have not shaken hands yet (they count toward maxConnections). */
  handshaking: number
  registrations: IPCRegistration[]
  /** Since Proctor started: frames routed, bytes received, connections refused or closed before their handshake. */
  totals: { messages: number; bytes: number; rejected: number }
}

/** One entry of the live message log. */
export interface IPCTrafficEvent {
  /** ms since the epoch */
  at: number
  kind: 'send' | 'request' | 'response' | 'broadcast' | 'heartbeat' | 'ready' | 'connect' | 'disconnect' | 'rejected' | 'error'
  /** The sender's endpoint id ('proctor' for Proctor itself); absent for a connection not yet identified. */
  from?: string
  /** The target's endpoint id, '*' for a broadcast. */
  to?: string
  /** The request id a request and its response share. */
  requestId?: string
  bytes: number
  /** The payload as JSON, cut to 200 characters; or the reason (disconnect, rejected, error). */
  text: string
}
