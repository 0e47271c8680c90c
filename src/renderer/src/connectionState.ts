import { CLOSE_HOST_FULL, CLOSE_UNAUTHORIZED, parseHostFullReason } from '../../shared/rpc/protocol'
import type { CloseInfo, ConnectionStatus } from '../../shared/rpc/wsClient'

/** The browser transport's state as the window shows it (pure: no React, no DOM). */

/** Why the host turned the page's socket away; a socket that simply failed (no host there) has none. */
export type Refusal = { kind: 'full'; maxConnections?: number } | { kind: 'unauthorized' }

export interface Connection {
  status: ConnectionStatus
  /** Whether the connection was ever open: tells "lost" from "never reached". */
  everOpen: boolean
  /**
   * How many times the connection has opened: what was loaded once (settings,
   * app info) is loaded again each time it grows. 0 until the first open.
   */
  opened: number
  /** Why the last socket was turned away; kept while the next attempt connects, gone once open. */
  refusal?: Refusal
}

export function refusalOf(close: CloseInfo | undefined): Refusal | undefined {
  if (close?.code === CLOSE_HOST_FULL) return { kind: 'full', maxConnections: parseHostFullReason(close.reason) }
  if (close?.code === CLOSE_UNAUTHORIZED) return { kind: 'unauthorized' }
  return undefined
}

/** What the connection banner says, or nothing while the connection is open (or first connecting). */
export function connectionMessage(connection: Connection, hasToken: boolean): string | undefined {
  if (connection.status === 'open') return undefined
  const notLive = connection.everOpen ? ' The data shown is not live.' : ''
  const refusal = connection.refusal
  if (refusal?.kind === 'full') {
    const cap = refusal.maxConnections === undefined ? '' : ` (${refusal.maxConnections} connection${refusal.maxConnections === 1 ? '' : 's'})`
    return `The Proctor host is full${cap}: close a Proctor tab you no longer use, or wait. Retrying…${notLive}`
  }
  if (refusal?.kind === 'unauthorized') {
    return hasToken
      ? `The Proctor host refused this page’s token: a restarted host has a new one. Open the address \`proctor serve\` printed.${notLive}`
      : 'This page has no token for the Proctor host. Open the address `proctor serve` printed (it ends in #token=…).'
  }
  if (connection.everOpen) return 'Connection to the Proctor host lost. Reconnecting… The data shown is not live.'
  if (connection.status === 'closed') return 'Cannot reach the Proctor host. Is `proctor serve` running? Retrying…'
  return undefined
}

export function sameRefusal(a: Refusal | undefined, b: Refusal | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.kind === b.kind && (a.kind !== 'full' || b.kind !== 'full' || a.maxConnections === b.maxConnections)
}
