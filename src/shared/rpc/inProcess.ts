import type { ClientTransport } from './client'
import type { Router } from './router'
import type { Envelope } from '../errors'
import { INTERNAL_CALLER, type Caller } from '../types/caller'

/** JSON round trip: what crosses a real transport must survive it. */
function wire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}

/** The contract served in the same process (tests, the CLI); `caller` is what the audit log records. */
export function inProcessTransport(router: Router, caller: Caller = INTERNAL_CALLER): ClientTransport {
  return {
    async call(name, arg) {
      return wire(await router.call(name, wire(arg), caller)) as Envelope<unknown>
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
