import { lstatSync, unlinkSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { listenPrivately, socketAnswers } from '../owner/privateSocket'
import { ensureRuntimeDir, socketPathProblem } from '../owner/runtimeDir'

/**
 * The broker's socket file: in a folder of mode 0700 (the owner's runtime
 * folder, or ipcConfig.socketDir), the socket itself 0600, its path no
 * longer than a Unix socket path may be on both Linux and macOS.
 */
// Longer than the control socket's name (control.sock), so in a folder too deep this check speaks first, about this socket.
export const BROKER_SOCKET = 'ipc-broker.sock'

export class SocketFileError extends Error {}

export function brokerSocketPath(dir: string): string {
  const path = join(dir, BROKER_SOCKET)
  const problem = socketPathProblem(path, 'broker socket', 'ipcConfig.socketDir')
  if (problem) throw new SocketFileError(problem)
  return path
}

/** A server listening on `<dir>/ipc-broker.sock`, mode 0600; throws an Error that says what is wrong and what to do. */
export async function listenOnSocketFile(dir: string, onConnection: (socket: Socket) => void): Promise<{ server: Server; path: string }> {
  const path = brokerSocketPath(dir)
  ensureRuntimeDir(dir)
  try {
    lstatSync(path)
    if (await socketAnswers(path)) throw new SocketFileError(`another broker already listens on ${path}: set ipcConfig.socketDir to another folder`)
    // Left by a broker that died: replaced.
    unlinkSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const server = createServer({ allowHalfOpen: false, noDelay: true }, onConnection)
  try {
    await listenPrivately(server, path, 'broker socket')
  } catch (err) {
    throw new SocketFileError((err as Error).message)
  }
  return { server, path }
}

export function removeSocketFile(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Gone already.
  }
}
