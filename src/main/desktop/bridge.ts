import { messageId, RPC_CHANNEL, type ServerMessage } from '../../shared/rpc/protocol'
import type { Router } from '../../shared/rpc/router'
import { RpcSession } from '../../shared/rpc/session'
import type { Caller } from '../../shared/types/caller'
import { WebContentsChannel, type PageContents } from './webContentsChannel'

/*
 * The Electron IPC bridge: the contract over one channel, RPC_CHANNEL,
 * both ways (ipcRenderer.send -> ipcMain.on; webContents.send ->
 * ipcRenderer.on), carrying the same messages as every other transport to
 * the same RpcSession. Typed against the few members it uses, so
 * Electron's own objects and the test stand-ins both fit.
 */

/** What a renderer frame looks like to the bridge (Electron's WebFrameMain fits). */
export interface BridgeFrame {
  readonly url: string
  readonly parent: unknown
}

/** Electron's IpcMainEvent fits. */
export interface BridgeEvent {
  readonly sender: PageContents
  /** Null once the frame has navigated away or is destroyed. */
  readonly senderFrame: BridgeFrame | null
  /** Sends to the frame that sent the message, not to the page's main frame. */
  reply(channel: string, ...args: unknown[]): void
}

type BridgeListener = (event: BridgeEvent, ...args: unknown[]) => void

/** Electron's ipcMain fits. */
export interface BridgeIpcMain {
  on(channel: string, listener: BridgeListener): unknown
  removeListener(channel: string, listener: BridgeListener): unknown
}

/** Only our own window's frame gets this far (the sender check): the audit log calls it the desktop window. */
const DESKTOP_WINDOW: Caller = { kind: 'desktop', detail: 'window' }

/**
 * What an untrusted frame is told: a call or a subscription with an id is
 * refused with PERMISSION_DENIED, so a page there fails instead of waiting;
 * anything else gets no answer. Nothing else of the message is read.
 */
function refusal(data: unknown): ServerMessage | undefined {
  const id = messageId(data)
  // An id was read, so `data` is an object.
  if (id === undefined) return undefined
  const t = (data as { t?: unknown }).t
  if (t !== 'call' && t !== 'sub') return undefined
  const error = { code: 'PERMISSION_DENIED', message: 'this frame may not use the Proctor API', details: { elevation: false } } as const
  return { t: 'result', id, result: { ok: false, error } }
}

/**
 * Serves the router to our renderer: one listener on RPC_CHANNEL, which
 * checks the sender of every message before anything else. A trusted
 * sender's messages go to the session of its webContents (made on its
 * first message, ended when its page goes away); an untrusted one's never
 * reach a session. Returns a function that removes the listener and ends
 * every session.
 */
export function registerBridge(
  ipcMain: BridgeIpcMain,
  router: Pick<Router, 'call' | 'subscribe'>,
  isTrustedSender: (event: BridgeEvent) => boolean,
): () => void {
  const sessions = new Map<PageContents, { channel: WebContentsChannel; session: RpcSession }>()

  /** A check that throws refuses. */
  const checkSender = (event: BridgeEvent): boolean => {
    try {
      return isTrustedSender(event)
    } catch {
      return false
    }
  }

  function sessionOf(contents: PageContents) {
    let entry = sessions.get(contents)
    if (!entry) {
      const channel = new WebContentsChannel(contents, () => sessions.delete(contents))
      entry = { channel, session: new RpcSession(router, channel, DESKTOP_WINDOW) }
      sessions.set(contents, entry)
    }
    return entry
  }

  const listener: BridgeListener = (event, ...args) => {
    if (!checkSender(event)) {
      const answer = refusal(args[0])
      // Only to a frame still there: a gone frame's id may belong to the next document by now.
      if (answer && event.senderFrame) event.reply(RPC_CHANNEL, answer)
      return
    }
    const { channel } = sessionOf(event.sender)
    if (args.length === 1) channel.inbox.message(args[0])
    else channel.inbox.unreadable(`malformed message: one message per send, got ${args.length} arguments`)
  }
  ipcMain.on(RPC_CHANNEL, listener)

  return () => {
    ipcMain.removeListener(RPC_CHANNEL, listener)
    for (const { session } of [...sessions.values()]) session.close()
  }
}
