import type { ServerMessage } from './protocol'
import type { ErrorInfo } from '../errors'

const MIB = 1024 * 1024

function byteSize(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`
}

/**
 * What a server does for a client that stops reading (a socket's queued
 * bytes grow): past `soft`, its stream events are skipped and its new calls
 * refused with QUEUE_FULL until it catches up; past `hard`, even after
 * that, it is dropped, so memory for it cannot grow without bound.
 */
export class BacklogLimits {
  constructor(
    readonly soft: number,
    readonly hard: number,
  ) {}

  /** What to do with `message` for a client `queued` bytes behind. */
  verdict(message: ServerMessage, queued: number): 'send' | 'skip' | 'drop-client' {
    if (queued > this.hard) return 'drop-client'
    if (message.t === 'event' && queued > this.soft) return 'skip'
    return 'send'
  }

  /** Why new calls are refused for a client `queued` bytes behind, or undefined. */
  refusal(queued: number): ErrorInfo | undefined {
    if (queued <= this.soft) return undefined
    return {
      code: 'QUEUE_FULL',
      message: `this client has ${byteSize(queued)} of results and events it has not read (the limit is ${byteSize(this.soft)}): new calls are refused until it catches up`,
      details: { bufferedBytes: queued, limit: this.soft },
    }
  }
}
