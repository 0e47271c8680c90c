/**
 * What a channel hands its one receiver: the session on the server end,
 * the client on the other. Messages arrive as plain values, not yet checked.
 */
export interface ChannelReceiver {
  message(data: unknown): void
  /** A frame that holds no message (not JSON, too large, binary); the channel stays usable. */
  unreadable(reason: string): void
  /** The channel is gone, whichever end closed it; called once, and nothing arrives after it. */
  closed(): void
}

/**
 * One end of a connection carrying protocol messages: Electron IPC, a
 * WebSocket, an in-process loopback, next a Unix socket. Adapters only move
 * messages; checking, ids, streams and limits are RpcSession's and
 * RpcClient's, the same over every channel.
 */
export interface Channel<Out> {
  /**
   * Sends one message. Throws only when this message cannot be carried (it
   * cannot be cloned or serialised); on a channel that is going away it
   * does nothing, and the receiver's closed() follows.
   */
  send(message: Out): void
  /** Sets the one receiver; adapters deliver nothing before it is set. */
  receive(receiver: ChannelReceiver): void
  close(): void
}

/**
 * The receiving half every adapter shares: one receiver, nothing delivered
 * once the channel is closed, closed() told once.
 */
export class Inbox implements ChannelReceiver {
  private receiver: ChannelReceiver | undefined
  private ended = false

  get isClosed(): boolean {
    return this.ended
  }

  set(receiver: ChannelReceiver): void {
    if (this.receiver) throw new Error('a channel has one receiver')
    this.receiver = receiver
  }

  message(data: unknown): void {
    if (!this.ended) this.receiver?.message(data)
  }

  unreadable(reason: string): void {
    if (!this.ended) this.receiver?.unreadable(reason)
  }

  closed(): void {
    if (this.ended) return
    this.ended = true
    this.receiver?.closed()
  }
}
