import { randomBytes } from 'node:crypto'
import { lstatSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readAgain, SMALL_READ_BYTES } from './readPacing'

/**
 * A program's stdout (or stderr) as a connected pair of Unix sockets that
 * Proctor made itself: one end for the child, the other read with one
 * reused buffer.
 *
 * Why: Node reads a child's 'pipe' (already a Unix socket pair, made by
 * libuv) 64 KB at a time into a fresh buffer each read, and on this kind of
 * machine the page faults of fresh memory cost more than the rest of the
 * capture: reading 20 MB of a program's output took 150 ms of system time
 * and 50 ms of user time that way, 45 ms and 23 ms into one reused buffer.
 * Node reuses a buffer only for a socket it connects itself (the `onread`
 * option), so the pair is made through a listening socket: the child gets
 * the accepted end, Proctor reads the connecting end. To the child it is
 * what it was: a Unix stream socket, not a tty, blocking.
 */
export interface OutputPair {
  /** The end for the child: pass it in spawn's stdio, then call spawned(). */
  readonly childEnd: Socket
  /** Proctor's copy of the child's end is closed (the child has its own): the reader sees the end of output once the child and its descendants close theirs. */
  spawned(): void
  /**
   * Reads until the other end is closed by everyone holding it: `onBytes`
   * gets each read (valid only during the call), then `onEnd` once. When
   * `onBytes` returns a promise, no more is read until it settles.
   */
  read(onBytes: (bytes: Buffer) => Promise<void> | undefined, onEnd: () => void): void
  /** Both ends closed: a pair never used, or a spawn that failed. */
  close(): void
}

/**
 * One buffer for every reader: the callbacks run one at a time on the event
 * loop and hand on nothing that points into it (the splitter and the file
 * copy what they keep), so it is free again when each returns. 1 MB is more
 * than a Unix socket holds (about 200 KB by default on Linux, less on
 * macOS), so a read never fills it and libuv reads each socket once per
 * turn of the loop (it reads again at once only after a full buffer).
 */
const READ_BUFFER_BYTES = 1024 * 1024
let readBuffer: Buffer | undefined

/** A connection that has not said its secret in this long is not one of ours. */
const HELLO_TIMEOUT_MS = 5000
const SECRET_BYTES = 16

interface Listener {
  dir: string
  path: string
  server: Server
  /** Pairs waiting for their accepted end, by secret (hex). */
  waiting: Map<string, (socket: Socket) => void>
}

/** The listening socket, while pairs are being made (and how many). */
let listening: Promise<Listener> | undefined
let makers = 0

/**
 * Makes a connected pair. Rejects if no socket can be made here (no folder
 * of our own for it, a path too long): the caller falls back to pipes.
 */
export async function makeOutputPair(): Promise<OutputPair> {
  makers++
  try {
    return await pairOn(await (listening ??= listen()))
  } finally {
    // The socket and its folder exist only while pairs are made: nothing is
    // left listening between spawns, nor behind in the temp folder if
    // Proctor is killed between them. Made again at the next spawn (under a
    // millisecond).
    if (--makers === 0) {
      const last = listening
      listening = undefined
      void last?.then(close, () => {})
    }
  }
}

async function pairOn(listener: Listener): Promise<OutputPair> {
  const secret = randomBytes(SECRET_BYTES)
  const key = secret.toString('hex')
  const accepted = new Promise<Socket>((resolve) => listener.waiting.set(key, resolve))
  let onBytes: (bytes: Buffer) => Promise<void> | undefined = () => undefined
  const buffer = (readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES))
  const reader = connect({
    path: listener.path,
    onread: {
      buffer,
      callback: (n: number) => {
        const wait = onBytes(buffer.subarray(0, n))
        if (wait) {
          void wait.then(() => reader.resume())
          return false
        }
        // A full buffer: libuv would read again at once, up to 32 times;
        // the rest waits for the next turn so that other callbacks do not.
        // A small one: the next waits for more (see readPacing.ts).
        if (n >= SMALL_READ_BYTES && n < buffer.length) return true
        readAgain(n, () => reader.resume())
        return false
      },
    },
  })
  try {
    await new Promise<void>((resolve, reject) => {
      reader.once('connect', resolve)
      reader.once('error', reject)
    })
    // The secret tells the listener which connection is this pair's: any
    // other process of this user's that connects meanwhile is not paired.
    reader.write(secret)
    const childEnd = await withTimeout(accepted, HELLO_TIMEOUT_MS)
    // Idle until used: a pair made ahead must not keep Proctor alive.
    reader.unref()
    childEnd.unref()
    let reading = false
    return {
      childEnd,
      spawned: () => childEnd.destroy(),
      read(bytes, end) {
        if (reading) throw new Error('an output pair is read once')
        reading = true
        onBytes = bytes
        reader.ref()
        let ended = false
        const finish = () => {
          if (ended) return
          ended = true
          onBytes = () => undefined
          reader.destroy()
          end()
        }
        reader.once('end', finish)
        // A reset (the other end gone abruptly) ends the capture as an end would; the program's exit says the rest.
        reader.once('error', finish)
        reader.once('close', finish)
      },
      close() {
        childEnd.destroy()
        reader.destroy()
      },
    }
  } catch (err) {
    listener.waiting.delete(key)
    reader.destroy()
    throw err
  }
}

/** Where pairs are being made now, if they are (for tests). */
export async function outputSocketPath(): Promise<string | undefined> {
  return (await listening?.catch(() => undefined))?.path
}

function close(listener: Listener): void {
  listener.server.close()
  rmSync(listener.dir, { recursive: true, force: true })
}

/**
 * The listening socket, in a folder of this process's own (mode 0700,
 * random name: no other user can reach it) under $XDG_RUNTIME_DIR when it
 * is this user's, else the temp folder. Every connection must send a
 * pending pair's secret first, or is closed.
 */
async function listen(): Promise<Listener> {
  const dir = mkdtempSync(join(privateBase(), 'proctor-out-'))
  const path = join(dir, 's')
  const waiting = new Map<string, (socket: Socket) => void>()
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS)
    timer.unref()
    socket.on('error', () => socket.destroy())
    // Only the secret is read: the pair's reader never writes anything else.
    const hello = () => {
      const secret = socket.read(SECRET_BYTES) as Buffer | null
      if (!secret) return
      clearTimeout(timer)
      socket.off('readable', hello)
      socket.pause()
      const key = secret.toString('hex')
      const pair = waiting.get(key)
      waiting.delete(key)
      if (pair) pair(socket)
      else socket.destroy()
    }
    socket.on('readable', hello)
  })
  server.unref()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return { dir, path, server, waiting }
}

function privateBase(): string {
  const xdg = process.env.XDG_RUNTIME_DIR
  try {
    if (xdg && xdg.startsWith('/')) {
      const st = lstatSync(xdg)
      if (st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0) return xdg
    }
  } catch {
    // not usable: the temp folder
  }
  return tmpdir()
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
