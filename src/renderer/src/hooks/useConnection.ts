import { useEffect, useState } from 'react'
import { onConnectionStatus } from '../api'
import { refusalOf, sameRefusal, type Connection } from '../connectionState'

export type { Connection } from '../connectionState'

/** True in a browser talking to the headless host; false in the desktop app (window.api from the preload). */
export const browserMode = typeof window !== 'undefined' && window.api === undefined

export function useConnection(): Connection {
  const [connection, setConnection] = useState<Connection>(
    browserMode ? { status: 'connecting', everOpen: false, opened: 0 } : { status: 'open', everOpen: true, opened: 1 },
  )
  useEffect(
    () =>
      onConnectionStatus((status, close) =>
        setConnection((prev) => {
          if (status === 'open') return prev.status === 'open' ? prev : { status, everOpen: true, opened: prev.opened + 1 }
          const refusal = status === 'closed' ? refusalOf(close) : prev.refusal
          if (prev.status === status && sameRefusal(prev.refusal, refusal)) return prev
          return { status, everOpen: prev.everOpen, opened: prev.opened, refusal }
        }),
      ),
    [],
  )
  return connection
}
