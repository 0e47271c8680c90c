import type { Settings, SettingsPatch } from '../../../shared/settings'
import { INTERNAL_CALLER, type Caller } from '../../../shared/types/caller'
import type { AuditLog } from '../control/auditLog'
import type { Service } from '../service'
import { settingsAuditEntry } from './settingsAudit'
import type { SettingsStore } from './settingsStore'

/**
 * The user's settings over the contract. Every change goes into the audit
 * log with who made it: whoever holds the API can change the safety nets
 * (protected names, confirmations), so none of that happens unseen.
 */
export class SettingsService implements Service<'getSettings' | 'updateSettings'> {
  readonly handlers: Service<'getSettings' | 'updateSettings'>['handlers'] = {
    getSettings: () => this.store.get(),
    updateSettings: (patch, caller) => this.update(patch, caller),
  }
  readonly streams = {}

  constructor(
    private readonly store: SettingsStore,
    private readonly audit: AuditLog,
  ) {}

  get(): Settings {
    return this.store.get()
  }

  onChange(listener: (next: Settings, prev: Settings) => void): () => void {
    return this.store.onChange(listener)
  }

  /** What could not be used at start (a settings file kept aside, ...), for the user. */
  get notices(): readonly string[] {
    return this.store.notices
  }

  /** Changes and persists settings, recording the change and its caller in the audit log. */
  update(patch: SettingsPatch, caller: Caller = INTERNAL_CALLER): Settings {
    const prev = this.store.get()
    const next = this.store.update(patch)
    const entry = settingsAuditEntry(prev, next, caller)
    if (entry) this.audit.append(entry)
    return next
  }

  /** Changes settings for this run only (a CLI flag), without touching the file. */
  applyTransient(patch: SettingsPatch): Settings {
    return this.store.applyTransient(patch)
  }
}
