import { useEffect, useState } from 'react'
import type { ConnectionStatus } from '../../../shared/rpc/wsClient'
import { onConnectionStatus } from '../api'

/** True in a browser talking to the headless host; false in the desktop app (window.api from the preload). */
export const browserMode = typeof window !== 'undefined' && window.api === undefined

export interface Connection {
  status: ConnectionStatus
  /** Whether the connection was ever open: tells "lost" from "never reached". */
  everOpen: boolean
}

export function useConnection(): Connection {
  const [connection, setConnection] = useState<Connection>({ status: browserMode ? 'connecting' : 'open', everOpen: !browserMode })
  useEffect(
    () =>
      onConnectionStatus((status) =>
        setConnection((prev) =>
          prev.status === status ? prev : { status, everOpen: prev.everOpen || status === 'open' },
        ),
      ),
    [],
  )
  return connection
}
