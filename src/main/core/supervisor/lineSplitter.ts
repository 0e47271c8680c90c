export interface LineSplitterOptions {
  /** A partial line (no newline yet) is handed on after this long, so a prompt or a progress bar is not lost. */
  partialFlushMs: number
  /** Longer lines are handed on in pieces of at most this many bytes, cut between characters, to bound memory per line. */
  maxLineBytes: number
}

/**
 * One line: the bytes `bytes[start, end)` (newline excluded), as printed,
 * for the file to copy as they are. `bytes` stays valid until the
 * splitter's `afterLines` returns (or this call, without one).
 */
export type LineHandler = (bytes: Buffer, start: number, end: number, at: number) => void

/**
 * Bytes of one stream in, lines out, each with the time its end arrived; a
 * trailing \r is dropped. Newlines are found in the bytes (a 0x0A byte is
 * never inside a UTF-8 character), and lines are handed on as bytes, not
 * decoded: the file copies bytes, and text is made only for the lines
 * someone reads (see ProgramLogs), not for all 200,000 of a burst.
 */
export class LineSplitter {
  /** The line begun and not ended yet, in pieces copied from the reads. */
  private partial: Buffer[] = []
  private partialBytes = 0
  private partialSince = 0
  private timer: NodeJS.Timeout | undefined
  /** Reading is held back: see pause(). */
  private paused = false

  /** `afterLines` runs after each push, end or flush that handed lines on: the end of their bytes' validity. */
  constructor(
    private readonly onLine: LineHandler,
    private readonly options: LineSplitterOptions,
    private readonly afterLines: () => void = () => {},
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
    this.afterLines()
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

  /** Hands on the lines of `bytes[start, end)`, each ending with a newline; one longer than maxLineBytes in pieces. */
  private lines(bytes: Buffer, start: number, end: number, at: number): void {
    const max = this.options.maxLineBytes
    for (let s = start; s < end; ) {
      const nl = bytes.indexOf(0x0a, s)
      const cr = nl > s && bytes[nl - 1] === 0x0d ? 1 : 0
      if (nl - cr - s > max) this.pieces(bytes, s, nl - cr, at, true)
      else this.onLine(bytes, s, nl - cr, at)
      s = nl + 1
    }
  }

  /**
   * Hands on `bytes[start, end)` in pieces of at most maxLineBytes, each cut
   * between characters; with `all` false the last piece, maxLineBytes or
   * shorter, is not handed on: its start is returned.
   */
  private pieces(bytes: Buffer, start: number, end: number, at: number, all: boolean): number {
    const max = this.options.maxLineBytes
    let s = start
    while (end - s > max) {
      const c = cutAt(bytes, s, max)
      this.onLine(bytes, s, c, at)
      s = c
    }
    if (all) this.onLine(bytes, s, end, at)
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
    this.onLine(line, 0, line.length, at)
    this.afterLines()
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
