import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where the headless host and the CLI keep state: PROCTOR_DATA_DIR, else
 * the platform's config folder. The desktop app passes Electron's userData.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.PROCTOR_DATA_DIR) return env.PROCTOR_DATA_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Proctor')
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'proctor')
}
