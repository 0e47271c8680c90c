import type { Socket } from 'node:net'
import { z } from 'zod'
import { Inbox, type Channel } from '../../../shared/rpc/channel'
import { encodeMessage, receiveText } from '../../../shared/rpc/textCodec'

/**
 * The control socket's frames: a 4-byte big-endian length, then that many
 * bytes of UTF-8 JSON, one protocol message each (the same messages as
 * every other transport, src/shared/rpc/protocol.ts). A frame longer than
 * the limit is skipped unread (its bytes discarded as they arrive), and
 * the connection goes on: the length prefix keeps the stream in step.
 *
 * Before anything else the client sends a hello with the owner's token
 * (from owner.json, readable by this user only); the server answers
 * 'ready', or an 'error' and closes.
 */

export const MAX_FRAME_BYTES = 16 * 1024 * 1024
const HEADER = 4

export const helloSchema = z.strictObject({
  t: z.literal('hello'),
  token: z.string().max(256),
  /** Who connects, in its own words ("proctor programs list, pid 4242"): recorded with its actions. */
  client: z.string().max(200).optional(),
})
export type Hello = z.infer<typeof helloSchema>

/** One message as a frame; throws when it is past `limit`, which the reader at the other end would skip unread. */
export function encodeFrame(message: object, limit = Infinity): Buffer {
  const body = Buffer.from(encodeMessage(message), 'utf8')
  if (body.length > limit) throw new Error(tooLarge(body.length, limit))
  const header = Buffer.allocUnsafe(HEADER)
  header.writeUInt32BE(body.length, 0)
  return Buffer.concat([header, body])
}

export interface FrameSink {
  frame(text: string): void
  /** A frame of `bytes` bytes, over the limit: skipped. */
  oversize(bytes: number): void
}

/** Cuts a byte stream into frames; holds at most one frame's bytes (up to the limit) at a time. */
export class FrameReader {
  private chunks: Buffer[] = []
  private buffered = 0
  /** Bytes still to discard of an oversize frame. */
  private skipping = 0
  /** The length of the frame being read, once its header is. */
  private expected: number | undefined

  constructor(
    private sink: FrameSink,
    readonly limit = MAX_FRAME_BYTES,
  ) {}

  /** Where frames go from now on (after the handshake). */
  setSink(sink: FrameSink): void {
    this.sink = sink
  }

  push(chunk: Buffer): void {
    let data = chunk
    while (data.length > 0) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, data.length)
        this.skipping -= n
        data = data.subarray(n)
        continue
      }
      if (this.expected === undefined) {
        this.chunks.push(data)
        this.buffered += data.length
        if (this.buffered < HEADER) return
        const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks)
        const length = all.readUInt32BE(0)
        data = all.subarray(HEADER)
        this.chunks = []
        this.buffered = 0
        if (length > this.limit) {
          this.skipping = length
          this.sink.oversize(length)
          continue
        }
        this.expected = length
        if (length === 0) this.emit()
        continue
      }
      const need = this.expected - this.buffered
      if (data.length < need) {
        this.chunks.push(data)
        this.buffered += data.length
        return
      }
      this.chunks.push(data.subarray(0, need))
      data = data.subarray(need)
      this.emit()
    }
  }

  private emit(): void {
    const text = Buffer.concat(this.chunks).toString('utf8')
    this.chunks = []
    this.buffered = 0
    this.expected = undefined
    this.sink.frame(text)
  }
}

export function tooLarge(bytes: number, limit: number): string {
  return `message too large: ${bytes} bytes (limit ${limit})`
}

/**
 * One end of a connected, authenticated socket as a Channel: frames out,
 * frames in to `inbox`. `reader` already takes the socket's data; its
 * limit holds both ways (a message too large to send throws, as a
 * channel's send does for what it cannot carry).
 */
export function socketChannel<Out extends object>(
  socket: Socket,
  reader: FrameReader,
  options: { verdict?: (message: Out, queued: number) => 'send' | 'skip' | 'drop-client' } = {},
): Channel<Out> {
  const inbox = new Inbox()
  reader.setSink({
    frame: (text) => receiveText(inbox, text),
    oversize: (bytes) => inbox.unreadable(tooLarge(bytes, reader.limit)),
  })
  socket.once('close', () => inbox.closed())
  return {
    send(message) {
      if (socket.destroyed || !socket.writable) return
      const verdict = options.verdict?.(message, socket.writableLength) ?? 'send'
      if (verdict === 'drop-client') return void socket.destroy()
      // A frame the peer would skip is refused here instead, so the session answers the call with why.
      if (verdict === 'send') socket.write(encodeFrame(message, reader.limit))
    },
    receive: (receiver) => inbox.set(receiver),
    close: () => socket.end(),
  }
}
