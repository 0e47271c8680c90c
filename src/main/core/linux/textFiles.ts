import { closeSync, openSync, readSync } from 'node:fs'

/**
 * Reads small kernel files (/proc, /sys) into one reused buffer: cheaper
 * than readFileSync, which stats each file and allocates per call, and these
 * reads happen every second. The process reader, the inspector, the system
 * sampler and the supervisor's tree each keep one.
 */
export class TextFiles {
  private buf = Buffer.allocUnsafe(16 * 1024)
  /** Descriptors kept open by readKept, by path. */
  private readonly kept = new Map<string, number>()

  /** The whole file as text (latin1 unless told), or undefined if it is missing or unreadable. */
  read(path: string, encoding: BufferEncoding = 'latin1'): string | undefined {
    const length = this.readBytes(path)
    return length < 0 ? undefined : this.buf.toString(encoding, 0, length)
  }

  /** The whole file into `bytes` (valid until the next read): its length, or -1 if it is missing or unreadable. */
  readBytes(path: string): number {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return -1
    }
    try {
      return this.readFd(fd)
    } finally {
      closeSync(fd)
    }
  }

  /**
   * Like read, through a descriptor kept open and read from offset 0 each
   * time: the kernel generates a /proc file anew on such a read, and opening
   * it was most of the cost (about 25 of 60 µs a file here; measured for
   * the six files a system sample reads every second). For files read on
   * every sample; close() releases them.
   */
  readKept(path: string, toEnd = false): string | undefined {
    const length = this.readKeptBytes(path, toEnd)
    return length < 0 ? undefined : this.buf.toString('latin1', 0, length)
  }

  /**
   * Like readKept, leaving the bytes in `bytes` (valid until the next read): their length, or -1.
   * `toEnd` reads until the end rather than the first short read, for the kernel's tables
   * (/proc/net/*), which come a page or so per read.
   */
  readKeptBytes(path: string, toEnd = false): number {
    let fd = this.kept.get(path)
    if (fd === undefined) {
      try {
        fd = openSync(path, 'r')
      } catch {
        return -1
      }
      this.kept.set(path, fd)
    }
    const length = this.readFd(fd, toEnd)
    if (length >= 0) return length
    // Unreadable now: open it afresh next time.
    this.kept.delete(path)
    closeSync(fd)
    return -1
  }

  /** The shared buffer the last read filled. */
  get bytes(): Buffer {
    return this.buf
  }

  close(): void {
    for (const fd of this.kept.values()) closeSync(fd)
    this.kept.clear()
  }

  /** The file open on `fd`, from offset 0, into `bytes`, growing it as needed; its length, or -1. */
  readFd(fd: number, toEnd = false): number {
    try {
      let length = 0
      for (;;) {
        if (length === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2)
          this.buf.copy(bigger, 0, 0, length)
          this.buf = bigger
        }
        const room = this.buf.length - length
        const n = readSync(fd, this.buf, length, room, length)
        length += n
        // A short read is the end: the kernel generates these files whole, which saves a read per file.
        if (n === 0 || (n < room && !toEnd)) return length
      }
    } catch {
      return -1
    }
  }
}
