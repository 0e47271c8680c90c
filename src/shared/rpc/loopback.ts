import { Inbox, type Channel, type ChannelReceiver } from './channel'

/** JSON round trip: what crosses a real transport must survive it, so in-process use finds what would not. */
function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

class LoopbackEnd<Out> implements Channel<Out> {
  readonly inbox = new Inbox()
  peer!: LoopbackEnd<unknown>

  send(message: Out): void {
    if (this.inbox.isClosed) return
    // Copied now (so a message that cannot be carried throws here, as a real channel's would), delivered later.
    const copy = wire(message)
    queueMicrotask(() => this.peer.inbox.message(copy))
  }

  receive(receiver: ChannelReceiver): void {
    this.inbox.set(receiver)
  }

  close(): void {
    this.inbox.closed()
    // After what was already sent, as on a socket.
    queueMicrotask(() => this.peer.inbox.closed())
  }
}

/**
 * Two connected channel ends in one process (the CLI's engine, the tray,
 * tests): `A` is what the first end sends, `B` what the second sends.
 * Delivery is asynchronous, in order, JSON round-tripped.
 */
export function loopbackPair<A, B>(): [Channel<A>, Channel<B>] {
  const a = new LoopbackEnd<A>()
  const b = new LoopbackEnd<B>()
  a.peer = b as LoopbackEnd<unknown>
  b.peer = a as LoopbackEnd<unknown>
  return [a, b]
}
