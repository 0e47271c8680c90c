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
  // One slot per line, a fixed set of arrays and a moving head (no object per line).
  private readonly blocks: Array<Block | undefined>
  private readonly texts: Array<string | undefined>
  private readonly starts: Int32Array
  private readonly ends: Int32Array
  private readonly ats: Float64Array
  private readonly errs: Uint8Array
  private head = 0
  private count = 0
  /** The batch under way: lines by reference to bytes valid until endBatch(). */
  private readonly staged: Array<Buffer | undefined>
  private readonly stagedStarts: Int32Array
  private readonly stagedEnds: Int32Array
  private readonly stagedAts: Float64Array
  private readonly stagedErrs: Uint8Array
  private stagedHead = 0
  private stagedCount = 0

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`ring capacity must be at least 1, got ${capacity}`)
    this.blocks = new Array<Block | undefined>(capacity)
    this.texts = new Array<string | undefined>(capacity)
    this.starts = new Int32Array(capacity)
    this.ends = new Int32Array(capacity)
    this.ats = new Float64Array(capacity)
    this.errs = new Uint8Array(capacity)
    this.staged = new Array<Buffer | undefined>(capacity)
    this.stagedStarts = new Int32Array(capacity)
    this.stagedEnds = new Int32Array(capacity)
    this.stagedAts = new Float64Array(capacity)
    this.stagedErrs = new Uint8Array(capacity)
  }

  /** Lines held, the staged ones included. */
  get size(): number {
    return Math.min(this.capacity, this.count + this.stagedCount)
  }

  /** The line `bytes[start, end)`, `bytes` valid until endBatch(): only the batch's last `capacity` are kept. */
  stage(bytes: Buffer, start: number, end: number, at: number, stream: LogStream): void {
    let i: number
    if (this.stagedCount < this.capacity) i = (this.stagedHead + this.stagedCount++) % this.capacity
    else {
      i = this.stagedHead
      this.stagedHead = (this.stagedHead + 1) % this.capacity
    }
    this.staged[i] = bytes
    this.stagedStarts[i] = start
    this.stagedEnds[i] = end
    this.stagedAts[i] = at
    this.stagedErrs[i] = stream === 'stderr' ? 1 : 0
  }

  /** A line already decoded (after the staged ones, which it follows). */
  push(line: LogLine): void {
    this.endBatch()
    this.texts[this.slot()] = line.text
    const i = this.last()
    this.ats[i] = line.at
    this.errs[i] = line.stream === 'stderr' ? 1 : 0
  }

  /** The staged lines join the ring: their bytes copied out, a piece per run of lines in one buffer. */
  endBatch(): void {
    let k = 0
    while (k < this.stagedCount) {
      const first = (this.stagedHead + k) % this.capacity
      const source = this.staged[first]!
      const from = this.stagedStarts[first]!
      let m = k + 1
      for (; m < this.stagedCount; m++) {
        const j = (this.stagedHead + m) % this.capacity
        const prev = (this.stagedHead + m - 1) % this.capacity
        if (this.staged[j] !== source || this.stagedStarts[j]! < this.stagedEnds[prev]! || this.stagedEnds[j]! - from > BLOCK_BYTES) break
      }
      const block = blockOf(source, from, this.stagedEnds[(this.stagedHead + m - 1) % this.capacity]!)
      for (; k < m; k++) {
        const j = (this.stagedHead + k) % this.capacity
        this.blocks[this.slot()] = block
        block.refs++
        const i = this.last()
        this.starts[i] = this.stagedStarts[j]! - from
        this.ends[i] = this.stagedEnds[j]! - from
        this.ats[i] = this.stagedAts[j]!
        this.errs[i] = this.stagedErrs[j]!
        this.staged[j] = undefined
      }
    }
    this.stagedHead = 0
    this.stagedCount = 0
  }

  /** The lines, oldest first; the last `n` when given. */
  toArray(n = this.capacity): LogLine[] {
    this.endBatch()
    const take = Math.min(n, this.count)
    const out: LogLine[] = []
    for (let k = this.count - take; k < this.count; k++) {
      const i = (this.head + k) % this.capacity
      let text = this.texts[i]
      if (text === undefined) {
        const block = this.blocks[i]!
        text = decode(block, this.starts[i]!, this.ends[i]!)
        this.texts[i] = text
        this.blocks[i] = undefined
        release(block)
      }
      out.push({ at: this.ats[i]!, stream: this.errs[i] ? 'stderr' : 'stdout', text })
    }
    return out
  }

  /** Frees the slot for the next line (the oldest when full) and clears it; the index of the new last slot. */
  private slot(): number {
    let i: number
    if (this.count < this.capacity) i = (this.head + this.count++) % this.capacity
    else {
      i = this.head
      this.head = (this.head + 1) % this.capacity
    }
    const block = this.blocks[i]
    if (block) release(block)
    this.blocks[i] = undefined
    this.texts[i] = undefined
    return i
  }

  private last(): number {
    return (this.head + this.count - 1) % this.capacity
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
