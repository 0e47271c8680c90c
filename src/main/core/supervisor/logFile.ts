import { statSync } from 'node:fs'
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface RotatingLogFileOptions {
  /** A file is rotated before a line would take it past this size. */
  maxBytes: number
  /** Files kept in all: PATH, PATH.1 .. PATH.(files-1); the oldest is dropped. */
  files: number
  /**
   * Bytes waiting for the disk beyond which new lines are dropped (and
   * counted) rather than held. Readers hold off well before (see
   * backlogged()), so a drop takes a disk that fails, or a single read
   * larger than the room left.
   */
  maxQueuedBytes: number
}

/** Lines are packed into chunks of this size: a few big buffers off the JS heap, not one string per line, keep GC pauses short. */
const CHUNK_BYTES = 64 * 1024

/**
 * Written chunks kept to be filled again while output goes on (4 MB, what
 * the queue holds before readers hold off): fresh memory is dear here (its
 * page faults were most of the cost of copying lines into chunks):
 * 200,000 lines of 100 bytes took about 320 new chunks with 4 spares
 * dropped whenever the queue emptied, about 35 with these kept through the
 * burst.
 */
const SPARE_CHUNKS = 64

/** Spares are for a burst: a program quiet this long holds none. */
const SPARES_KEPT_MS = 1000

/** Buffers handed to one writev, well under IOV_MAX. */
const MAX_BUFFERS = 64

/** Bytes for the disk, or the point where the file is rotated. */
type Item = Bytes | 'rotate'
/** `chunk` is the whole buffer `bytes` is the start of, to be reused once written. */
type Bytes = { bytes: Buffer; lines: number; chunk?: Buffer }

/**
 * A log file written off the event loop: lines are packed into buffers and
 * written by one async loop, rotating at maxBytes on a line boundary. A
 * program that prints faster than the disk takes never makes Proctor wait
 * or grow without bound: past maxQueuedBytes lines are dropped, and a
 * marker line in the file says how many, where they were lost.
 */
export class RotatingLogFile {
  private readonly items: Item[] = []
  private chunk: Buffer | undefined
  /** Chunks written and free to fill again, until the file has been quiet SPARES_KEPT_MS. */
  private readonly spare: Buffer[] = []
  private quietSince = 0
  private sparesTimer: NodeJS.Timeout | undefined
  private chunkUsed = 0
  private chunkLines = 0
  private queuedBytes = 0
  /** The size the file will have once everything queued is written; read from the disk at the first line. */
  private fileBytes: number | undefined
  private handle: FileHandle | undefined
  private writing: Promise<void> | undefined
  /** Dropped since the last marker line. */
  private droppedUnmarked = 0
  /** Lines dropped in all (queue full, or a write that failed). */
  dropped = 0
  /** The last write error, for the user: a full disk, a folder removed. */
  lastError: Error | undefined
  /** Readers waiting for the queue to go down (see relieved()). */
  private reliefWaiters: Array<() => void> = []

  constructor(
    readonly path: string,
    private readonly options: RotatingLogFileOptions,
  ) {}

  /**
   * Queues the line `prefix` + `line[start, end)` + newline; false when it
   * was dropped because the disk is behind. The parts are copied into the
   * chunk as they are: copying bytes takes 9 ms per 200,000 lines of 100
   * bytes, writing them into it as strings took 75 ms.
   */
  append(prefix: Buffer, line: Buffer, start = 0, end = line.length, now = Date.now()): boolean {
    if (this.queuedBytes > 0 && this.queuedBytes + prefix.length + (end - start) + 1 > this.options.maxQueuedBytes) {
      this.dropped++
      this.droppedUnmarked++
      return false
    }
    if (this.droppedUnmarked > 0) this.markDrops(now)
    this.put(prefix, line, start, end)
    return true
  }

  /**
   * Whether readers should stop reading for now: half of maxQueuedBytes is
   * waiting for the disk. The program then blocks on its own writes, as it
   * would writing to a slow file itself (and as under supervisord, whose
   * loop writes each read before reading again), rather than losing lines;
   * Proctor's event loop never waits.
   */
  backlogged(): boolean {
    return this.queuedBytes > this.options.maxQueuedBytes / 2
  }

  /** Resolves once the queue is down to a quarter of maxQueuedBytes: reading goes on in big steps, not a read per write. */
  relieved(): Promise<void> {
    if (this.queuedBytes <= this.options.maxQueuedBytes / 4) return Promise.resolve()
    return new Promise((resolve) => this.reliefWaiters.push(resolve))
  }

  /** Resolves once everything queued so far is in the file (or counted as dropped). */
  async flush(now = Date.now()): Promise<void> {
    if (this.droppedUnmarked > 0) this.markDrops(now)
    while (this.writing) await this.writing
  }

  async close(): Promise<void> {
    await this.flush()
    clearTimeout(this.sparesTimer)
    this.sparesTimer = undefined
    this.spare.length = 0
    const handle = this.handle
    this.handle = undefined
    await handle?.close()
  }

  private markDrops(now: number): void {
    const line = this.markerLine(this.droppedUnmarked, now)
    this.droppedUnmarked = 0
    this.put(line, EMPTY, 0, 0)
  }

  /** The marker line for `n` dropped lines, newline excluded. */
  private markerLine(n: number, now: number): Buffer {
    const failed = this.lastError as NodeJS.ErrnoException | undefined
    const why = failed ? `writing the log file failed (${failed.code ?? failed.message})` : 'the log file could not keep up'
    return Buffer.from(`${new Date(now).toISOString()} proctor ${n} line${n === 1 ? '' : 's'} dropped here: ${why}`)
  }

  private put(prefix: Buffer, line: Buffer, start: number, end: number): void {
    const bytes = prefix.length + (end - start) + 1
    this.fileBytes ??= sizeOf(this.path)
    if (this.fileBytes > 0 && this.fileBytes + bytes > this.options.maxBytes) {
      this.seal()
      this.items.push('rotate')
      this.fileBytes = 0
    }
    if (bytes > CHUNK_BYTES) {
      this.seal()
      const big = Buffer.allocUnsafe(bytes)
      big.set(prefix, 0)
      big.set(line.subarray(start, end), prefix.length)
      big[bytes - 1] = 0x0a
      this.items.push({ bytes: big, lines: 1 })
    } else {
      if (!this.chunk || this.chunkUsed + bytes > CHUNK_BYTES) {
        this.seal()
        this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
      }
      const chunk = this.chunk
      let at = this.chunkUsed
      chunk.set(prefix, at)
      at += prefix.length
      // A plain view: a Buffer's subarray costs twice as much (15 ms per 200,000 lines, 9 ms).
      chunk.set(new Uint8Array(line.buffer, line.byteOffset + start, end - start), at)
      at += end - start
      chunk[at++] = 0x0a
      this.chunkUsed = at
      this.chunkLines++
    }
    this.fileBytes += bytes
    this.queuedBytes += bytes
    this.kick()
  }

  /** Moves the chunk being filled to the queue. */
  private seal(): void {
    if (this.chunk && this.chunkUsed > 0) this.items.push({ bytes: this.chunk.subarray(0, this.chunkUsed), lines: this.chunkLines, chunk: this.chunk })
    this.chunk = undefined
    this.chunkUsed = 0
    this.chunkLines = 0
  }

  /** One writer at a time; it runs until nothing is queued. */
  private kick(): void {
    if (this.writing) return
    this.writing = this.drain().finally(() => {
      this.writing = undefined
      if (this.items.length > 0 || this.chunkUsed > 0) this.kick()
      else this.releaseSparesWhenQuiet()
    })
  }

  /** Bytes held for reuse (spare chunks); none once the file has been quiet a second. */
  get spareBytes(): number {
    return this.spare.length * CHUNK_BYTES
  }

  /** One timer, re-armed while writes go on: not one per write under steady output. */
  private releaseSparesWhenQuiet(): void {
    this.quietSince = Date.now()
    if (this.sparesTimer || this.spare.length === 0) return
    const check = () => {
      const quietFor = Date.now() - this.quietSince
      if (this.writing) this.sparesTimer = setTimeout(check, SPARES_KEPT_MS)
      else if (quietFor < SPARES_KEPT_MS) this.sparesTimer = setTimeout(check, SPARES_KEPT_MS - quietFor)
      else {
        this.sparesTimer = undefined
        this.spare.length = 0
        return
      }
      this.sparesTimer.unref()
    }
    this.sparesTimer = setTimeout(check, SPARES_KEPT_MS)
    this.sparesTimer.unref()
  }

  private async drain(): Promise<void> {
    // Yield first, so the lines of one read are written together.
    await new Promise<void>((resolve) => setImmediate(resolve))
    for (;;) {
      this.seal()
      if (this.items.length === 0) return
      const taken = this.items.splice(0, this.items.length)
      for (let i = 0; i < taken.length; ) {
        if (taken[i] === 'rotate') {
          await this.rotate().catch((err: Error) => (this.lastError = err))
          i++
          continue
        }
        const batch: Bytes[] = []
        for (let item = taken[i]; item !== undefined && item !== 'rotate' && batch.length < MAX_BUFFERS; item = taken[++i]) batch.push(item)
        const bytes = batch.reduce((sum, b) => sum + b.bytes.length, 0)
        const buffers = batch.map((b) => b.bytes)
        // Lines lost to an earlier failed write are marked right here, before anything queued after them.
        const marked = this.droppedUnmarked
        if (marked > 0) {
          buffers.unshift(Buffer.concat([this.markerLine(marked, Date.now()), NEWLINE]))
          this.droppedUnmarked = 0
        }
        try {
          await this.write(buffers)
          this.lastError = undefined
        } catch (err) {
          this.lastError = err as Error
          const lost = batch.reduce((sum, b) => sum + b.lines, 0)
          this.dropped += lost
          this.droppedUnmarked += marked + lost
          // Reopened at the next write: the folder may be back, the disk freed.
          await this.handle?.close().catch(() => undefined)
          this.handle = undefined
        }
        this.queuedBytes -= bytes
        for (const b of batch) if (b.chunk && this.spare.length < SPARE_CHUNKS) this.spare.push(b.chunk)
        if (this.reliefWaiters.length > 0 && this.queuedBytes <= this.options.maxQueuedBytes / 4) {
          for (const resolve of this.reliefWaiters.splice(0)) resolve()
        }
      }
    }
  }

  private async write(buffers: Buffer[]): Promise<void> {
    if (!this.handle) {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
      this.handle = await open(this.path, 'a', 0o600)
    }
    // A disk that fills up mid-batch takes part of it: write the rest, where the next write fails with ENOSPC;
    // then take the part back, so the file holds whole lines only and the batch counts as dropped.
    const handle = this.handle
    let rest = buffers
    let written = 0
    try {
      for (;;) {
        const { bytesWritten } = await handle.writev(rest)
        written += bytesWritten
        rest = afterBytes(rest, bytesWritten)
        if (rest.length === 0) return
        if (bytesWritten === 0) throw new Error(`writing ${this.path} made no progress`)
      }
    } catch (err) {
      if (written > 0) {
        const { size } = await handle.stat()
        await handle.truncate(size - written).catch(() => undefined)
      }
      throw err
    }
  }

  private async rotate(): Promise<void> {
    const handle = this.handle
    this.handle = undefined
    await handle?.close()
    const { files } = this.options
    if (files <= 1) return unlink(this.path).catch(ignoreMissing)
    for (let i = files - 1; i >= 1; i--) {
      await rename(i === 1 ? this.path : `${this.path}.${i - 1}`, `${this.path}.${i}`).catch(ignoreMissing)
    }
  }
}

const NEWLINE = Buffer.from('\n')
const EMPTY = Buffer.alloc(0)

/** What remains of `buffers` once their first `n` bytes are written. */
function afterBytes(buffers: Buffer[], n: number): Buffer[] {
  let i = 0
  while (i < buffers.length && n >= buffers[i]!.length) n -= buffers[i++]!.length
  if (i === buffers.length) return []
  return n > 0 ? [buffers[i]!.subarray(n), ...buffers.slice(i + 1)] : buffers.slice(i)
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}
