import { Inbox, type Channel, type ChannelReceiver } from '../../shared/rpc/channel'
import { RPC_CHANNEL, type ServerMessage } from '../../shared/rpc/protocol'

type NavigationListener = (details: { isMainFrame: boolean; isSameDocument: boolean }) => void

/** The webContents of a page using the API (Electron's WebContents fits). */
export interface PageContents {
  isDestroyed(): boolean
  send(channel: string, ...args: unknown[]): void
  on(event: 'destroyed' | 'render-process-gone', listener: () => void): unknown
  on(event: 'did-start-navigation', listener: NavigationListener): unknown
  removeListener(event: 'destroyed' | 'render-process-gone', listener: () => void): unknown
  removeListener(event: 'did-start-navigation', listener: NavigationListener): unknown
}

/**
 * The main process's end of the IPC channel to one page: server messages
 * go to its main frame with webContents.send (structured clone, which
 * throws at once on what cannot be cloned); client messages are handed in
 * by the bridge after its sender check. Closes when the page goes away:
 * the webContents is destroyed, its renderer dies, or a new document
 * replaces the page (a reload).
 */
export class WebContentsChannel implements Channel<ServerMessage> {
  readonly inbox = new Inbox()

  constructor(
    private readonly contents: PageContents,
    private readonly onClose: () => void,
  ) {
    contents.on('destroyed', this.close)
    contents.on('render-process-gone', this.close)
    contents.on('did-start-navigation', this.navigating)
  }

  send(message: ServerMessage): void {
    if (!this.contents.isDestroyed()) this.contents.send(RPC_CHANNEL, message)
  }

  receive(receiver: ChannelReceiver): void {
    this.inbox.set(receiver)
  }

  readonly close = (): void => {
    if (this.inbox.isClosed) return
    this.contents.removeListener('destroyed', this.close)
    this.contents.removeListener('render-process-gone', this.close)
    this.contents.removeListener('did-start-navigation', this.navigating)
    this.onClose()
    this.inbox.closed()
  }

  private readonly navigating: NavigationListener = (details) => {
    if (details.isMainFrame && !details.isSameDocument) this.close()
  }
}
