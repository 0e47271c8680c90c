/**
 * The socket model shared by the engine, every transport and the UI: what
 * the kernel says of a TCP, UDP or Unix socket, and, joined to the process
 * table, who holds it.
 */

export type InetProtocol = 'tcp' | 'udp'
export type InetFamily = 4 | 6

/** A TCP or UDP socket as /proc/net (or lsof) reports it. */
export interface InetSocket {
  protocol: InetProtocol
  family: InetFamily
  /** Numeric: `0.0.0.0`, `127.0.0.1`, `::`, `::ffff:10.0.0.1`; `*` where lsof says any. */
  localAddress: string
  localPort: number
  /** Empty and 0 when not connected. */
  remoteAddress: string
  remotePort: number
  /** TCP: LISTEN, ESTABLISHED, TIME_WAIT, ...; UDP: UNCONN (bound) or ESTABLISHED (connected). */
  state: string
  /** The socket's inode; 0 when no process holds it (TIME_WAIT: the kernel keeps it). */
  inode: number
  /** The user that created it, where the platform says (Linux). */
  uid?: number
}

export type UnixSocketType = 'stream' | 'dgram' | 'seqpacket' | 'unknown'

/** A Unix domain socket as /proc/net/unix reports it. */
export interface UnixSocket {
  inode: number
  type: UnixSocketType
  /** LISTEN, CONNECTED, UNCONNECTED, CONNECTING, DISCONNECTING. */
  state: string
  /** The file it is bound to, `@name` for an abstract one, '' when unbound (most connected ends). */
  path: string
}

/** A process holding a socket, by identity. */
export interface SocketOwner {
  pid: number
  startTime: number
  name: string
  user: string
  /** The supervised program it belongs to. */
  program?: string
}

/**
 * Who holds a socket: a process; a socket whose holder the engine may not
 * see (another user's process, read without root): 'not-visible'; or
 * nobody (a TIME_WAIT connection the kernel keeps): 'none'.
 */
export type OwnerStatus = 'process' | 'not-visible' | 'none'

/** One row of the port table: a socket and one process holding it (a socket shared by a parent and its children has a row per process). */
export interface PortEntry extends Omit<InetSocket, 'uid'> {
  ownerStatus: OwnerStatus
  /** Set when ownerStatus is 'process'. */
  owner?: SocketOwner
}

export interface PortTable {
  timestamp: number
  entries: PortEntry[]
  /** Sockets whose holder is not visible to this engine. */
  notVisible: number
  /** What to do to see them, when some are not visible: run as root, say. */
  visibilityHint?: string
}

/** One process's sockets, for its details. */
export interface ProcessSockets {
  pid: number
  startTime: number
  inet: PortEntry[]
  unix: UnixSocket[]
  /** False when the engine may not read this process's descriptors (another user's, without root). */
  visible: boolean
}

/** A listener: a TCP socket in LISTEN, or a bound UDP socket that is not connected (what `ss -l` lists). */
export function isListening(s: Pick<InetSocket, 'protocol' | 'state'>): boolean {
  return s.state === 'LISTEN' || (s.protocol === 'udp' && s.state === 'UNCONN')
}
