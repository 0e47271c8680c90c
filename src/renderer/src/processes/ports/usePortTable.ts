import type { PortTable } from '../../../../shared/ports/sockets'
import { api } from '../../api'
import { useStream, type StreamState, type Subscribe } from '../../hooks/useStream'

const subscribePorts: Subscribe<PortTable> = (listener, onError) => api.subscribeToPorts(listener, onError)
const noPorts: Subscribe<PortTable> = () => () => {}

/** The live port table while `enabled` (the Ports view is shown, or the search names `port` or `listen`); nothing is read otherwise. */
export function usePortTable(enabled: boolean): StreamState<PortTable> {
  return useStream(enabled ? subscribePorts : noPorts)
}
