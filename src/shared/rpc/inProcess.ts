import type { ClientTransport } from './client'
import type { Router } from './router'
import type { Envelope } from '../errors'

/** JSON round trip: what crosses a real transport must survive it. */
function wire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}

/** The contract served in the same process (tests, the CLI). */
export function inProcessTransport(router: Router): ClientTransport {
  return {
    async call(name, arg) {
      return wire(await router.call(name, wire(arg))) as Envelope<unknown>
    },
    subscribe(topic, params, onEvent, onEnd) {
      const result = router.subscribe(
        topic,
        wire(params),
        (payload) => onEvent(wire(payload)),
        (err) => onEnd(wire(err)),
      )
      if (!result.ok) {
        queueMicrotask(() => onEnd(result.error))
        return () => {}
      }
      return result.value
    },
  }
}
