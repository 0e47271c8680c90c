import { vi } from 'vitest'
import { callNames, streamNames, type CallName, type StreamName } from '../../src/shared/contract'
import { Router, type CallHandlers, type StreamSink, type StreamSources } from '../../src/shared/rpc/router'
import type { Caller } from '../../src/shared/types/caller'

/**
 * Fresh copies of the stand-in electron module and of the edge modules that
 * hold state (the windows window.ts created, listeners on app): every test
 * that calls this gets its own world. Import the fake and the code under
 * test from the same fresh registry, as done here.
 */
export async function freshEdge() {
  vi.resetModules()
  const electron = await import('../fakes/electron')
  const window = await import('../../src/main/window')
  const bridge = await import('../../src/main/bridge')
  const security = await import('../../src/main/security')
  return { electron, window, bridge, security }
}

/** Lets queued IPC deliveries (setImmediate) and promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * A real Router whose handlers and sources are recorded stubs: calls answer
 * `{ name, arg }`, streams hand their sink to the test (or fail at once).
 */
export function stubRouter(options: { failOnSubscribe?: Error } = {}) {
  const calls: Array<{ name: CallName; arg: unknown; caller: Caller }> = []
  const sinks = new Map<StreamName, Array<StreamSink<unknown>>>()
  let stopped = 0
  const handlers = Object.fromEntries(
    callNames.map((name) => [
      name,
      (arg: unknown, caller: Caller) => {
        calls.push({ name, arg, caller })
        return { name, arg: arg ?? null }
      },
    ]),
  ) as unknown as CallHandlers
  const sources = Object.fromEntries(
    streamNames.map((topic) => [
      topic,
      (_params: unknown, sink: StreamSink<unknown>) => {
        if (options.failOnSubscribe) sink.error(options.failOnSubscribe)
        const list = sinks.get(topic) ?? []
        list.push(sink)
        sinks.set(topic, list)
        return () => {
          stopped++
        }
      },
    ]),
  ) as unknown as StreamSources
  const router = new Router(handlers, sources)
  return {
    router,
    calls,
    sinks,
    get stopped() {
      return stopped
    },
  }
}
