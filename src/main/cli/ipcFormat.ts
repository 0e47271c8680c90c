import { envLines } from '../../shared/broker/envLines'
import type { IPCOverview, IPCRegistration } from '../../shared/broker/status'
import { formatBytes, formatDuration } from '../../shared/format'
import { textTable } from './table'

/** The broker's answers as text for people: whether it listens, its caps, its connections. */

const COLUMNS = ['ID', 'NAME', 'PID', 'CONNECTED', 'LAST SEEN', 'READY', 'MSGS IN/OUT', 'BYTES IN/OUT', 'QUEUED'] as const

/** What to run to turn IPC on, said wherever it is off. */
export const TURN_ON = '`proctor ipc on` turns it on'

export function formatIPCOverview(o: IPCOverview, now = Date.now()): string {
  if (!o.enabled) return `IPC is off: programs get no IPC token and nothing listens; ${TURN_ON}`
  const lines: string[] = []
  if (!o.listening) lines.push(`IPC is on but the broker does not listen${o.problem ? `: ${o.problem}` : ''}`)
  else lines.push(`listening on ${o.socket ?? '?'}`)
  const c = o.caps
  lines.push(
    `caps: ${c.maxConnections} connections, frames up to ${formatBytes(c.maxFrameBytes)}, ${formatBytes(c.maxQueuedBytes)} queued per connection, ` +
      `requests time out after ${formatDuration(c.messageTimeout)}, handshake within ${formatDuration(c.handshakeTimeoutMs)}`,
  )
  lines.push(`totals: ${o.totals.messages} messages, ${formatBytes(o.totals.bytes)}, ${o.totals.rejected} connections refused`)
  if (o.connections.length === 0) lines.push('no connections')
  else {
    const rows = o.connections.map((x) => [
      x.id,
      x.program ? `${x.name} (program)` : x.name,
      x.pid === undefined ? '–' : String(x.pid),
      `${formatDuration(now - x.connectedSince)} ago`,
      `${formatDuration(Math.max(0, now - x.lastSeen))} ago`,
      x.ready ? 'yes' : 'no',
      `${x.messagesIn}/${x.messagesOut}`,
      `${formatBytes(x.bytesIn)}/${formatBytes(x.bytesOut)}`,
      formatBytes(x.queuedBytes),
    ])
    lines.push(...textTable(COLUMNS, rows, new Set([2, 6, 7, 8])))
  }
  const waiting = o.registrations.filter((r) => !r.connected)
  if (waiting.length > 0) lines.push(`registered, not connected: ${waiting.map(describeRegistration).join(', ')}`)
  return lines.join('\n')
}

function describeRegistration(r: IPCRegistration): string {
  return `${r.id} (${r.name}${r.pid !== undefined ? `, pid ${r.pid}` : ''})`
}

/** What `proctor ipc register` prints: the variables to give the process, as shell lines. */
export function formatRegistration(r: IPCRegistration & { token: string; socket: string }): string {
  return [
    `registered ${describeRegistration(r)}: give the process these variables (the token is a secret):`,
    envLines(r.socket, r.token),
  ].join('\n')
}
