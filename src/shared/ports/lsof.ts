/**
 * Parser for `lsof -nP -iTCP -iUDP -FpcnPtT`, the socket table on macOS.
 * Pure, tested on captured output (test/fixtures/lsof/).
 *
 * -F prints one field a line, its kind the first character (lsof(8),
 * OUTPUT FOR OTHER PROGRAMS): a process set (`p` pid, `c` command) and then
 * a file set per descriptor (`f` fd when selected or always printed, `t`
 * IPv4/IPv6, `P` TCP/UDP, `n` the addresses, `T` TCP/TPI info such as
 * `TST=LISTEN`, one per line). A file set starts at its `f`, or at its `t`
 * where no `f` is printed.
 */
import type { InetFamily, InetProtocol, InetSocket } from './sockets'

export interface LsofSocket extends Omit<InetSocket, 'inode' | 'uid'> {
  pid: number
  /** lsof's command name (truncated by the kernel: 16 characters on macOS). */
  command: string
}

/** lsof's state names (the BSD spelling on macOS) to the ones /proc/net gives, as ss names them. */
const STATE_NAMES: ReadonlyMap<string, string> = new Map([
  ['SYN_RCVD', 'SYN_RECV'],
  ['FIN_WAIT_1', 'FIN_WAIT1'],
  ['FIN_WAIT_2', 'FIN_WAIT2'],
  ['CLOSED', 'CLOSE'],
])

interface FileFields {
  type?: string
  protocol?: string
  name?: string
  state?: string
  hasF?: boolean
}

/** `[::1]:8080` or `127.0.0.1:80` or `*:*` -> address and port (0 for `*`). */
function splitEndpoint(text: string): [string, number] | undefined {
  const colon = text.lastIndexOf(':')
  if (colon <= 0) return undefined
  let address = text.slice(0, colon)
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1)
  const portText = text.slice(colon + 1)
  const port = portText === '*' ? 0 : Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined
  return [address, port]
}

function toSocket(pid: number, command: string, f: FileFields): LsofSocket | undefined {
  const protocol = f.protocol?.toLowerCase()
  if ((protocol !== 'tcp' && protocol !== 'udp') || f.name === undefined) return undefined
  const [localText = '', remoteText] = f.name.split('->')
  const local = splitEndpoint(localText)
  const remote = remoteText !== undefined ? splitEndpoint(remoteText) : undefined
  if (local === undefined) return undefined
  const family: InetFamily = f.type === 'IPv6' || local[0].includes(':') ? 6 : 4
  const state =
    f.state !== undefined ? (STATE_NAMES.get(f.state) ?? f.state) : protocol === 'udp' ? (remote ? 'ESTABLISHED' : 'UNCONN') : 'UNKNOWN'
  return {
    pid,
    command,
    protocol: protocol satisfies InetProtocol,
    family,
    localAddress: local[0],
    localPort: local[1],
    remoteAddress: remote?.[0] ?? '',
    remotePort: remote?.[1] ?? 0,
    state,
  }
}

/** Every TCP and UDP socket in lsof -F output; records it cannot read are skipped. */
export function parseLsofFields(text: string): LsofSocket[] {
  const out: LsofSocket[] = []
  let pid = 0
  let command = ''
  let file: FileFields | undefined
  const flush = () => {
    if (file !== undefined && pid > 0) {
      const s = toSocket(pid, command, file)
      if (s) out.push(s)
    }
    file = undefined
  }
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line === '') continue
    const kind = line.charAt(0)
    const value = line.slice(1)
    switch (kind) {
      case 'p':
        flush()
        pid = Number(value)
        if (!Number.isInteger(pid)) pid = 0
        command = ''
        break
      case 'c':
        command = value
        break
      case 'f':
        flush()
        file = { hasF: true }
        break
      case 't':
        if (file === undefined || file.type !== undefined || !file.hasF) flush()
        file ??= {}
        file.type = value
        break
      case 'P':
        file ??= {}
        file.protocol = value
        break
      case 'n':
        file ??= {}
        file.name = value
        break
      case 'T':
        if (value.startsWith('ST=')) {
          file ??= {}
          file.state = value.slice(3)
        }
        break
      default:
        break // fields not asked for (u, g, R, TQR=...) are ignored
    }
  }
  flush()
  return out
}
