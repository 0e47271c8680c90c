import { Inbox, type Channel } from '../shared/rpc/channel'
import { RPC_CHANNEL, type ClientMessage } from '../shared/rpc/protocol'
import { RpcClient } from '../shared/rpc/rpcClient'

/** The part of ipcRenderer used here. */
export interface IpcRendererLike {
  send(channel: string, ...args: unknown[]): void
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

/**
 * The page's end of the one IPC channel: messages out with
 * ipcRenderer.send (structured clone, which throws at once on what cannot
 * be cloned), in from the main process's webContents.send. It lives as
 * long as the page.
 */
export function ipcChannel(ipc: IpcRendererLike): Channel<ClientMessage> {
  const inbox = new Inbox()
  ipc.on(RPC_CHANNEL, (_event, message) => inbox.message(message))
  return {
    send: (message) => ipc.send(RPC_CHANNEL, message),
    receive: (receiver) => inbox.set(receiver),
    close: () => inbox.closed(),
  }
}

/** The one client over Electron IPC: the main process serves it from the page's first message on. */
export function ipcTransport(ipc: IpcRendererLike): RpcClient {
  const client = new RpcClient()
  client.connect(ipcChannel(ipc))
  return client
}
