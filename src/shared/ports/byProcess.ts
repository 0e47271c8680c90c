import type { ProcessIdentity } from '../types/process'
import { isListening, type PortEntry } from './sockets'

/** The local ports of one process's TCP and UDP sockets: what `port` and `listen` in a query test. */
export interface ProcessPorts {
  local: readonly number[]
  listening: readonly number[]
}

/** Looks up a process's ports by identity; undefined when it holds none (or they were not read). */
export type PortsOf = (p: ProcessIdentity) => ProcessPorts | undefined

interface Held {
  startTime: number
  local: Set<number>
  listening: Set<number>
}

/** Groups a port table by the process holding each socket, for the query's `port` and `listen`. */
export function portsByProcess(entries: readonly PortEntry[]): PortsOf {
  const byPid = new Map<number, Held>()
  for (const e of entries) {
    const owner = e.owner
    if (owner === undefined) continue
    let held = byPid.get(owner.pid)
    if (held === undefined || held.startTime !== owner.startTime) {
      held = { startTime: owner.startTime, local: new Set(), listening: new Set() }
      byPid.set(owner.pid, held)
    }
    held.local.add(e.localPort)
    if (isListening(e)) held.listening.add(e.localPort)
  }
  const out = new Map<number, { startTime: number; ports: ProcessPorts }>()
  for (const [pid, h] of byPid) out.set(pid, { startTime: h.startTime, ports: { local: [...h.local], listening: [...h.listening] } })
  return (p) => {
    const found = out.get(p.pid)
    return found !== undefined && found.startTime === p.startTime ? found.ports : undefined
  }
}
