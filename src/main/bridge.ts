import type { z } from 'zod'
import { callNames, type Unsubscribe } from '../shared/contract'
import { fail, ok, toErrorInfo, type Envelope, type ErrorInfo } from '../shared/errors'
import { channels, subscribeRequestSchema, unsubscribeRequestSchema, type EventMessage } from '../shared/rpc/protocol'
import type { Router } from '../shared/rpc/router'
import { describeIssues } from '../shared/settings'
import type { Caller } from '../shared/types/caller'

/*
 * The Electron IPC bridge: the contract's calls and streams over
 * ipcMain.handle + webContents.send. Typed against the few members it uses,
 * so Electron's own objects and the test stand-ins both fit.
 */

/** What a renderer frame looks like to the bridge (Electron's WebFrameMain fits). */
export interface BridgeFrame {
  readonly url: string
  readonly parent: unknown
}

/** The webContents that sent a message (Electron's WebContents fits). */
export interface BridgeSender {
  isDestroyed(): boolean
  send(channel: string, ...args: unknown[]): void
  on(event: 'destroyed', listener: () => void): unknown
  on(event: 'did-start-navigation', listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void): unknown
  removeListener(event: 'destroyed', listener: () => void): unknown
  removeListener(
    event: 'did-start-navigation',
    listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void,
  ): unknown
}

/** Electron's IpcMainInvokeEvent fits. */
export interface BridgeEvent {
  readonly sender: BridgeSender
  readonly senderFrame: BridgeFrame | null
}

/** Electron's ipcMain fits. */
export interface BridgeIpcMain {
  handle(channel: string, listener: (event: BridgeEvent, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

/**
 * The last message of a stream the server ended: with the error when its
 * source failed (the preload turns it into the subscriber's onError),
 * without one when the stream finished. Events are EventMessage.
 */
export interface StreamEndMessage {
  id: number
  end: true
  error?: ErrorInfo
}
export type BridgeMessage = EventMessage | StreamEndMessage

/** A malformed request, worded like the router's argument errors: `subscribe.id: ...`. */
function invalid(error: z.ZodError, what: string): Envelope<never> {
  return fail({
    code: 'INVALID_ARGUMENT',
    message: describeIssues(error, what),
    details: { issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  })
}

/** Only our own window's frame gets this far (the sender check): the audit log calls it the desktop window. */
const DESKTOP_WINDOW: Caller = { kind: 'desktop', detail: 'window' }

const denied = (): Envelope<never> =>
  fail({
    code: 'PERMISSION_DENIED',
    message: 'this frame may not use the Proctor API',
    details: { elevation: false },
  })

/**
 * The open streams of one webContents, keyed by the id its preload chose.
 * Lives while that webContents has a stream; ends them all when the page
 * goes away (destroyed, or replaced by a reload).
 */
class SenderStreams {
  private readonly streams = new Map<number, Unsubscribe>()

  constructor(
    private readonly sender: BridgeSender,
    private readonly onClosed: () => void,
  ) {
    sender.on('destroyed', this.close)
    sender.on('did-start-navigation', this.navigating)
  }

  has(id: number): boolean {
    return this.streams.has(id)
  }

  add(id: number, stop: Unsubscribe): void {
    this.streams.set(id, stop)
  }

  /** The page asked to stop: true if the stream was open. */
  stop(id: number): boolean {
    const stop = this.streams.get(id)
    if (!stop) return false
    this.streams.delete(id)
    stop()
    this.closeIfIdle()
    return true
  }

  /** One event to the page; a payload that cannot be sent ends its stream. */
  event(id: number, payload: unknown): void {
    try {
      this.post({ id, payload })
    } catch (err) {
      const stop = this.streams.get(id)
      if (!stop) return
      this.streams.delete(id)
      stop()
      this.end(id, { code: 'INTERNAL', message: `an update could not be sent to the window: ${(err as Error).message}` })
    }
  }

  /** The stream ended on the server side (failed, or finished when there is no error). */
  ended(id: number, error: ErrorInfo | undefined): void {
    if (this.streams.delete(id)) this.end(id, error)
  }

  /** Sends the final message of a stream (also of one that ended before it was registered). */
  end(id: number, error: ErrorInfo | undefined): void {
    try {
      this.post(error ? { id, end: true, error } : { id, end: true })
    } catch {
      // Nothing more can be told to a page that cannot receive.
    }
    this.closeIfIdle()
  }

  closeIfIdle(): void {
    if (this.streams.size === 0) this.close()
  }

  readonly close = (): void => {
    this.sender.removeListener('destroyed', this.close)
    this.sender.removeListener('did-start-navigation', this.navigating)
    const stops = [...this.streams.values()]
    this.streams.clear()
    for (const stop of stops) stop()
    this.onClosed()
  }

  /** A new document replaces the page (a reload): its streams go with the old one. */
  private readonly navigating = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
    if (details.isMainFrame && !details.isSameDocument) this.close()
  }

  private post(message: BridgeMessage): void {
    if (!this.sender.isDestroyed()) this.sender.send(channels.event, message)
  }
}

/**
 * Serves the router to our renderer: one invoke handler per contract call,
 * plus subscribe and unsubscribe. Every handler checks the sender before
 * anything else; an untrusted one gets PERMISSION_DENIED and nothing runs.
 * Returns a function that removes every handler and ends every stream.
 */
export function registerBridge(
  ipcMain: BridgeIpcMain,
  router: Pick<Router, 'call' | 'subscribe'>,
  isTrustedSender: (event: BridgeEvent) => boolean,
): () => void {
  const senders = new Map<BridgeSender, SenderStreams>()
  const registered: string[] = []

  /** A check that throws refuses. */
  const checkSender = (event: BridgeEvent): boolean => {
    try {
      return isTrustedSender(event)
    } catch {
      return false
    }
  }

  function handle(channel: string, run: (event: BridgeEvent, args: unknown[]) => Envelope<unknown> | Promise<Envelope<unknown>>): void {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!checkSender(event)) return denied()
      try {
        return await run(event, args)
      } catch (err) {
        return fail(toErrorInfo(err))
      }
    })
    registered.push(channel)
  }

  function streamsOf(sender: BridgeSender): SenderStreams {
    let entry = senders.get(sender)
    if (!entry) {
      entry = new SenderStreams(sender, () => senders.delete(sender))
      senders.set(sender, entry)
    }
    return entry
  }

  for (const name of callNames) {
    handle(channels.call(name), (_event, args) => {
      if (args.length > 1) return fail({ code: 'INVALID_ARGUMENT', message: `${name}: takes at most one argument` })
      return router.call(name, args[0], DESKTOP_WINDOW)
    })
  }

  handle(channels.subscribe, (event, args) => {
    const parsed = subscribeRequestSchema.safeParse(args[0])
    if (!parsed.success) {
      return invalid(parsed.error, 'subscribe')
    }
    const { id, topic, params } = parsed.data
    if (event.sender.isDestroyed()) return fail({ code: 'UNAVAILABLE', message: 'the window is gone' })
    const entry = streamsOf(event.sender)
    if (entry.has(id)) {
      return fail({ code: 'INVALID_ARGUMENT', message: `subscribe.id: subscription ${id} is already in use` })
    }
    // The source may end while router.subscribe is still running; that end is sent once the id is known.
    let live = false
    let endedEarly: { error: ErrorInfo | undefined } | undefined
    const result = router.subscribe(
      topic,
      params,
      (payload) => entry.event(id, payload),
      (error) => {
        if (live) entry.ended(id, error)
        else endedEarly = { error }
      },
    )
    if (!result.ok) {
      entry.closeIfIdle()
      return result
    }
    if (endedEarly) {
      entry.end(id, endedEarly.error)
      return ok(null)
    }
    entry.add(id, result.value)
    live = true
    return ok(null)
  })

  handle(channels.unsubscribe, (event, args) => {
    const parsed = unsubscribeRequestSchema.safeParse(args[0])
    if (!parsed.success) {
      return invalid(parsed.error, 'unsubscribe')
    }
    return ok(senders.get(event.sender)?.stop(parsed.data.id) ?? false)
  })

  return () => {
    for (const channel of registered.splice(0)) ipcMain.removeHandler(channel)
    for (const entry of [...senders.values()]) entry.close()
  }
}
