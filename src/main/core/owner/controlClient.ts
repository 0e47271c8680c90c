import { readFileSync } from 'node:fs'
import { createConnection, type Socket } from 'node:net'
import type { ProctorApi } from '../../../shared/contract'
import { createApi } from '../../../shared/rpc/client'
import type { Channel } from '../../../shared/rpc/channel'
import type { ClientMessage, ServerMessage } from '../../../shared/rpc/protocol'
import { RpcClient } from '../../../shared/rpc/rpcClient'
import { isErrorCode, ProctorError } from '../../../shared/errors'
import { NO_OWNER_MESSAGE } from '../supervisor/slice'
import type { OwnerRecord } from './controlServer'
import { encodeFrame, FrameReader, socketChannel, tooLarge } from './frames'
import { holderAlive } from './ownerLock'
import { defaultDataDir } from '../store/dataDir'
import { ownerFilePath, runtimeDirFor } from './runtimeDir'

/**
 * The client end of the owner's control socket: reads owner.json, connects,
 * says hello with the token, and once the owner says 'ready' serves the
 * typed API through the one RpcClient. No owner, or one that does not
 * answer, is UNAVAILABLE with NO_OWNER_MESSAGE.
 */

export const CONNECT_TIMEOUT_MS = 5000

export interface ConnectOptions {
  /** How long to wait for the owner to answer (connect, hello, 'ready'). */
  timeoutMs?: number
  /** Who connects, recorded with its actions by the owner ("proctor programs start, pid 4242"). */
  client?: string
}

export interface OwnerConnection {
  api: ProctorApi
  client: RpcClient
  owner: OwnerRecord
  close(): void
}

function noOwner(why?: string): ProctorError {
  return new ProctorError('UNAVAILABLE', NO_OWNER_MESSAGE, why ? { why } : undefined)
}

/** owner.json in `runtimeDir`, if it is there and names a process that still runs. */
export function readOwnerRecord(runtimeDir: string): OwnerRecord | undefined {
  let doc: Partial<OwnerRecord>
  try {
    doc = JSON.parse(readFileSync(ownerFilePath(runtimeDir), 'utf8')) as Partial<OwnerRecord>
  } catch {
    return undefined
  }
  if (
    !Number.isInteger(doc.pid) ||
    typeof doc.socket !== 'string' ||
    typeof doc.token !== 'string' ||
    (doc.kind !== 'daemon' && doc.kind !== 'desktop')
  ) {
    return undefined
  }
  const record = doc as OwnerRecord
  return holderAlive({ pid: record.pid, startTicks: record.startTicks ?? 0 }) ? record : undefined
}

/**
 * Connects to the owner named in `runtimeDir`'s owner.json and passes the
 * handshake: the channel to hand an RpcClient (already served: 'ready' was
 * read here), and the owner's record.
 */
export function openOwnerChannel(runtimeDir: string, options: ConnectOptions = {}): Promise<{ channel: Channel<ClientMessage>; owner: OwnerRecord }> {
  const owner = readOwnerRecord(runtimeDir)
  if (!owner) return Promise.reject(noOwner(`no live owner is recorded in ${ownerFilePath(runtimeDir)}`))
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    let settled = false
    const socket: Socket = createConnection(owner.socket)
    const fail = (err: ProctorError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      reject(err)
    }
    const timer = setTimeout(
      () => fail(new ProctorError('UNAVAILABLE', `the Proctor owner (${owner.kind}, pid ${owner.pid}) did not answer on ${owner.socket} within ${timeoutMs} ms`)),
      timeoutMs,
    )
    socket.once('error', (err: NodeJS.ErrnoException) => fail(noOwner(`cannot connect to ${owner.socket}: ${err.code ?? err.message}`)))
    socket.once('close', () => fail(noOwner(`${owner.socket} closed the connection before it was served`)))
    const reader = new FrameReader({
      frame: (text) => {
        let msg: ServerMessage
        try {
          msg = JSON.parse(text) as ServerMessage
        } catch {
          return fail(new ProctorError('INTERNAL', `the owner on ${owner.socket} answered something that is not JSON`))
        }
        if (msg.t === 'ready') {
          settled = true
          clearTimeout(timer)
          socket.removeAllListeners('error')
          socket.removeAllListeners('close')
          socket.on('error', () => socket.destroy())
          return resolve({ channel: socketChannel<ClientMessage>(socket, reader), owner })
        }
        if (msg.t === 'error') {
          const code = isErrorCode(msg.error?.code) ? msg.error.code : 'UNAVAILABLE'
          return fail(new ProctorError(code, `the Proctor owner refused the connection: ${msg.error?.message ?? 'no reason given'}`))
        }
        fail(new ProctorError('INTERNAL', `the owner on ${owner.socket} answered ${JSON.stringify(msg.t)} before 'ready'`))
      },
      oversize: (bytes) => fail(new ProctorError('INTERNAL', `the owner's first answer is ${tooLarge(bytes, reader.limit)}`)),
    })
    socket.on('data', (chunk: Buffer) => reader.push(chunk))
    socket.once('connect', () => {
      socket.write(encodeFrame({ t: 'hello', token: owner.token, ...(options.client ? { client: options.client.slice(0, 200) } : {}) }))
    })
  })
}

/**
 * The owner's API over its control socket; close() when done. `runtimeDir`
 * defaults to the one of the default data folder (PROCTOR_DATA_DIR, else
 * the platform's config folder).
 */
export async function connectToOwner(runtimeDir = runtimeDirFor(defaultDataDir()), options: ConnectOptions = {}): Promise<OwnerConnection> {
  const { channel, owner } = await openOwnerChannel(runtimeDir, options)
  const client = new RpcClient(`the Proctor owner (${owner.kind}, pid ${owner.pid})`)
  client.connect(channel)
  return { api: createApi(client), client, owner, close: () => client.close() }
}
