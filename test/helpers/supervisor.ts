import type { Clock } from '../../src/main/core/clock'
import { Engine } from '../../src/main/core/engine'
import { SupervisorService } from '../../src/main/core/supervisor/supervisorService'
import type { ProctorApi } from '../../src/shared/contract'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import type { SettingsPatch } from '../../src/shared/settings'
import type { ProgramState } from '../../src/shared/supervisor/states'
import type { Transition } from '../../src/shared/supervisor/states'
import { dataDirWith } from './dataDir'
import { waitFor } from './wait'

export interface Supervised {
  engine: Engine
  service: SupervisorService
  api: ProctorApi
  dataDir: string
  notifications: Array<{ title: string; body: string }>
  /** Stops every program and closes the engine. */
  close(): Promise<void>
}

const open = new Set<Supervised>()

/**
 * An engine that owns a supervisor, on a fresh data folder with `settings`, and the contract over the in-process transport;
 * its restart schedules on `clock` when given.
 */
export function supervised(settings: SettingsPatch = {}, dataDir = dataDirWith(settings), clock?: Clock): Supervised {
  const notifications: Array<{ title: string; body: string }> = []
  let service: SupervisorService | undefined
  const engine = new Engine({
    dataDir,
    version: 'test',
    collector: 'inline',
    backgroundMetrics: false,
    log: () => {},
    supervisor: (context) =>
      (service = new SupervisorService(context, {
        owner: { kind: 'daemon', pid: process.pid, since: Date.now(), socket: '' },
        notify: (title, body) => notifications.push({ title, body }),
        ...(clock ? { clock } : {}),
      })),
  })
  const s: Supervised = {
    engine,
    service: service as unknown as SupervisorService,
    api: createApi(inProcessTransport(engine.router)),
    dataDir,
    notifications,
    close: async () => {
      open.delete(s)
      await s.service.shutdown()
      engine.close()
    },
  }
  open.add(s)
  return s
}

/** For afterEach: whatever a test left open. */
export async function closeSupervised(): Promise<void> {
  await Promise.all([...open].map((s) => s.close()))
}

/** The transitions of `name` so far. */
export async function transitionsOf(api: ProctorApi, name: string): Promise<Transition[]> {
  return (await api.getProgram({ name })).transitions
}

/** Waits until `name` is in `state`; the program's status then. */
export function waitForState(api: ProctorApi, name: string, state: ProgramState, timeoutMs = 5000) {
  return waitFor(
    async () => {
      const p = await api.getProgram({ name })
      return p.state === state ? p : undefined
    },
    timeoutMs,
    `${name} ${state}`,
  )
}
