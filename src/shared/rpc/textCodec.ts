import type { ChannelReceiver } from './channel'

/*
 * Messages as JSON text, for channels that carry text frames: a WebSocket
 * now, length-prefixed frames on the Unix control socket next. Channels
 * that carry objects (Electron IPC's structured clone) need none of this.
 */

/** Largest client message a server reads, in characters: a frame past it is refused unread. */
export const MAX_CLIENT_MESSAGE = 1 << 20

export function encodeMessage(message: object): string {
  return JSON.stringify(message)
}

/** Hands one text frame to `receiver`: the message it holds, or why it holds none. `limit` is in characters. */
export function receiveText(receiver: ChannelReceiver, text: string, limit = Infinity): void {
  if (text.length > limit) return receiver.unreadable(`message too large: ${text.length} characters (limit ${limit})`)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    return receiver.unreadable(`malformed message: not JSON (${(err as Error).message})`)
  }
  receiver.message(data)
}

export const BINARY_FRAME = 'malformed message: a binary frame; messages are JSON text'
