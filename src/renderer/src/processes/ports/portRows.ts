import { localEndpoint, localUrl, protocolLabel } from '../../../../shared/ports/endpoint'
import { isListening, type PortEntry } from '../../../../shared/ports/sockets'
import type { MenuEntry, MenuItem } from '../../../../shared/process/menu'
import type { ProcessInfo } from '../../../../shared/types/process'
import type { ProcessMatcher } from '../processFilter'

/** What the Ports view shows: the port table, filtered by the search through each row's process, and sorted. */

export type PortSortKey = 'port' | 'protocol' | 'state' | 'pid' | 'process'
export interface PortSort {
  key: PortSortKey
  descending: boolean
}
export const DEFAULT_PORT_SORT: PortSort = { key: 'port', descending: false }

/** One row's key: the socket and the process holding it (a socket held by two processes is two rows). */
export function portRowKey(e: PortEntry): string {
  return `${e.protocol}${e.family}|${e.localAddress}|${e.localPort}|${e.remoteAddress}|${e.remotePort}|${e.inode}|${e.owner ? `${e.owner.pid}:${e.owner.startTime}` : e.ownerStatus}`
}

const COMPARE: Record<PortSortKey, (a: PortEntry, b: PortEntry) => number> = {
  port: (a, b) => a.localPort - b.localPort,
  protocol: (a, b) => protocolLabel(a).localeCompare(protocolLabel(b)),
  state: (a, b) => a.state.localeCompare(b.state),
  pid: (a, b) => (a.owner?.pid ?? Infinity) - (b.owner?.pid ?? Infinity),
  process: (a, b) => (a.owner?.name ?? '\uffff').localeCompare(b.owner?.name ?? '\uffff'),
}

export function nextPortSort(current: PortSort, key: PortSortKey): PortSort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false }
}

/**
 * The rows whose process matches the search (a row without a visible
 * process shows only while nothing is searched), sorted; ties by port,
 * then address, so rows keep their places between refreshes.
 */
export function portRows(
  entries: readonly PortEntry[],
  processes: ReadonlyMap<number, ProcessInfo>,
  matches: ProcessMatcher | undefined,
  sort: PortSort,
): PortEntry[] {
  const kept = matches === undefined ? [...entries] : entries.filter((e) => {
    const p = e.owner ? processes.get(e.owner.pid) : undefined
    return p !== undefined && p.startTime === e.owner?.startTime && matches(p)
  })
  const compare = COMPARE[sort.key]
  const sign = sort.descending ? -1 : 1
  return kept.sort((a, b) => sign * compare(a, b) || a.localPort - b.localPort || a.localAddress.localeCompare(b.localAddress) || a.remotePort - b.remotePort)
}

export const COPY_ADDRESS = 'port:copy-address'
export const OPEN_IN_BROWSER = 'port:open'

/** Whether "Open http://localhost:PORT" makes sense: a TCP listener. */
export const isWebCandidate = (e: PortEntry): boolean => e.protocol === 'tcp' && isListening(e)

/** The right-click menu of a port row: its own items, then its process's (the same as in the table), if it has a process. */
export function portMenu(e: PortEntry, processEntries: readonly MenuEntry[] | undefined): MenuEntry[] {
  const own: MenuItem[] = [{ id: COPY_ADDRESS, label: `Copy address ${localEndpoint(e)}`, enabled: true }]
  if (isWebCandidate(e)) own.push({ id: OPEN_IN_BROWSER, label: `Open ${localUrl(e)}`, enabled: true })
  return processEntries && processEntries.length > 0 ? [...own, { separator: true }, ...processEntries] : own
}
