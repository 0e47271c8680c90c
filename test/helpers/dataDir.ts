import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SETTINGS_FILE, SETTINGS_SCHEMA_VERSION } from '../../src/main/core/settings/settingsStore'
import type { SettingsPatch } from '../../src/shared/settings'
import { tempDir } from './tempDir'

/** A fresh data folder whose settings file holds `settings` (the rest default), as if saved by an earlier run. */
export function dataDirWith(settings: SettingsPatch): string {
  const dir = tempDir()
  writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION, settings }))
  return dir
}
