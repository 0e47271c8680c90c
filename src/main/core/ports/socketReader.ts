import type { InetSocket, UnixSocket } from '../../../shared/ports/sockets'

/** A process the reader may look into: identity (for its cache) and uid (to find who created a socket). */
export interface ProcessRef {
  pid: number
  startTime: number
  uid: number
}

/** A TCP or UDP socket and the pids holding it. */
export interface HeldSocket {
  socket: InetSocket
  /** Pids of the processes holding it; empty when no process does or its holder is not visible. */
  holders: number[]
  /** Some process holds it but the engine may not see which (another user's, without root). */
  hidden: boolean
}

export interface ProcessSocketList {
  inet: HeldSocket[]
  unix: UnixSocket[]
  /** False when the process's descriptors could not be read. */
  visible: boolean
}

/** Where the port table comes from: /proc on Linux, lsof on macOS. */
export interface SocketReader {
  /** Every TCP and UDP socket with its holders among `processes`. */
  readAll(processes: readonly ProcessRef[]): Promise<HeldSocket[]>
  /** One process's TCP, UDP and Unix sockets. */
  readProcess(process: ProcessRef): Promise<ProcessSocketList>
  close(): void
}
