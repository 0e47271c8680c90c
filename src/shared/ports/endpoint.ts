import type { PortEntry } from './sockets'

/** `127.0.0.1:3000`, `[::1]:3000`, `*:5353`: an address and port as a browser or ss writes them. */
export function formatEndpoint(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`
}

export const localEndpoint = (e: Pick<PortEntry, 'localAddress' | 'localPort'>): string => formatEndpoint(e.localAddress, e.localPort)

/** The far end, or '' when not connected. */
export const remoteEndpoint = (e: Pick<PortEntry, 'remoteAddress' | 'remotePort'>): string =>
  e.remoteAddress === '' ? '' : formatEndpoint(e.remoteAddress, e.remotePort)

/** `tcp`, `tcp6`, `udp`, `udp6`, as netstat and ss label them. */
export const protocolLabel = (e: Pick<PortEntry, 'protocol' | 'family'>): string => (e.family === 6 ? `${e.protocol}6` : e.protocol)

/** What the Owner column says: the process, or why there is none. */
export function ownerLabel(e: Pick<PortEntry, 'ownerStatus' | 'owner'>): string {
  if (e.owner) return e.owner.program !== undefined ? `${e.owner.name} (${e.owner.program})` : e.owner.name
  return e.ownerStatus === 'not-visible' ? 'owner not visible' : 'no process (kernel)'
}

/** The address a browser opens for a TCP listener: any address means this machine. */
export function localUrl(e: Pick<PortEntry, 'localAddress' | 'localPort'>): string {
  const host = e.localAddress === '0.0.0.0' || e.localAddress === '::' || e.localAddress === '*' ? 'localhost' : e.localAddress
  return `http://${formatEndpoint(host, e.localPort)}/`
}
