import { execFile } from 'node:child_process'
import { ProctorError } from '../../../shared/errors'
import { parseLsofFields, type LsofSocket } from '../../../shared/ports/lsof'
import type { HeldSocket, ProcessRef, ProcessSocketList, SocketReader } from './socketReader'

const LSOF_TIMEOUT_MS = 10_000
const LSOF_MAX_BUFFER = 64 * 1024 * 1024
/** Every TCP and UDP socket, numeric, in fields: the command, pid, protocol, addresses and TCP state. */
export const LSOF_ARGS = ['-nP', '-iTCP', '-iUDP', '-FpcnPtT'] as const

/** Runs lsof; resolves its stdout. */
export type LsofRunner = (args: readonly string[]) => Promise<string>

const runLsof: LsofRunner = (args) =>
  new Promise((resolve, reject) => {
    execFile('lsof', args, { encoding: 'utf8', timeout: LSOF_TIMEOUT_MS, maxBuffer: LSOF_MAX_BUFFER }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ProctorError('UNAVAILABLE', 'the port table needs lsof, which is not installed or not on PATH'))
      } else if (error && !stdout && error.code !== 1) {
        reject(error)
      } else {
        // Exit 1 with output: some files could not be read, the rest are listed; with none: no socket matched.
        resolve(stdout)
      }
    })
  })

function held(s: LsofSocket): HeldSocket {
  const { pid, command: _command, ...socket } = s
  return { socket: { ...socket, inode: 0 }, holders: [pid], hidden: false }
}

/** The same socket through two descriptors of one process is one row. */
function distinct(list: HeldSocket[]): HeldSocket[] {
  const seen = new Set<string>()
  return list.filter((h) => {
    const s = h.socket
    const key = `${h.holders.join()}|${s.protocol}|${s.family}|${s.localAddress}|${s.localPort}|${s.remoteAddress}|${s.remotePort}|${s.state}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The socket table on macOS: one `lsof -nP -iTCP -iUDP -FpcnPtT` a refresh,
 * parsed by a pure function. lsof names the holding pid of each descriptor
 * itself; without root it lists only this user's processes, so other
 * users' sockets are absent rather than hidden. Also runs wherever lsof is
 * installed (Linux), which is how it is tested off a Mac.
 */
export class LsofSocketReader implements SocketReader {
  constructor(private readonly run: LsofRunner = runLsof) {}

  async readAll(_processes: readonly ProcessRef[]): Promise<HeldSocket[]> {
    return distinct(parseLsofFields(await this.run(LSOF_ARGS)).map(held))
  }

  async readProcess(process: ProcessRef): Promise<ProcessSocketList> {
    const text = await this.run(['-nP', '-a', '-p', String(process.pid), '-i', '-FpcnPtT'])
    // Unix sockets on macOS carry no path lsof can join reliably; the details list TCP and UDP there.
    return { inet: distinct(parseLsofFields(text).map(held)), unix: [], visible: true }
  }

  close(): void {}
}
