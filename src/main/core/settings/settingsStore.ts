import { existsSync, readFileSync, renameSync } from 'node:fs'
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
import { writeFileAtomic } from '../store/atomicFile'

export { SETTINGS_SCHEMA_VERSION }
export const SETTINGS_FILE = 'settings.json'

interface SettingsFile {
  schemaVersion: number
  settings: unknown
}

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
    const file: SettingsFile = { schemaVersion: SETTINGS_SCHEMA_VERSION, settings }
    writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`)
  }

  private load(): Settings {
    if (!existsSync(this.path)) return defaultSettings()
    let problem: string
    try {
      const reading = readSettingsFile(JSON.parse(readFileSync(this.path, 'utf8')))
      if (reading.ok) return reading.settings
      problem = reading.problem
    } catch (err) {
      problem = `it is not valid JSON (${(err as Error).message})`
    }
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(this.path, aside)
    this.notices.push(`Settings file ${this.path} could not be used: ${problem}. It was kept as ${aside}; defaults are in use.`)
    return defaultSettings()
  }
}
