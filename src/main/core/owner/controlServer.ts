import { randomBytes, timingSafeEqual } from 'node:crypto'
import { lstatSync, readFileSync, unlinkSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { BacklogLimits } from '../../../shared/rpc/backlog'
import type { ServerMessage } from '../../../shared/rpc/protocol'
import type { Router } from '../../../shared/rpc/router'
import { RpcSession } from '../../../shared/rpc/session'
import type { Caller } from '../../../shared/types/caller'
import type { ErrorInfo } from '../../../shared/errors'
import { writeFileAtomic } from '../store/atomicFile'
import { encodeFrame, FrameReader, helloSchema, MAX_FRAME_BYTES, socketChannel, tooLarge } from './frames'
import type { OwnerKind } from './ownerLock'
import { listenPrivately, socketAnswers } from './privateSocket'
import { ensureRuntimeDir, ownerFilePath } from './runtimeDir'

/**
 * The owner's control socket: the engine's Router on a Unix socket in the
 * per-user runtime folder (0700), the socket itself 0600, served with the
 * same session as every other transport. Each connection says hello with
 * the token of owner.json (0600, in the same folder) within
 * AUTH_TIMEOUT_MS, or is told why and closed.
 */

export const AUTH_TIMEOUT_MS = 2000

/** What owner.json holds: who owns, where it listens, and the token a client must present. */
export interface OwnerRecord {
  pid: number
  /** Field 22 of /proc/PID/stat; 0 without /proc. */
  startTicks: number
  kind: OwnerKind
  /** ms since the epoch */
  since: number
  socket: string
  token: string
  /** The data folder whose programs it owns. */
  dataDir: string
}

export interface ControlServerOptions {
  router: Pick<Router, 'call' | 'subscribe'>
  runtimeDir: string
  owner: Omit<OwnerRecord, 'socket' | 'token'>
  authTimeoutMs?: number
  maxFrameBytes?: number
  maxConnections?: number
  maxSubscriptions?: number
}

export interface ControlServer {
  socket: string
  ownerFile: string
  record: OwnerRecord
  connections(): number
  close(): Promise<void>
}

const MIB = 1024 * 1024

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A client's own description, made safe to print: no control characters. */
function clientName(text: string | undefined): string | undefined {
  const clean = text?.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim()
  return clean ? clean : undefined
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const socketPath = ensureRuntimeDir(options.runtimeDir)
  const ownerFile = ownerFilePath(options.runtimeDir)
  const authTimeoutMs = options.authTimeoutMs ?? AUTH_TIMEOUT_MS
  const maxFrame = options.maxFrameBytes ?? MAX_FRAME_BYTES
  const maxConnections = options.maxConnections ?? 64
  const backlog = new BacklogLimits(16 * MIB, 32 * MIB)
  const token = randomBytes(24).toString('base64url')

  try {
    lstatSync(socketPath)
    if (await socketAnswers(socketPath)) {
      throw new Error(`another Proctor already listens on ${socketPath} (for another data folder?): set PROCTOR_RUNTIME_DIR to a folder of this one's`)
    }
    // Left by an owner that died: replaced.
    unlinkSync(socketPath)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }

  const sockets = new Set<Socket>()
  const sessions = new Map<Socket, RpcSession>()

  const server: Server = createServer({ allowHalfOpen: false }, (socket) => {
    if (sockets.size >= maxConnections) {
      socket.end(encodeFrame(refusal('UNAVAILABLE', `the owner is serving ${maxConnections} connections, its limit; try again later`)))
      return
    }
    sockets.add(socket)
    socket.on('error', () => socket.destroy())
    socket.once('close', () => {
      sockets.delete(socket)
      sessions.delete(socket)
    })
    // Set once the connection is turned away: frames that came in the same chunk are not read.
    let refused = false
    const turnAway = (code: ErrorInfo['code'], message: string) => {
      if (refused) return
      refused = true
      clearTimeout(timer)
      socket.removeAllListeners('data')
      socket.end(encodeFrame(refusal(code, message)))
      // A client that does not read its refusal is not waited for.
      setTimeout(() => socket.destroy(), 1000).unref()
    }
    const timer = setTimeout(
      () => turnAway('PERMISSION_DENIED', `unauthorized: no hello with the token within ${authTimeoutMs} ms; the connection is closed`),
      authTimeoutMs,
    )
    const reader = new FrameReader(
      {
        frame: (text) => {
          if (refused) return
          let hello
          try {
            hello = helloSchema.safeParse(JSON.parse(text))
          } catch {
            return turnAway('PERMISSION_DENIED', 'unauthorized: the first message must be a hello with the token (it was not JSON)')
          }
          if (!hello.success) return turnAway('PERMISSION_DENIED', 'unauthorized: the first message must be { t: "hello", token }')
          if (!sameToken(hello.data.token, token)) return turnAway('PERMISSION_DENIED', `unauthorized: the token is wrong (the owner's is in ${ownerFile})`)
          clearTimeout(timer)
          const who = clientName(hello.data.client)
          const caller: Caller = { kind: 'cli', detail: who ? `control socket: ${who}` : 'control socket' }
          const channel = socketChannel<ServerMessage>(socket, reader, { verdict: (m, queued) => backlog.verdict(m, queued) })
          sessions.set(socket, new RpcSession(options.router, channel, caller, { maxSubscriptions: options.maxSubscriptions ?? 64, busy: () => backlog.refusal(socket.writableLength) }))
        },
        oversize: (bytes) => turnAway('PERMISSION_DENIED', `unauthorized: the first message must be a hello with the token (${tooLarge(bytes, maxFrame)})`),
      },
      maxFrame,
    )
    socket.on('data', (chunk: Buffer) => reader.push(chunk))
  })

  // The folder is 0700 anyway; the socket is 0600 too.
  await listenPrivately(server, socketPath, 'control socket')

  const record: OwnerRecord = { ...options.owner, socket: socketPath, token }
  writeFileAtomic(ownerFile, `${JSON.stringify(record, null, 2)}\n`, 0o600)

  let closing: Promise<void> | undefined
  return {
    socket: socketPath,
    ownerFile,
    record,
    connections: () => sessions.size,
    close: () => {
      closing ??= (async () => {
        // owner.json first: a client reading it from now on finds no owner rather than a socket going away.
        removeIfOurs(ownerFile, token)
        for (const session of sessions.values()) session.close()
        for (const socket of sockets) socket.destroy()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        try {
          unlinkSync(socketPath)
        } catch {
          // Gone already (server.close removes it on some platforms).
        }
      })()
      return closing
    },
  }
}

function refusal(code: ErrorInfo['code'], message: string): ServerMessage {
  return { t: 'error', error: { code, message } }
}

/** Removes owner.json only if it still names this server (a newer owner may have written its own). */
function removeIfOurs(path: string, token: string): void {
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { token?: unknown }
    if (doc.token === token) unlinkSync(path)
  } catch {
    // Gone, or not ours to remove.
  }
}
