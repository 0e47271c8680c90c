import { settingsPatchSchema, type Settings } from '../settings'
import { call, noArgs } from './spec'

/** The user's settings; every change is audited with who made it. */
export const settingsCalls = {
  getSettings: call<Settings>()(noArgs, 'The current settings.'),
  updateSettings: call<Settings>()(settingsPatchSchema, 'Merge a patch into the settings, validate, persist; returns the result.'),
} as const
