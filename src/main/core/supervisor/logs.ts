import type { ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { LineSplitter } from './lineSplitter'
import { RotatingLogFile } from './logFile'
import { makeOutputPair, type OutputPair } from './outputSocket'
import { readAgain } from './readPacing'
import { LineRing, type LogLine, type LogStream } from './lineRing'

export type { LogLine, LogStream } from './lineRing'

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

/** Where a child's stdout and stderr go (spawn's stdio 1 and 2), and what starts their capture. */
export interface ProgramOutput {
  stdout: 'pipe' | Socket
  stderr: 'pipe' | Socket
  /** Call right after spawn, whether it succeeded or not (pid undefined): captures the output, or frees what was made for it. */
  attach(child: ChildProcess): void
}

interface Pairs {
  stdout: OutputPair
  stderr: OutputPair
}

/**
 * A program's output: stdout and stderr split into timestamped lines, kept
 * in a bounded ring for the UI and written to rotated files. Capture and
 * storage are apart (as in supervisord's dispatchers and loggers): the
 * splitter knows nothing of files, the file nothing of pipes.
 */
export class ProgramLogs {
  readonly file: RotatingLogFile
  private readonly ring: LineRing
  private readonly listeners = new Set<(line: LogLine) => void>()
  private prefixAt = 0
  private prefixStream: LogStream = 'stdout'
  private prefix = Buffer.alloc(0)
  /** Socket pairs made ahead for the next spawn (see outputSocket.ts), and the making of them under way. */
  private pairs: Pairs | undefined
  private making: Promise<void> | undefined
  private closed = false
  private readonly options: Required<Omit<ProgramLogsOptions, 'dir' | 'name' | 'maxBytes' | 'files'>>

  constructor(options: ProgramLogsOptions) {
    this.options = {
      ringLines: options.ringLines ?? 1000,
      partialFlushMs: options.partialFlushMs ?? 200,
      maxQueuedBytes: options.maxQueuedBytes ?? 8 * 1024 * 1024,
      maxLineBytes: options.maxLineBytes ?? 16 * 1024,
    }
    this.ring = new LineRing(this.options.ringLines)
    this.file = new RotatingLogFile(join(options.dir, `${options.name}.log`), {
      maxBytes: options.maxBytes,
      files: options.files,
      maxQueuedBytes: this.options.maxQueuedBytes,
    })
    this.makePairs()
  }

  /**
   * The output of the next spawn. A start must stay synchronous (a restart
   * runs in the same turn as the exit), so the socket pairs are made ahead:
   * now for the first run, and at each spawn for the next. When none are
   * ready (a start at once after the logs were opened, a restart right
   * after a spawn, no socket possible here), plain pipes do the same job,
   * a little slower.
   */
  output(): ProgramOutput {
    const pairs = this.pairs
    this.pairs = undefined
    if (!pairs) {
      return {
        stdout: 'pipe',
        stderr: 'pipe',
        attach: (child) => {
          if (child.stdout) this.capture(child.stdout, 'stdout')
          if (child.stderr) this.capture(child.stderr, 'stderr')
          this.makePairs()
        },
      }
    }
    return {
      stdout: pairs.stdout.childEnd,
      stderr: pairs.stderr.childEnd,
      attach: (child) => {
        if (child.pid === undefined) {
          pairs.stdout.close()
          pairs.stderr.close()
        } else {
          for (const stream of ['stdout', 'stderr'] as const) {
            const pair = pairs[stream]
            pair.spawned()
            const splitter = this.splitter(stream)
            pair.read(
              (bytes) => {
                splitter.push(bytes)
                return this.holdIfBehind(splitter)
              },
              () => splitter.end(),
            )
          }
        }
        this.makePairs()
      },
    }
  }

  /** Reads `stream` until it ends; a partial line is flushed after a short delay, and at the end. */
  capture(readable: Readable, stream: LogStream): void {
    const splitter = this.splitter(stream)
    readable.on('data', (chunk: Buffer) => {
      splitter.push(chunk)
      // libuv reads a pipe up to 32 times in a row while the writer keeps
      // it full: 2 MB of lines, 30 ms, in one turn of the event loop. One
      // read per turn keeps every other callback waiting under a millisecond
      // (and after a small one, the next waits for more: readPacing.ts).
      // With the disk behind, no read until it has caught up.
      readable.pause()
      const held = this.holdIfBehind(splitter)
      if (held) void held.then(() => readable.resume())
      else readAgain(chunk.length, () => readable.resume())
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

  /** Why the last write to the file failed (a full disk, the folder gone), until one succeeds again. */
  get fileError(): string | undefined {
    return this.file.lastError?.message
  }

  flush(): Promise<void> {
    return this.file.flush()
  }

  close(): Promise<void> {
    this.closed = true
    this.pairs?.stdout.close()
    this.pairs?.stderr.close()
    this.pairs = undefined
    return this.file.close()
  }

  /** Resolves once the socket pairs being made are made (or failed): true when the next spawn will use them. */
  async outputReady(): Promise<boolean> {
    await this.making
    return this.pairs !== undefined
  }

  /**
   * With the log file's queue half full, no more is read until it is down
   * to a quarter (see RotatingLogFile.backlogged): the program waits on its
   * own writes rather than lines being dropped.
   */
  private holdIfBehind(splitter: LineSplitter): Promise<void> | undefined {
    if (!this.file.backlogged()) return undefined
    splitter.pause()
    return this.file.relieved().then(() => splitter.resume())
  }

  private splitter(stream: LogStream): LineSplitter {
    return new LineSplitter(
      (bytes, start, end, at) => this.add(stream, bytes, start, end, at),
      this.options,
      () => this.ring.endBatch(),
    )
  }

  private makePairs(): void {
    if (this.pairs || this.making || this.closed) return
    this.making = Promise.allSettled([makeOutputPair(), makeOutputPair()]).then(([stdout, stderr]) => {
      this.making = undefined
      if (stdout.status === 'fulfilled' && stderr.status === 'fulfilled' && !this.closed) {
        this.pairs = { stdout: stdout.value, stderr: stderr.value }
        return
      }
      // Pipes, then, until the next spawn tries again.
      if (stdout.status === 'fulfilled') stdout.value.close()
      if (stderr.status === 'fulfilled') stderr.value.close()
    })
  }

  /**
   * The line `bytes[start, end)`: to the file as bytes; to the ring staged
   * (decoded only if read: see LineRing), or as text when someone listens.
   */
  private add(stream: LogStream, bytes: Buffer, start: number, end: number, at: number): void {
    // The lines of one read share their time and stream: format them once.
    if (at !== this.prefixAt || stream !== this.prefixStream) {
      this.prefixAt = at
      this.prefixStream = stream
      this.prefix = Buffer.from(`${new Date(at).toISOString()} ${stream} `)
    }
    this.file.append(this.prefix, bytes, start, end, at)
    if (this.listeners.size === 0) {
      this.ring.stage(bytes, start, end, at, stream)
      return
    }
    const line: LogLine = { at, stream, text: bytes.toString('utf8', start, end) }
    this.ring.push(line)
    for (const listener of this.listeners) listener(line)
  }
}
