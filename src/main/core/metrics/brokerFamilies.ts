import type { Registry } from 'prom-client'
import type { IPCEndpointKind, IPCOverview } from '../../../shared/broker/status'
import { counter, gauge } from './family'
import { perScrape, type Readings } from './readings'

/** The IPC broker: whether it listens, its connections by kind, and its traffic since Proctor started. */
export function registerBrokerFamilies(registry: Registry, broker: { overview(): IPCOverview }, now: () => Readings): void {
  const overview = perScrape(now, () => broker.overview())
  gauge(registry, 'proctor_broker_up', 'Whether the IPC broker listens (1) or not (0).', [], () => [{ value: overview().listening ? 1 : 0 }])
  gauge(registry, 'proctor_broker_connections', 'Connections to the IPC broker, by kind of endpoint.', ['kind'], () => {
    const byKind = new Map<IPCEndpointKind, number>()
    for (const c of overview().connections) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1)
    return [...byKind].map(([kind, value]) => ({ labels: { kind }, value }))
  })
  gauge(registry, 'proctor_broker_handshaking_connections', 'Connections accepted that have not yet authenticated.', [], () => [{ value: overview().handshaking }])
  counter(registry, 'proctor_broker_messages_total', 'Frames the IPC broker routed.', [], () => [{ value: overview().totals.messages }])
  counter(registry, 'proctor_broker_received_bytes_total', 'Bytes the IPC broker received.', [], () => [{ value: overview().totals.bytes }])
  counter(registry, 'proctor_broker_rejected_connections_total', 'Connections refused or closed before their handshake.', [], () => [{ value: overview().totals.rejected }])
}
