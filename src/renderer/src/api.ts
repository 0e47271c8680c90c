import type { ProctorApi } from '../../shared/contract'
import { createApi } from '../../shared/rpc/client'
import { fromBridgedError, mapApiErrors } from '../../shared/rpc/mapErrors'
import { webSocketTransport, type ConnectionStatus } from '../../shared/rpc/wsClient'

/**
 * The renderer's only door to the engine. In the desktop app the preload
 * has put `window.api` there; in a browser the same contract runs over the
 * headless host's WebSocket, authenticated by the token in the page URL.
 */

const statusListeners = new Set<(s: ConnectionStatus) => void>()
let lastStatus: ConnectionStatus = 'open'

function browserApi(): ProctorApi {
  const token = new URLSearchParams(window.location.search).get('token') ?? ''
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const url = `${scheme}//${window.location.host}/api?token=${encodeURIComponent(token)}`
  return createApi(
    webSocketTransport({
      connect: () => new WebSocket(url),
      onStatus: (s) => {
        lastStatus = s
        for (const l of statusListeners) l(s)
      },
    }),
  )
}

// The preload's errors arrive as plain objects (contextBridge drops Error fields); revive them.
export const api: ProctorApi = window.api ? mapApiErrors(window.api, fromBridgedError) : browserApi()

/** Connection state of the browser transport ('open' always in the desktop app). */
export function onConnectionStatus(listener: (s: ConnectionStatus) => void): () => void {
  statusListeners.add(listener)
  listener(lastStatus)
  return () => statusListeners.delete(listener)
}
