import { join } from 'node:path'
import {
  defaultSettings,
  mergeSettings,
  readSettingsFile,
  SETTINGS_SCHEMA_VERSION,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../shared/settings'
import { invalidArgument } from '../../../shared/errors'
import { loadOrSetAside, saveVersioned } from '../store/versionedFile'

export { SETTINGS_SCHEMA_VERSION }
export const SETTINGS_FILE = 'settings.json'

/**
 * Settings on disk: validated on load, written atomically, and a file that
 * cannot be used is moved aside (never overwritten) with a notice for the user.
 */
export class SettingsStore {
  private current: Settings
  private readonly listeners = new Set<(s: Settings, prev: Settings) => void>()
  readonly notices: string[] = []
  readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, SETTINGS_FILE)
    this.current = this.load()
  }

  get(): Settings {
    return this.current
  }

  onChange(listener: (s: Settings, prev: Settings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  update(patch: SettingsPatch): Settings {
    return this.apply(patch, true)
  }

  /** Changes settings for this run only (a CLI flag), without touching the file. */
  applyTransient(patch: SettingsPatch): Settings {
    return this.apply(patch, false)
  }

  private apply(patch: SettingsPatch, persist: boolean): Settings {
    const parsed = settingsSchema.safeParse(mergeSettings(this.current, patch))
    if (!parsed.success) {
      throw invalidArgument('updateSettings', parsed.error)
    }
    const prev = this.current
    if (persist) this.persist(parsed.data)
    this.current = parsed.data
    for (const listener of this.listeners) listener(this.current, prev)
    return this.current
  }

  private persist(settings: Settings): void {
    saveVersioned(this.path, SETTINGS_SCHEMA_VERSION, 'settings', settings)
  }

  private load(): Settings {
    const read = (doc: unknown) => {
      const reading = readSettingsFile(doc)
      return reading.ok ? { ok: true as const, value: reading.settings } : reading
    }
    const loaded = loadOrSetAside(this.path, read, 'Settings file', 'defaults are in use')
    if (loaded.notice) this.notices.push(loaded.notice)
    return loaded.value ?? defaultSettings()
  }
}
