import { FRAME_HEADER_BYTES, FrameError, tooLargeMessage } from '../../../shared/broker/frameCodec'

/**
 * Frames out, the Node way: Buffer.byteLength, then one pooled
 * Buffer.allocUnsafe and a write into it. The pure encoder (TextEncoder)
 * sizes its buffer for the worst case (3 bytes a character) and zeroes
 * it; on the routing hot path this one is cheaper.
 */
export function frameBuffer(message: unknown, limit: number): Buffer {
  return frameTextBuffer(JSON.stringify(message), limit)
}

export function frameTextBuffer(text: string, limit: number): Buffer {
  const n = Buffer.byteLength(text)
  if (n > limit) throw new FrameError('FRAME_TOO_LARGE', tooLargeMessage(n, limit))
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + n)
  out.writeUInt32BE(n, 0)
  out.write(text, FRAME_HEADER_BYTES, 'utf8')
  return out
}
