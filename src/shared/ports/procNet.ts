/**
 * Parsers for the kernel's socket tables: /proc/net/{tcp,tcp6,udp,udp6}
 * and /proc/net/unix. Pure, tested on captured text.
 *
 * Addresses are printed as 32-bit words in the host's byte order (`%08X`
 * of the raw network-order word), so on a little-endian machine (every
 * Linux Proctor runs on: x86-64, arm64) `0100007F` is 127.0.0.1; ports are
 * printed after ntohs, as plain hex.
 */
import type { InetFamily, InetProtocol, InetSocket, UnixSocket, UnixSocketType } from './sockets'

/** The kernel's TCP states (include/net/tcp_states.h), named as ss names them. */
const TCP_STATES: readonly string[] = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
]
const TCP_CLOSE = 7
const TCP_ESTABLISHED = 1

function hexByte(word: number, shift: number): number {
  return (word >>> shift) & 0xff
}

/** Four bytes of a little-endian word as printed: `0100007F` -> [127, 0, 0, 1]. */
function wordBytes(hex: string): number[] {
  const w = parseInt(hex, 16)
  return [hexByte(w, 0), hexByte(w, 8), hexByte(w, 16), hexByte(w, 24)]
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as `::`; IPv4-mapped as `::ffff:a.b.c.d`. */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0))
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12, 16).join('.')}`
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}

/** `0100007F:0BB8` -> ['127.0.0.1', 3000]; 32 hex digits of address for IPv6. */
export function parseHexEndpoint(text: string): [string, number] | undefined {
  const colon = text.indexOf(':')
  if (colon !== 8 && colon !== 32) return undefined
  const port = parseInt(text.slice(colon + 1), 16)
  if (!Number.isInteger(port)) return undefined
  if (colon === 8) return [wordBytes(text.slice(0, 8)).join('.'), port]
  const bytes: number[] = []
  for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(text.slice(i, i + 8)))
  return [formatIpv6(bytes), port]
}

const FIELDS = /\S+/g

/**
 * One of /proc/net/{tcp,tcp6,udp,udp6}: a socket per line after the
 * header. Lines that do not parse are skipped (a table the kernel grew a
 * column in still reads).
 */
export function parseProcNetInet(text: string, protocol: InetProtocol, family: InetFamily): InetSocket[] {
  const out: InetSocket[] = []
  let start = text.indexOf('\n') + 1
  while (start > 0 && start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const f = text.slice(start, end).match(FIELDS)
    start = end + 1
    if (f === null || f.length < 10) continue
    const local = parseHexEndpoint(f[1] ?? '')
    const remote = parseHexEndpoint(f[2] ?? '')
    const st = parseInt(f[3] ?? '', 16)
    const uid = Number(f[7])
    const inode = Number(f[9])
    if (local === undefined || remote === undefined || !Number.isInteger(st) || !Number.isInteger(inode)) continue
    const connected = remote[1] !== 0
    out.push({
      protocol,
      family,
      localAddress: local[0],
      localPort: local[1],
      remoteAddress: connected ? remote[0] : '',
      remotePort: remote[1],
      state: protocol === 'udp' ? udpState(st) : (TCP_STATES[st] ?? `UNKNOWN(${st})`),
      inode,
      ...(Number.isInteger(uid) ? { uid } : {}),
    })
  }
  return out
}

/** UDP has no states of its own: a connected socket is ESTABLISHED, a bound one UNCONN (as ss says). */
function udpState(st: number): string {
  if (st === TCP_ESTABLISHED) return 'ESTABLISHED'
  if (st === TCP_CLOSE) return 'UNCONN'
  return TCP_STATES[st] ?? `UNKNOWN(${st})`
}

const UNIX_TYPES: ReadonlyMap<number, UnixSocketType> = new Map([
  [1, 'stream'],
  [2, 'dgram'],
  [5, 'seqpacket'],
])
const UNIX_STATES = ['FREE', 'UNCONNECTED', 'CONNECTING', 'CONNECTED', 'DISCONNECTING']
/** __SO_ACCEPTCON in the flags column: the socket listens. */
const SO_ACCEPTCON = 0x10000

/** A /proc/net/unix line: seven fields, then the path, if any, to the end of the line (spaces and all). */
const UNIX_LINE = /^\s*\S+\s+\S+\s+\S+\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\d+)(?: (.*))?$/

/** /proc/net/unix: `Num RefCount Protocol Flags Type St Inode Path`. */
export function parseProcNetUnix(text: string): UnixSocket[] {
  const out: UnixSocket[] = []
  const lines = text.split('\n')
  for (let i = 1; i < lines.length; i++) {
    const m = UNIX_LINE.exec(lines[i] ?? '')
    if (m === null) continue
    const flags = parseInt(m[1] ?? '', 16)
    const type = parseInt(m[2] ?? '', 16)
    const st = parseInt(m[3] ?? '', 16)
    out.push({
      inode: Number(m[4]),
      type: UNIX_TYPES.get(type) ?? 'unknown',
      state: (flags & SO_ACCEPTCON) !== 0 ? 'LISTEN' : (UNIX_STATES[st] ?? `UNKNOWN(${st})`),
      path: m[5] ?? '',
    })
  }
  return out
}

/** The inode a descriptor's link names when it is a socket: `socket:[12345]` -> 12345. */
export function socketInodeOfLink(link: string): number | undefined {
  if (!link.startsWith('socket:[')) return undefined
  const n = Number(link.slice(8, -1))
  return Number.isInteger(n) && n > 0 ? n : undefined
}
