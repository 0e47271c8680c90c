import { accessSync, constants, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'

/** Where the operating system's own supervisor looks for a user's units and agents. */

/** ~/.config/systemd/user (XDG_CONFIG_HOME respected). */
export function systemdUserDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user')
}

/** ~/.config/autostart (XDG_CONFIG_HOME respected): entries started at login (XDG Autostart). */
export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart')
}

export function launchAgentsDir(): string {
  return join(homedir(), 'Library', 'LaunchAgents')
}

export function launchdLogDir(): string {
  return join(homedir(), 'Library', 'Logs', 'Proctor')
}

/** A command's absolute path as the shell would find it in PATH, or undefined. */
export function findInPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) return undefined
  for (const dir of path.split(delimiter)) {
    if (!dir.startsWith('/')) continue
    const candidate = join(dir, command)
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}
