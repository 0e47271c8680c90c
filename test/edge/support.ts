import { vi } from 'vitest'
import type { Envelope } from '../../src/shared/errors'
import { RPC_CHANNEL, type ClientMessage, type ServerMessage } from '../../src/shared/rpc/protocol'
import type { FakeWebContents, FakeWebFrameMain } from '../fakes/electron'
import { waitFor } from '../helpers/wait'

export { stubRouter } from '../helpers/stubRouter'

/**
 * Fresh copies of the stand-in electron module and of the edge modules that
 * hold state (the windows window.ts created, listeners on app): every test
 * that calls this gets its own world. Import the fake and the code under
 * test from the same fresh registry, as done here.
 */
export async function freshEdge() {
  vi.resetModules()
  const electron = await import('../fakes/electron')
  const window = await import('../../src/main/desktop/window')
  const bridge = await import('../../src/main/desktop/bridge')
  const security = await import('../../src/main/desktop/security')
  return { electron, window, bridge, security }
}

/** Lets queued IPC deliveries (setImmediate) and promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

type Electron = typeof import('../fakes/electron')

/** The server messages a webContents' main frame was sent on the RPC channel, in order. */
export function serverMessages(contents: FakeWebContents): ServerMessage[] {
  return contents.sent.filter((m) => m.channel === RPC_CHANNEL).map((m) => m.args[0] as ServerMessage)
}

/** The server messages sent to one frame only (event.reply), in order. */
export function repliesTo(contents: FakeWebContents, frame: FakeWebFrameMain): ServerMessage[] {
  return contents.sentToFrame.filter((m) => m.channel === RPC_CHANNEL && m.frameId === frame.routingId).map((m) => m.args[0] as ServerMessage)
}

let nextCallId = 1_000_000

/**
 * One call from a page's main frame in raw protocol messages, as its
 * preload would send it; resolves with the envelope the page is sent.
 */
export async function callOverIpc<T>(electron: Electron, contents: FakeWebContents, name: string, arg?: unknown): Promise<Envelope<T>> {
  const id = nextCallId++
  const message: ClientMessage = arg === undefined ? { t: 'call', id, name } : { t: 'call', id, name, arg }
  electron.ipcMain.simulateSend({ sender: contents }, RPC_CHANNEL, message)
  const answer = await waitFor(
    () => serverMessages(contents).find((m) => m.t === 'result' && m.id === id),
    10_000,
    `the answer to ${name}`,
  )
  return (answer as Extract<ServerMessage, { t: 'result' }>).result as Envelope<T>
}
