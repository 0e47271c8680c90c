import type { Socket } from 'node:net'
import { FrameDecoder } from '../../../shared/broker/frameCodec'
import type { IPCConnection } from '../../../shared/broker/status'
import type { Identity } from './identities'

/**
 * One accepted socket: its frame decoder, its identity once it has shaken
 * hands, and the counters the connections list shows.
 */
export class Connection {
  readonly decoder: FrameDecoder
  identity: Identity | undefined
  /** The endpoint id once authenticated; '' before. */
  id = ''
  /** The pid the client gave in its hello (a registered identity's own pid wins). */
  pid: number | undefined
  readonly connectedAt = Date.now()
  lastSeen = Date.now()
  lastHeartbeat: number | undefined
  ready = false
  messagesIn = 0
  messagesOut = 0
  bytesIn = 0
  bytesOut = 0
  /** Told why and closing: nothing more is read from or routed to it. */
  closing = false
  /** Corked for the frames routed while one incoming chunk is handled (one writev for them all). */
  corked = false
  /** Senders paused until this connection's queue drains. */
  readonly waiters = new Set<Connection>()
  /** Set while senders wait on it: a consumer that does not drain in time is dropped. */
  stallTimer: NodeJS.Timeout | undefined
  handshakeTimer: NodeJS.Timeout | undefined
  /** Connections this one is paused for. */
  pausedBy = 0

  constructor(
    readonly socket: Socket,
    maxFrameBytes: number,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes)
  }

  get authenticated(): boolean {
    return this.identity !== undefined
  }

  /** Bytes written to it and not yet taken by the peer (the socket's queue; the broker holds no other). */
  get queuedBytes(): number {
    return this.socket.writableLength
  }

  view(): IPCConnection {
    const i = this.identity!
    return {
      id: this.id,
      kind: i.kind,
      name: i.name,
      ...(i.program !== undefined ? { program: i.program } : {}),
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
      connectedSince: this.connectedAt,
      lastSeen: this.lastSeen,
      ...(this.lastHeartbeat !== undefined ? { lastHeartbeat: this.lastHeartbeat } : {}),
      ready: this.ready,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      queuedBytes: this.queuedBytes,
    }
  }
}
