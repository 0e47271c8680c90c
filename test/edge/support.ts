import { vi } from 'vitest'

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
  const window = await import('../../src/main/window')
  const bridge = await import('../../src/main/bridge')
  const security = await import('../../src/main/security')
  return { electron, window, bridge, security }
}

/** Lets queued IPC deliveries (setImmediate) and promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
