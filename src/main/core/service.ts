import type { CallName, StreamName } from '../../shared/contract'
import type { CallHandlers, StreamSources } from '../../shared/rpc/router'
import type { Settings } from '../../shared/settings'

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

/** What a service reads of the settings: the current ones, and their changes. */
export interface SettingsSource {
  get(): Settings
  onChange(listener: (next: Settings, prev: Settings) => void): () => void
}

/** Where a service writes what went wrong in the background. */
export type Log = (message: string) => void
