import type { PortFilter } from '../../../shared/contract/ports'
import { isListening, type PortEntry, type SocketOwner } from '../../../shared/ports/sockets'
import type { ProcessInfo } from '../../../shared/types/process'
import type { HeldSocket } from './socketReader'

/** Rows of the port table: a socket per process holding it; one row, with why, when none is known. */
export function toEntries(held: readonly HeldSocket[], byPid: ReadonlyMap<number, ProcessInfo>, programs: ReadonlyMap<number, string>): PortEntry[] {
  const out: PortEntry[] = []
  for (const { socket, holders, hidden } of held) {
    const { uid: _uid, ...fields } = socket
    if (holders.length === 0) {
      out.push({ ...fields, ownerStatus: hidden ? 'not-visible' : 'none' })
      continue
    }
    for (const pid of holders) {
      const p = byPid.get(pid)
      // lsof may name a process started after the process list was read: it shows at the next refresh.
      if (p === undefined) continue
      const program = programs.get(pid)
      const owner: SocketOwner = { pid, startTime: p.startTime, name: p.name, user: p.user, ...(program !== undefined ? { program } : {}) }
      out.push({ ...fields, ownerStatus: 'process', owner })
    }
  }
  return out.sort(byPortThenAddress)
}

function byPortThenAddress(a: PortEntry, b: PortEntry): number {
  return (
    a.localPort - b.localPort ||
    a.protocol.localeCompare(b.protocol) ||
    a.family - b.family ||
    a.localAddress.localeCompare(b.localAddress) ||
    a.remotePort - b.remotePort ||
    (a.owner?.pid ?? 0) - (b.owner?.pid ?? 0)
  )
}

/** The rows a listPorts filter keeps: `port` matches either end, so a server's connections show with its listener. */
export function filterEntries(entries: readonly PortEntry[], filter: PortFilter | undefined): PortEntry[] {
  if (filter === undefined) return [...entries]
  const { port, listen, protocol, pid } = filter
  return entries.filter(
    (e) =>
      (port === undefined || e.localPort === port || e.remotePort === port) &&
      (listen !== true || isListening(e)) &&
      (protocol === undefined || e.protocol === protocol) &&
      (pid === undefined || e.owner?.pid === pid),
  )
}
