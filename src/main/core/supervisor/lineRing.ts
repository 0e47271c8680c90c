export type LogStream = 'stdout' | 'stderr'

export interface LogLine {
  /** ms since the epoch, when the line's end arrived */
  at: number
  stream: LogStream
  text: string
}

/** Lines copied out of one batch, decoded together when first asked for. */
interface Block {
  /** The lines are `bytes[0, length)`. */
  bytes: Buffer
  length: number
  /** Slots still holding it undecoded: at 0 its buffer is free for another block. */
  refs: number
  text?: string
  /** The text's offsets are the bytes' (see decode()). */
  oneToOne?: boolean
}

/** Bytes decoded into one string at most (under V8's 128 KB limit for a regular heap object), and the size of a block's buffer. */
const BLOCK_BYTES = 64 * 1024

/**
 * Block buffers free to fill again, shared by every program's ring like
 * the read buffer: fresh memory is dear here (copying each batch out into
 * a new buffer spent most of its time faulting pages in).
 */
const spareBlocks: Buffer[] = []
const SPARE_BLOCKS = 8

function blockOf(source: Buffer, from: number, to: number): Block {
  const length = to - from
  const bytes = length > BLOCK_BYTES ? Buffer.allocUnsafe(length) : (spareBlocks.pop() ?? Buffer.allocUnsafeSlow(BLOCK_BYTES))
  source.copy(bytes, 0, from, to)
  return { bytes, length, refs: 0 }
}

function release(block: Block): void {
  if (--block.refs > 0 || block.bytes.length !== BLOCK_BYTES || spareBlocks.length >= SPARE_BLOCKS) return
  spareBlocks.push(block.bytes)
}

/**
 * `capacity` line slots in a fixed set of arrays with a moving head (no
 * object per line): what holds each line's bytes (`refs`), where in it,
 * when, and which stream (1: stderr).
 */
class Slots<T> {
  readonly refs: Array<T | undefined>
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly ats: Float64Array
  readonly errs: Uint8Array
  head = 0
  count = 0

  constructor(readonly capacity: number) {
    this.refs = new Array<T | undefined>(capacity)
    this.starts = new Int32Array(capacity)
    this.ends = new Int32Array(capacity)
    this.ats = new Float64Array(capacity)
    this.errs = new Uint8Array(capacity)
  }

  /** The slot of the k-th line, oldest first. */
  index(k: number): number {
    return (this.head + k) % this.capacity
  }

  /** A slot for one more line: a new one, or the oldest when full (its ref still there for the caller to let go). */
  add(): number {
    if (this.count < this.capacity) return this.index(this.count++)
    const i = this.head
    this.head = (this.head + 1) % this.capacity
    return i
  }

  /** Forgets every line. */
  clear(): void {
    this.refs.fill(undefined)
    this.head = 0
    this.count = 0
  }
}

/**
 * The last `capacity` lines of a program, their text made only when read.
 *
 * A program printing 200,000 lines in a burst has them handed on in
 * batches (a read each) whose bytes are valid only until the batch ends;
 * decoding each line of each batch into a string for a ring of 1,000 made
 * most of the garbage and a third of the event loop's time of the burst,
 * for lines overwritten a read later. Instead each batch's lines are
 * staged by reference (the last `capacity` of them), copied out into
 * reused 64 KB blocks when the batch ends, and decoded when someone asks
 * (lines()), a block at a time; a line given as text (a listener saw it)
 * is kept as is.
 */
export class LineRing {
  private readonly lines: Slots<Block>
  private readonly texts: Array<string | undefined>
  /** The batch under way: lines by reference to bytes valid until endBatch(). */
  private readonly staged: Slots<Buffer>

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`ring capacity must be at least 1, got ${capacity}`)
    this.lines = new Slots(capacity)
    this.texts = new Array<string | undefined>(capacity)
    this.staged = new Slots(capacity)
  }

  /** Lines held, the staged ones included. */
  get size(): number {
    return Math.min(this.capacity, this.lines.count + this.staged.count)
  }

  /** The line `bytes[start, end)`, `bytes` valid until endBatch(): only the batch's last `capacity` are kept. */
  stage(bytes: Buffer, start: number, end: number, at: number, stream: LogStream): void {
    const s = this.staged
    const i = s.add()
    s.refs[i] = bytes
    s.starts[i] = start
    s.ends[i] = end
    s.ats[i] = at
    s.errs[i] = stream === 'stderr' ? 1 : 0
  }

  /** A line already decoded (after the staged ones, which it follows). */
  push(line: LogLine): void {
    this.endBatch()
    const i = this.slot()
    this.texts[i] = line.text
    this.lines.ats[i] = line.at
    this.lines.errs[i] = line.stream === 'stderr' ? 1 : 0
  }

  /** The staged lines join the ring: their bytes copied out, a block per run of lines in one buffer. */
  endBatch(): void {
    const s = this.staged
    const l = this.lines
    let k = 0
    while (k < s.count) {
      const first = s.index(k)
      const source = s.refs[first]!
      const from = s.starts[first]!
      let m = k + 1
      for (; m < s.count; m++) {
        const j = s.index(m)
        if (s.refs[j] !== source || s.starts[j]! < s.ends[s.index(m - 1)]! || s.ends[j]! - from > BLOCK_BYTES) break
      }
      const block = blockOf(source, from, s.ends[s.index(m - 1)]!)
      for (; k < m; k++) {
        const j = s.index(k)
        const i = this.slot()
        l.refs[i] = block
        block.refs++
        l.starts[i] = s.starts[j]! - from
        l.ends[i] = s.ends[j]! - from
        l.ats[i] = s.ats[j]!
        l.errs[i] = s.errs[j]!
      }
    }
    if (s.count > 0) s.clear()
  }

  /** The lines, oldest first; the last `n` when given. */
  toArray(n = this.capacity): LogLine[] {
    this.endBatch()
    const l = this.lines
    const out: LogLine[] = []
    for (let k = Math.max(0, l.count - n); k < l.count; k++) {
      const i = l.index(k)
      let text = this.texts[i]
      if (text === undefined) {
        const block = l.refs[i]!
        text = decode(block, l.starts[i]!, l.ends[i]!)
        this.texts[i] = text
        l.refs[i] = undefined
        release(block)
      }
      out.push({ at: l.ats[i]!, stream: l.errs[i] ? 'stderr' : 'stdout', text })
    }
    return out
  }

  /** A slot for the next line, the oldest one let go when full. */
  private slot(): number {
    const i = this.lines.add()
    const old = this.lines.refs[i]
    if (old) release(old)
    this.lines.refs[i] = undefined
    this.texts[i] = undefined
    return i
  }
}

/**
 * The text of `block.bytes[start, end)`. The block is decoded once: as many
 * characters as bytes means one for each (ASCII, or stray bytes each shown
 * as U+FFFD; no byte sequence decodes to more characters than it has
 * bytes), so a line's text is a slice at its byte offsets; otherwise each
 * line is decoded on its own.
 */
function decode(block: Block, start: number, end: number): string {
  if (block.text === undefined) {
    block.text = block.bytes.toString('utf8', 0, block.length)
    block.oneToOne = block.text.length === block.length
  }
  return block.oneToOne ? block.text.slice(start, end) : block.bytes.toString('utf8', start, end)
}
