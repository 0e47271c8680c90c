import type { CallName, StreamName } from '../../shared/contract'
import type { CallHandlers, StreamSources } from '../../shared/rpc/router'
import type { Settings } from '../../shared/settings'
import { ProctorError } from '../../shared/errors'

/**
 * A capability of the engine (processes, control, system metrics, settings,
 * ...): its slice of the contract, the calls it answers and the streams it
 * serves, and what it lets go of when the engine closes. A service takes
 * what it needs in its constructor and never reaches into another
 * service's fields; engine.ts builds them and merges their slices.
 */
export interface Service<C extends CallName = never, S extends StreamName = never> {
  readonly handlers: Pick<CallHandlers, C>
  readonly streams: Pick<StreamSources, S>
  close?(): void
}

/**
 * A slice that is not there (no owner to forward to, a data folder that
 * cannot be written): every call of `calls` and stream of `streams`
 * answers UNAVAILABLE with `message`, saying why and what to do.
 */
export function refusingService<C extends CallName, S extends StreamName>(calls: Record<C, unknown>, streams: Record<S, unknown>, message: string): Service<C, S> {
  const no = (): never => {
    throw new ProctorError('UNAVAILABLE', message)
  }
  const all = <K extends string>(names: Record<K, unknown>) => Object.fromEntries(Object.keys(names).map((k) => [k, no])) as Record<K, () => never>
  return { handlers: all(calls) as Service<C, S>['handlers'], streams: all(streams) as Service<C, S>['streams'] }
}

/** What a service reads of the settings: the current ones, and their changes. */
export interface SettingsSource {
  get(): Settings
  onChange(listener: (next: Settings, prev: Settings) => void): () => void
}

/** Where a service writes what went wrong in the background. */
export type Log = (message: string) => void
