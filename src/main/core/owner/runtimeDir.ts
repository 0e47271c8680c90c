import { createHash } from 'node:crypto'
import { chmodSync, lstatSync, mkdirSync, type Stats } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The per-user folder of the owner's control socket and of owner.json (who
 * owns, where it listens, the token): mode 0700, owned by this user, never
 * a shared temp folder. PROCTOR_RUNTIME_DIR when set (tests, or a socket
 * path too long otherwise); else $XDG_RUNTIME_DIR/proctor/<data folder's
 * hash> when XDG_RUNTIME_DIR is set and usable (one owner per data folder,
 * so two data folders never share a socket); else <dataDir>/run.
 */

export const CONTROL_SOCKET = 'control.sock'
export const OWNER_FILE = 'owner.json'
/**
 * Unix socket paths: 104 bytes on macOS, 108 on Linux, the terminating NUL
 * included; the smaller one holds everywhere.
 */
export const MAX_SOCKET_PATH_BYTES = 103

export class RuntimeDirError extends Error {}

function uid(): number | undefined {
  return process.getuid?.()
}

/** Where the runtime folder is for `dataDir`, before any check. */
export function runtimeDirFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROCTOR_RUNTIME_DIR) return resolve(env.PROCTOR_RUNTIME_DIR)
  const xdg = env.XDG_RUNTIME_DIR
  if (xdg && xdgUsable(xdg)) {
    const hash = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)
    return join(xdg, 'proctor', hash)
  }
  return join(resolve(dataDir), 'run')
}

/** $XDG_RUNTIME_DIR as the spec has it: an absolute path to a folder of this user's, which only it may enter. */
function xdgUsable(dir: string): boolean {
  if (!dir.startsWith('/')) return false
  try {
    const st = lstatSync(dir)
    return st.isDirectory() && (uid() === undefined || st.uid === uid()) && (st.mode & 0o077) === 0
  } catch {
    return false
  }
}

/** Why `path` cannot be a Unix socket's (too long, saying how to fix it with `setting`), or undefined. */
export function socketPathProblem(path: string, what: string, setting: string): string | undefined {
  const bytes = Buffer.byteLength(path)
  if (bytes <= MAX_SOCKET_PATH_BYTES) return undefined
  return (
    `the ${what} path ${path} is ${bytes} bytes, longer than the ${MAX_SOCKET_PATH_BYTES} a Unix socket path may have: ` +
    `set ${setting} to a shorter folder of your own (it is created with mode 0700)`
  )
}

/** The control socket's path in `dir`, or a RuntimeDirError saying it is too long and what to do. */
export function controlSocketPath(dir: string): string {
  const path = join(dir, CONTROL_SOCKET)
  const problem = socketPathProblem(path, 'control socket', 'PROCTOR_RUNTIME_DIR')
  if (problem) throw new RuntimeDirError(problem)
  return path
}

export function ownerFilePath(dir: string): string {
  return join(dir, OWNER_FILE)
}

/**
 * Creates `dir` (and the folders above it that are missing) mode 0700, or
 * checks the one there: a real folder (not a link), owned by this user, and
 * no one else's to enter; group or other permissions on a folder of this
 * user's are taken away. Returns the socket path in it. Throws a
 * RuntimeDirError that names the folder and the problem.
 */
export function ensureRuntimeDir(dir: string): string {
  const socket = controlSocketPath(dir)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new RuntimeDirError(`cannot create the runtime folder ${dir}: ${(err as Error).message}`)
  }
  let st: Stats
  try {
    st = lstatSync(dir)
  } catch (err) {
    throw new RuntimeDirError(`cannot read the runtime folder ${dir}: ${(err as Error).message}`)
  }
  if (!st.isDirectory()) {
    throw new RuntimeDirError(`the runtime folder ${dir} is not a folder${st.isSymbolicLink() ? ' (it is a symbolic link)' : ''}: remove it, or set PROCTOR_RUNTIME_DIR elsewhere`)
  }
  const me = uid()
  if (me !== undefined && st.uid !== me) {
    throw new RuntimeDirError(
      `the runtime folder ${dir} belongs to uid ${st.uid}, not to this user (uid ${me}): another user could read the token or take the socket; ` +
        'remove it, or set PROCTOR_RUNTIME_DIR to a folder of your own',
    )
  }
  if ((st.mode & 0o077) !== 0) {
    try {
      chmodSync(dir, 0o700)
    } catch (err) {
      throw new RuntimeDirError(`the runtime folder ${dir} is mode ${(st.mode & 0o777).toString(8)} and cannot be made 0700: ${(err as Error).message}`)
    }
    const after = lstatSync(dir).mode & 0o777
    if (after !== 0o700) throw new RuntimeDirError(`the runtime folder ${dir} is mode ${after.toString(8)} and stays so after chmod 0700: set PROCTOR_RUNTIME_DIR elsewhere`)
  }
  return socket
}
