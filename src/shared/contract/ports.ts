import { z } from 'zod'
import type { PortTable, ProcessSockets } from '../ports/sockets'
import { call, identity, noArgs, stream } from './spec'

/** Ports: every TCP and UDP socket with the process holding it, and one process's sockets. */

const portNumber = z.number().int().min(0).max(65535)

const portFilter = z
  .strictObject({
    /** Sockets with this local or remote port: a server's listener and both ends of its connections. */
    port: portNumber.optional(),
    /** Listeners only: TCP in LISTEN, UDP bound and not connected. */
    listen: z.boolean().optional(),
    protocol: z.enum(['tcp', 'udp']).optional(),
    pid: z.number().int().positive().max(2 ** 31).optional(),
  })
  .optional()

export type PortFilter = NonNullable<z.output<typeof portFilter>>

export const portCalls = {
  listPorts: call<PortTable>()(
    portFilter,
    'Every TCP and UDP socket (IPv4 and IPv6): addresses, ports, state, and the process holding it (or that it is not visible).',
  ),
  getProcessSockets: call<ProcessSockets>()(identity, "One process's TCP, UDP and Unix sockets."),
  openPortInBrowser: call<null>()(
    z.strictObject({ port: portNumber.min(1) }),
    'Desktop app: open http://localhost:PORT/ in the default browser (the URL is built here, never taken from the caller). UNAVAILABLE in a browser, where the page links to it.',
  ),
} as const

export const portStreams = {
  subscribeToPorts: stream<PortTable>()(noArgs, 'The port table every refreshInterval, read only while someone subscribes.'),
} as const
