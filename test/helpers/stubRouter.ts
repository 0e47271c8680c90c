import { callNames, streamNames, type CallName, type StreamName } from '../../src/shared/contract'
import { Router, type CallHandlers, type StreamSink, type StreamSources } from '../../src/shared/rpc/router'
import type { Caller } from '../../src/shared/types/caller'

/**
 * A real Router whose handlers and sources are recorded stubs: calls answer
 * `{ name, arg }`, streams hand their sink to the test (or fail at once);
 * set `failOnStop` and stopping a stream throws it.
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
          if (stub.failOnStop) throw stub.failOnStop
        }
      },
    ]),
  ) as unknown as StreamSources
  const router = new Router(handlers, sources)
  const stub = {
    router,
    calls,
    sinks,
    failOnStop: undefined as Error | undefined,
    get stopped() {
      return stopped
    },
  }
  return stub
}
