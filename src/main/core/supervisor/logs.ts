import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { LineSplitter } from './lineSplitter'
import { RotatingLogFile } from './logFile'
import { Ring } from './ring'

export type LogStream = 'stdout' | 'stderr'

export interface LogLine {
  /** ms since the epoch, when the line's end arrived */
  at: number
  stream: LogStream
  text: string
}

export interface ProgramLogsOptions {
  /** Folder of the log files: NAME.log, NAME.log.1, ... */
  dir: string
  name: string
  maxBytes: number
  files: number
  /** Lines kept in memory for the UI. */
  ringLines?: number
  partialFlushMs?: number
  maxQueuedBytes?: number
  maxLineBytes?: number
}

/**
 * A program's output: stdout and stderr split into timestamped lines, kept
 * in a bounded ring for the UI and written to rotated files. Capture and
 * storage are apart (as in supervisord's dispatchers and loggers): the
 * splitter knows nothing of files, the file nothing of pipes.
 */
export class ProgramLogs {
  readonly file: RotatingLogFile
  private readonly ring: Ring<LogLine>
  private readonly listeners = new Set<(line: LogLine) => void>()
  private prefixAt = 0
  private prefixStream: LogStream = 'stdout'
  private prefix = Buffer.alloc(0)
  private readonly options: Required<Omit<ProgramLogsOptions, 'dir' | 'name' | 'maxBytes' | 'files'>>

  constructor(options: ProgramLogsOptions) {
    this.options = {
      ringLines: options.ringLines ?? 1000,
      partialFlushMs: options.partialFlushMs ?? 200,
      maxQueuedBytes: options.maxQueuedBytes ?? 8 * 1024 * 1024,
      maxLineBytes: options.maxLineBytes ?? 16 * 1024,
    }
    this.ring = new Ring(this.options.ringLines)
    this.file = new RotatingLogFile(join(options.dir, `${options.name}.log`), {
      maxBytes: options.maxBytes,
      files: options.files,
      maxQueuedBytes: this.options.maxQueuedBytes,
    })
  }

  /** Reads `stream` until it ends; a partial line is flushed after a short delay, and at the end. */
  capture(readable: Readable, stream: LogStream): void {
    const splitter = new LineSplitter((text, bytes, start, end, at) => this.add({ at, stream, text }, bytes, start, end), this.options)
    readable.on('data', (chunk: Buffer) => {
      splitter.push(chunk)
      // libuv reads a pipe up to 32 times in a row while the writer keeps
      // it full: 2 MB of lines, 30 ms, in one turn of the event loop. One
      // read per turn keeps every other callback waiting under a millisecond.
      readable.pause()
      setImmediate(() => readable.resume())
    })
    readable.once('end', () => splitter.end())
    // A pipe's error (EIO, the other end gone) ends its capture; the program's exit says the rest.
    readable.on('error', () => splitter.end())
  }

  /** Lines kept in memory, oldest first; the last `n` when given. */
  lines(n?: number): LogLine[] {
    return this.ring.toArray(n)
  }

  onLine(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Lines that did not reach the file (the disk behind, or a failed write): a marker line in it says how many, and where. */
  get dropped(): number {
    return this.file.dropped
  }

  flush(): Promise<void> {
    return this.file.flush()
  }

  close(): Promise<void> {
    return this.file.close()
  }

  /** `line`, decoded from `bytes[start, end)`. */
  private add(line: LogLine, bytes: Buffer, start: number, end: number): void {
    this.ring.push(line)
    // The lines of one read share their time and stream: format them once.
    if (line.at !== this.prefixAt || line.stream !== this.prefixStream) {
      this.prefixAt = line.at
      this.prefixStream = line.stream
      this.prefix = Buffer.from(`${new Date(line.at).toISOString()} ${line.stream} `)
    }
    this.file.append(this.prefix, bytes, start, end, line.at)
    for (const listener of this.listeners) listener(line)
  }
}
