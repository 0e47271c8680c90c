import { contextBridge, ipcRenderer } from 'electron'
import { isCallName, type Unsubscribe } from '../shared/contract'
import type { Envelope, ErrorInfo } from '../shared/errors'
import { mapApiErrors, toBridgedError } from '../shared/rpc/mapErrors'
import { createApi, type ClientTransport } from '../shared/rpc/client'
import { channels } from '../shared/rpc/protocol'

/*
 * The preload: runs sandboxed, bundled (it may import src/shared only). It
 * exposes one object, `window.api`, whose functions are the contract's calls
 * and streams; the page never sees ipcRenderer, a channel name or an event.
 */

/** The part of ipcRenderer used here. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown
}

interface Subscription {
  onEvent: (payload: unknown) => void
  onEnd: (error?: ErrorInfo) => void
}

function failure(code: ErrorInfo['code'], message: string): Envelope<never> {
  return { ok: false, error: { code, message } }
}

/**
 * ClientTransport over Electron IPC: an invoke per call, and one listener on
 * the event channel dispatching by subscription id. A message
 * `{ id, payload }` is an event; `{ id, end: true, error? }` is the server
 * ending that stream, failed or finished (src/main/bridge.ts, StreamEndMessage).
 */
export function ipcTransport(ipc: IpcRendererLike): ClientTransport {
  const subs = new Map<number, Subscription>()
  let nextId = 1

  ipc.on(channels.event, (_event, message) => {
    if (typeof message !== 'object' || message === null) return
    const msg = message as { id?: unknown; payload?: unknown; end?: unknown; error?: ErrorInfo }
    if (typeof msg.id !== 'number') return
    const sub = subs.get(msg.id)
    if (!sub) return
    if (msg.end === true) {
      subs.delete(msg.id)
      sub.onEnd(msg.error)
    } else {
      sub.onEvent(msg.payload)
    }
  })

  const invoke = async (channel: string, ...args: unknown[]): Promise<Envelope<unknown>> => {
    try {
      return (await ipc.invoke(channel, ...args)) as Envelope<unknown>
    } catch (err) {
      return failure('INTERNAL', `the request could not reach Proctor: ${(err as Error).message}`)
    }
  }

  return {
    call(name, arg) {
      // Only contract names have a handler; say so the way the router would.
      if (!isCallName(name)) return Promise.resolve(failure('INVALID_ARGUMENT', `unknown call ${JSON.stringify(name)}`))
      return arg === undefined ? invoke(channels.call(name)) : invoke(channels.call(name), arg)
    },
    subscribe(topic, params, onEvent, onEnd): Unsubscribe {
      const id = nextId++
      subs.set(id, { onEvent, onEnd })
      const request = params === undefined ? { id, topic } : { id, topic, params }
      void invoke(channels.subscribe, request).then((result) => {
        if (result.ok || !subs.delete(id)) return
        onEnd(result.error)
      })
      return () => {
        if (subs.delete(id)) void invoke(channels.unsubscribe, { id })
      }
    },
  }
}

/** Failures cross contextBridge as plain objects (see mapApiErrors); the page revives them. */
export const api = mapApiErrors(createApi(ipcTransport(ipcRenderer)), toBridgedError)

contextBridge.exposeInMainWorld('api', api)
