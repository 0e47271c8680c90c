import { StringDecoder } from 'node:string_decoder'

export interface LineSplitterOptions {
  /** A partial line (no newline yet) is handed on after this long, so a prompt or a progress bar is not lost. */
  partialFlushMs: number
  /** Longer lines are handed on in pieces of this many characters, to bound memory per line. */
  maxLineChars: number
}

/**
 * Bytes of one stream in, lines out, each with the time its end arrived.
 * UTF-8 is decoded across chunk boundaries; a trailing \r is dropped.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''
  private partialSince = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly onLine: (text: string, at: number) => void,
    private readonly options: LineSplitterOptions,
  ) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk), Date.now())
  }

  /** The stream ended: whatever is left is a line. */
  end(): void {
    const at = Date.now()
    this.take(this.decoder.end(), at)
    this.flushPartial(at)
  }

  private take(text: string, at: number): void {
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl)
      const line = this.partial ? this.partial + piece : piece
      this.partial = ''
      this.emit(line.endsWith('\r') ? line.slice(0, -1) : line, at)
      start = nl + 1
    }
    if (start < text.length) {
      if (!this.partial) this.partialSince = at
      this.partial += text.slice(start)
      while (this.partial.length > this.options.maxLineChars) {
        this.onLine(this.partial.slice(0, this.options.maxLineChars), at)
        this.partial = this.partial.slice(this.options.maxLineChars)
      }
    }
    if (!this.partial) this.clearTimer()
    else if (!this.timer) this.armTimer(at)
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
      if (!this.partial) return
      if (t - this.partialSince >= this.options.partialFlushMs) this.flushPartial(t)
      else this.armTimer(t)
    }, wait)
    this.timer.unref()
  }

  private emit(line: string, at: number): void {
    const max = this.options.maxLineChars
    let i = 0
    for (; line.length - i > max; i += max) this.onLine(line.slice(i, i + max), at)
    this.onLine(i === 0 ? line : line.slice(i), at)
  }

  private flushPartial(at: number): void {
    this.clearTimer()
    if (!this.partial) return
    const line = this.partial
    this.partial = ''
    this.onLine(line, at)
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
