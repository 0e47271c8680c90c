export interface LineSplitterOptions {
  /** A partial line (no newline yet) is handed on after this long, so a prompt or a progress bar is not lost. */
  partialFlushMs: number
  /** Longer lines are handed on in pieces of at most this many bytes, cut between characters, to bound memory per line. */
  maxLineBytes: number
}

/** The most bytes decoded into one string: under V8's 128 KB limit for a regular heap object. */
const DECODE_BYTES = 64 * 1024

/**
 * One line: its text, and the bytes it was decoded from, `bytes[start,
 * end)` (newline excluded), for the file to copy as they are. `bytes` is
 * only valid during the call.
 */
export type LineHandler = (text: string, bytes: Buffer, start: number, end: number, at: number) => void

/**
 * Bytes of one stream in, lines out, each with the time its end arrived; a
 * trailing \r is dropped. Newlines are found in the bytes (a 0x0A byte is
 * never inside a UTF-8 character), the complete lines of a read are
 * decoded in one go (per line: 16 ms per 200,000 lines, 6 ms in one go),
 * and the file is handed the bytes, not text to encode again. Capturing
 * 200,000 lines of 100 bytes took 38 ms of the event loop before, 17 ms.
 */
export class LineSplitter {
  /** The line begun and not ended yet, in pieces copied from the reads. */
  private partial: Buffer[] = []
  private partialBytes = 0
  private partialSince = 0
  private timer: NodeJS.Timeout | undefined
  /** Reading is held back: see pause(). */
  private paused = false

  constructor(
    private readonly onLine: LineHandler,
    private readonly options: LineSplitterOptions,
  ) {}

  push(chunk: Buffer): void {
    const at = Date.now()
    let start = 0
    const last = chunk.lastIndexOf(0x0a)
    if (last >= 0) {
      if (this.partialBytes > 0) {
        const first = chunk.indexOf(0x0a)
        const line = this.takePartial(chunk.subarray(0, first + 1))
        this.lines(line, 0, line.length, at)
        start = first + 1
      }
      if (start <= last) this.lines(chunk, start, last + 1, at)
      start = last + 1
    }
    if (start < chunk.length) this.hold(chunk.subarray(start), at)
    if (this.partialBytes === 0) this.clearTimer()
    else if (!this.timer && !this.paused) this.armTimer(at)
  }

  /**
   * Proctor holds back its reads (the log file behind): the wait is its
   * own, not the program's, so a partial line is not flushed for it (that
   * would cut a line the program printed whole); the delay starts again at
   * resume().
   */
  pause(): void {
    this.paused = true
    this.clearTimer()
  }

  resume(): void {
    this.paused = false
    if (this.partialBytes === 0 || this.timer) return
    this.partialSince = Date.now()
    this.armTimer(this.partialSince)
  }

  /** The stream ended: whatever is left is a line. */
  end(): void {
    this.flushPartial(Date.now())
  }

  /**
   * Hands on the lines of `bytes[start, end)`, each ending with a newline,
   * decoded a window of at most DECODE_BYTES at a time (cut after a
   * newline): V8 puts a string over 128 KB in its large-object space, fresh
   * memory each time, and 200,000 lines of 100 bytes read 256 KB at a time
   * took 140 ms to split in one decode per read, 15 ms in windows of 64 KB.
   */
  private lines(bytes: Buffer, start: number, end: number, at: number): void {
    for (let s = start; s < end; ) {
      let e = end
      if (end - s > DECODE_BYTES) {
        const nl = bytes.lastIndexOf(0x0a, s + DECODE_BYTES - 1)
        // A line longer than the window is a window of its own.
        e = (nl >= s ? nl : bytes.indexOf(0x0a, s + DECODE_BYTES)) + 1
      }
      this.window(bytes, s, e, at)
      s = e
    }
  }

  /** The lines of `bytes[start, end)`, decoded in one go. */
  private window(bytes: Buffer, start: number, end: number, at: number): void {
    const max = this.options.maxLineBytes
    if (end - start > DECODE_BYTES) {
      // One line: decoded as it is handed on (in pieces when too long), not twice.
      const cr = bytes[end - 2] === 0x0d && end - 1 > start ? 1 : 0
      if (end - 1 - cr - start > max) this.pieces(bytes, start, end - 1 - cr, at, true)
      else this.onLine(bytes.toString('utf8', start, end - 1 - cr), bytes, start, end - 1 - cr, at)
      return
    }
    const text = bytes.toString('utf8', start, end)
    // The n-th newline byte decodes to the n-th '\n', and a \r byte before
    // it to '\r'. No byte sequence decodes to more characters than it has
    // bytes, so as many characters as bytes means one for each (ASCII, or a
    // stray byte shown as U+FFFD): the text's offsets are the bytes', and
    // the newlines need finding once (21 ms -> 17 ms per 200,000 lines).
    const oneToOne = text.length === end - start
    for (let s = start, t = 0; s < end; ) {
      const tnl = text.indexOf('\n', t)
      const nl = oneToOne ? start + tnl : bytes.indexOf(0x0a, s)
      const cr = nl > s && bytes[nl - 1] === 0x0d ? 1 : 0
      if (nl - cr - s > max) this.pieces(bytes, s, nl - cr, at, true)
      else this.onLine(text.slice(t, tnl - cr), bytes, s, nl - cr, at)
      s = nl + 1
      t = tnl + 1
    }
  }

  /**
   * Hands on `bytes[start, end)` in pieces of at most maxLineBytes, each
   * decoded on its own so the text and the file agree; with `all` false the
   * last piece, maxLineBytes or shorter, is not handed on: its start is
   * returned.
   */
  private pieces(bytes: Buffer, start: number, end: number, at: number, all: boolean): number {
    const max = this.options.maxLineBytes
    let s = start
    while (end - s > max) {
      const c = cutAt(bytes, s, max)
      this.onLine(bytes.toString('utf8', s, c), bytes, s, c, at)
      s = c
    }
    if (all) this.onLine(bytes.toString('utf8', s, end), bytes, s, end, at)
    return s
  }

  /** Keeps the start of a line (copied: not the whole read kept alive for it); too long, its full pieces are handed on. */
  private hold(bytes: Buffer, at: number): void {
    if (this.partialBytes === 0) this.partialSince = at
    this.partial.push(Buffer.from(bytes))
    this.partialBytes += bytes.length
    if (this.partialBytes <= this.options.maxLineBytes) return
    const line = this.takePartial()
    const rest = line.subarray(this.pieces(line, 0, line.length, at, false))
    this.partial.push(rest)
    this.partialBytes = rest.length
  }

  private takePartial(tail?: Buffer): Buffer {
    if (tail) this.partial.push(tail)
    const line = this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial)
    this.partial = []
    this.partialBytes = 0
    return line
  }

  /**
   * One timer for the partial line, re-armed when it fires early: under
   * steady output each read completes the last partial and starts another,
   * and only a partial that has waited partialFlushMs is flushed (a line
   * must not be cut in two because output happened to be steady).
   */
  private armTimer(now: number): void {
    const wait = Math.max(0, this.partialSince + this.options.partialFlushMs - now)
    this.timer = setTimeout(() => {
      this.timer = undefined
      const t = Date.now()
      if (this.partialBytes === 0) return
      if (t - this.partialSince >= this.options.partialFlushMs) this.flushPartial(t)
      else this.armTimer(t)
    }, wait)
    this.timer.unref()
  }

  private flushPartial(at: number): void {
    this.clearTimer()
    if (this.partialBytes === 0) return
    const line = this.takePartial()
    this.onLine(line.toString('utf8'), line, 0, line.length, at)
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}

/**
 * Where to end a piece of at most `max` bytes from `start`: before the
 * character the limit falls in (UTF-8 continuation bytes are 10xxxxxx, at
 * most three in a row), or at the limit in bytes that are not UTF-8.
 */
function cutAt(bytes: Buffer, start: number, max: number): number {
  const limit = start + max
  for (let c = limit; c > start && c > limit - 4; c--) if ((bytes[c]! & 0xc0) !== 0x80) return c
  return limit
}
