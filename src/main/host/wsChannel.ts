import type { WebSocket } from 'ws'
import type { BacklogLimits } from '../../shared/rpc/backlog'
import { Inbox, type Channel } from '../../shared/rpc/channel'
import type { ServerMessage } from '../../shared/rpc/protocol'
import { BINARY_FRAME, encodeMessage, MAX_CLIENT_MESSAGE, receiveText } from '../../shared/rpc/textCodec'

/**
 * The server's end of one browser's WebSocket: JSON text frames, a client
 * frame past MAX_CLIENT_MESSAGE refused unread, and the backlog limits
 * applied to what is sent (`ws.bufferedAmount` is what the client has not read).
 */
export function webSocketChannel(ws: WebSocket, backlog: BacklogLimits): Channel<ServerMessage> {
  const inbox = new Inbox()
  ws.on('message', (data, isBinary) => {
    if (isBinary) inbox.unreadable(BINARY_FRAME)
    else receiveText(inbox, data.toString(), MAX_CLIENT_MESSAGE)
  })
  ws.on('close', () => inbox.closed())
  return {
    send(message) {
      if (ws.readyState !== ws.OPEN) return
      switch (backlog.verdict(message, ws.bufferedAmount)) {
        case 'drop-client':
          return ws.terminate()
        case 'skip':
          return
        case 'send':
          ws.send(encodeMessage(message))
      }
    },
    receive: (receiver) => inbox.set(receiver),
    close: () => ws.close(),
  }
}
