import { closeSync, openSync, readSync } from 'node:fs'

/**
 * Reads small kernel files (/proc, /sys) into one reused buffer: cheaper
 * than readFileSync, which stats each file and allocates per call, and these
 * reads happen every second.
 */
export class TextFiles {
  private buf = Buffer.allocUnsafe(16 * 1024)

  /** The whole file as latin1 text, or undefined if it is missing or unreadable. */
  read(path: string): string | undefined {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return undefined
    }
    try {
      let length = 0
      for (;;) {
        if (length === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2)
          this.buf.copy(bigger, 0, 0, length)
          this.buf = bigger
        }
        const n = readSync(fd, this.buf, length, this.buf.length - length, null)
        if (n === 0) break
        length += n
      }
      return this.buf.toString('latin1', 0, length)
    } catch {
      return undefined
    } finally {
      closeSync(fd)
    }
  }
}
