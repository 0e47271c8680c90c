/**
 * The broker's frames: a 4-byte big-endian length, then that many bytes of
 * UTF-8 JSON (one message). Pure (Uint8Array, TextEncoder/TextDecoder) so
 * the broker, the client module and the tests share one codec.
 *
 * Unlike the control socket, a broken frame is not skipped: the broker
 * tells the peer why and closes, so the decoder stops at the first error
 * and never holds more than one frame (limit + 4 bytes). A length prefix
 * over the limit is refused as soon as its 4 bytes are in, without waiting
 * for (or buffering) the body.
 */

export const FRAME_HEADER_BYTES = 4
/** The default largest frame body, either way. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024

export type FrameErrorCode = 'FRAME_TOO_LARGE' | 'BAD_FRAME'

/** The only error the decoder and encoder throw: what was wrong with the bytes, as a wire error code. */
export class FrameError extends Error {
  constructor(
    readonly code: FrameErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'FrameError'
  }
}

const encoder = new TextEncoder()
// fatal: invalid UTF-8 is an error, not silently replaced with U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true })

export function tooLargeMessage(bytes: number, limit: number): string {
  return `frame too large: ${bytes} bytes (limit ${limit})`
}

/** One JSON text as a frame; FrameError FRAME_TOO_LARGE past `limit`. */
export function encodeFrameText(text: string, limit = DEFAULT_MAX_FRAME_BYTES): Uint8Array {
  // Worst case 3 bytes a UTF-16 unit; encodeInto then writes straight after the header, one allocation.
  const out = new Uint8Array(FRAME_HEADER_BYTES + text.length * 3)
  const { written } = encoder.encodeInto(text, out.subarray(FRAME_HEADER_BYTES))
  if (written > limit) throw new FrameError('FRAME_TOO_LARGE', tooLargeMessage(written, limit))
  new DataView(out.buffer, out.byteOffset, FRAME_HEADER_BYTES).setUint32(0, written)
  return out.subarray(0, FRAME_HEADER_BYTES + written)
}

/** One message as a frame. */
export function encodeFrame(message: unknown, limit = DEFAULT_MAX_FRAME_BYTES): Uint8Array {
  return encodeFrameText(JSON.stringify(message), limit)
}

/**
 * Cuts a byte stream into frame texts. push() returns the complete frames
 * the chunk finished, in order, or throws a FrameError; after an error the
 * decoder refuses everything (the connection is being closed).
 */
export class FrameDecoder {
  private parts: Uint8Array[] = []
  private held = 0
  /** The body length of the frame being read, once its header is in. */
  private expected = -1
  private failed: FrameError | undefined

  constructor(readonly limit = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes held for a frame not yet complete: never more than limit + 4. */
  get buffered(): number {
    return this.held
  }

  push(chunk: Uint8Array): string[] {
    if (this.failed) throw this.failed
    const frames: string[] = []
    let data = chunk
    try {
      while (data.length > 0) {
        if (this.expected < 0) {
          if (this.held === 0 && data.length >= FRAME_HEADER_BYTES) {
            // The common case: the header whole in this chunk, nothing held.
            this.expected = this.header(data)
            data = data.subarray(FRAME_HEADER_BYTES)
          } else {
            const take = Math.min(FRAME_HEADER_BYTES - this.held, data.length)
            this.hold(data.subarray(0, take))
            data = data.subarray(take)
            if (this.held < FRAME_HEADER_BYTES) break
            this.expected = this.header(this.take())
          }
          if (this.expected === 0) frames.push(this.finish(new Uint8Array(0)))
          continue
        }
        const need = this.expected - this.held
        if (this.held === 0 && data.length >= need) {
          // A whole body in this chunk: decoded in place, never copied.
          frames.push(this.finish(data.subarray(0, need)))
          data = data.subarray(need)
          continue
        }
        if (data.length < need) {
          this.hold(data)
          break
        }
        this.hold(data.subarray(0, need))
        data = data.subarray(need)
        frames.push(this.finish(this.take()))
      }
    } catch (err) {
      this.parts = []
      this.held = 0
      this.failed = err instanceof FrameError ? err : new FrameError('BAD_FRAME', String(err))
      throw this.failed
    }
    return frames
  }

  private header(bytes: Uint8Array): number {
    const length = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!
    if (length > this.limit) throw new FrameError('FRAME_TOO_LARGE', tooLargeMessage(length, this.limit))
    return length
  }

  private hold(bytes: Uint8Array): void {
    // A copy: the caller may reuse its chunk (Node's socket buffers are pooled).
    this.parts.push(bytes.slice())
    this.held += bytes.length
  }

  private take(): Uint8Array {
    const out = this.parts.length === 1 ? this.parts[0]! : concat(this.parts, this.held)
    this.parts = []
    this.held = 0
    return out
  }

  private finish(body: Uint8Array): string {
    this.expected = -1
    try {
      return decoder.decode(body)
    } catch {
      throw new FrameError('BAD_FRAME', 'frame is not valid UTF-8')
    }
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
