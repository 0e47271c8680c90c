import { readFileSync, watch, type FSWatcher } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { dirname, join } from 'node:path'
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

/** How long the file must be still before a change is read (an editor may write it in steps). */
const FOLLOW_SETTLE_MS = 50

/**
 * Settings on disk: validated on load, written atomically, and a file that
 * cannot be used is moved aside (never overwritten) with a notice for the user.
 */
export class SettingsStore {
  private current: Settings
  private readonly listeners = new Set<(s: Settings, prev: Settings) => void>()
  /** This run's own changes (CLI flags), laid again over the file whenever it is read again. */
  private readonly transient: SettingsPatch[] = []
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
    const next = this.apply(patch, false)
    this.transient.push(patch)
    return next
  }

  /**
   * Follows the file, for changes made elsewhere: by another engine of this
   * user (a window showing a daemon's programs writes the file the daemon
   * runs by) or by hand. A change that reads is taken as an update is (the
   * listeners run); one that does not is logged and left alone, the
   * settings in use unchanged (a file being edited is not set aside). The
   * watch never keeps the process alive. Returns how to stop following.
   */
  follow(log: (message: string) => void): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined
    let watcher: FSWatcher
    try {
      // The folder, not the file: an atomic write replaces the file, which a watch on it would lose.
      watcher = watch(dirname(this.path), { persistent: false }, (_event, name) => {
        if (name !== SETTINGS_FILE) return
        clearTimeout(timer)
        timer = setTimeout(() => this.reread(log), FOLLOW_SETTLE_MS)
        timer.unref()
      })
    } catch (err) {
      // No folder yet (a one-shot command before any write), or none possible: nothing to follow.
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') log(`settings: changes to ${this.path} made elsewhere are not followed: ${(err as Error).message}`)
      return () => {}
    }
    watcher.on('error', (err) => log(`settings: stopped following ${this.path}: ${err.message}`))
    return () => {
      clearTimeout(timer)
      watcher.close()
    }
  }

  private reread(log: (message: string) => void): void {
    let reading: ReturnType<typeof readSettingsFile>
    try {
      reading = readSettingsFile(JSON.parse(readFileSync(this.path, 'utf8')))
    } catch (err) {
      // Removed: the settings in use stay until the next write recreates it.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      reading = { ok: false, problem: `it is not valid JSON (${(err as Error).message})` }
    }
    if (!reading.ok) {
      log(`settings: ${this.path} changed but cannot be used: ${reading.problem}; the settings in use are unchanged`)
      return
    }
    let next = reading.settings
    for (const patch of this.transient) next = settingsSchema.parse(mergeSettings(next, patch))
    if (isDeepStrictEqual(next, this.current)) return
    const prev = this.current
    this.current = next
    for (const listener of this.listeners) listener(this.current, prev)
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
