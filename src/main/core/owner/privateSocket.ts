import { chmodSync, lstatSync } from 'node:fs'
import { createConnection, type Server } from 'node:net'

/**
 * `server` listening on the Unix socket `path`, created 0600 (the umask
 * while it is made, so it is never reachable by others even for a moment)
 * and checked so; shared by the control socket and the IPC broker. Rejects
 * with the listen error, or an Error naming `what` and the mode found.
 */
export async function listenPrivately(server: Server, path: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const umask = process.umask(0o177)
    try {
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    } finally {
      process.umask(umask)
    }
  })
  chmodSync(path, 0o600)
  const mode = lstatSync(path).mode & 0o777
  if (mode !== 0o600) {
    server.close()
    throw new Error(`the ${what} ${path} is mode ${mode.toString(8)}, not 0600`)
  }
}

/** Whether something answers on the socket file at `path` (a live server), as opposed to a file left by a dead one. */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}
