import type { ProctorApi } from '../../shared/contract'
import { createApi } from '../../shared/rpc/client'
import { fromBridgedError, mapApiErrors } from '../../shared/rpc/mapErrors'
import { apiSubprotocols, TOKEN_PATTERN } from '../../shared/rpc/protocol'
import { webSocketTransport, type CloseInfo, type ConnectionStatus } from '../../shared/rpc/wsClient'

/**
 * The renderer's only door to the engine. In the desktop app the preload
 * has put `window.api` there; in a browser the same contract runs over the
 * headless host's WebSocket, authenticated by the token `proctor serve`
 * put in the page URL's fragment.
 */

const TOKEN_KEY = 'proctor.token'

/**
 * The token, from the fragment (`#token=...`) on first load; then from this
 * tab's sessionStorage, so a reload still connects. Browsers never send a
 * fragment to a server, and the token is taken out of the address bar and
 * the tab's history at once. sessionStorage belongs to this origin (port
 * included) and this tab only: no other local server can read it.
 */
function takeToken(): string | undefined {
  const fragment = new URLSearchParams(window.location.hash.slice(1))
  const fromUrl = fragment.get('token')
  if (fromUrl !== null) {
    fragment.delete('token')
    const rest = fragment.toString()
    history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`)
    if (!TOKEN_PATTERN.test(fromUrl)) return undefined
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl)
    } catch {
      // Storage disabled: the token lives in memory only, until a reload.
    }
    return fromUrl
  }
  try {
    const stored = sessionStorage.getItem(TOKEN_KEY)
    return stored !== null && TOKEN_PATTERN.test(stored) ? stored : undefined
  } catch {
    return undefined
  }
}

type StatusListener = (status: ConnectionStatus, close?: CloseInfo) => void
const statusListeners = new Set<StatusListener>()
let lastStatus: [ConnectionStatus, CloseInfo?] = ['open']

let hasToken = true
/** Whether this page has a token to offer the host (true in the desktop app, which needs none). */
export const pageHasToken = (): boolean => hasToken

function browserApi(): ProctorApi {
  const token = takeToken()
  hasToken = token !== undefined
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const url = `${scheme}//${window.location.host}/api`
  return createApi(
    webSocketTransport({
      // The token goes as a subprotocol, a header: never in a URL.
      connect: () => new WebSocket(url, apiSubprotocols(token)),
      onStatus: (status, close) => {
        lastStatus = [status, close]
        for (const l of statusListeners) l(status, close)
      },
    }),
  )
}

// The preload's errors arrive as plain objects (contextBridge drops Error fields); revive them.
export const api: ProctorApi = window.api ? mapApiErrors(window.api, fromBridgedError) : browserApi()

/** Connection state of the browser transport ('open' always in the desktop app); with 'closed', how it closed. */
export function onConnectionStatus(listener: StatusListener): () => void {
  statusListeners.add(listener)
  listener(...lastStatus)
  return () => statusListeners.delete(listener)
}
