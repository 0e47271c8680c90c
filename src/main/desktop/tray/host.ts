import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Whether a tray icon can be seen. macOS and Windows always have a place
 * for one. On Linux, Electron's Tray is a StatusNotifierItem (D-Bus): it
 * shows only when a host has registered org.kde.StatusNotifierWatcher on
 * the session bus (KDE, XFCE, Cinnamon, MATE, waybar, GNOME only with the
 * AppIndicator extension). Without one, `new Tray()` succeeds and nothing
 * ever appears, so Proctor must not hide its window into it.
 *
 * The rule: PROCTOR_TRAY=off never makes a tray; PROCTOR_TRAY=on makes one
 * and trusts it (for hosts this check misses, e.g. an XEmbed-only tray);
 * otherwise, on Linux, the tray is made but closing the window hides it
 * only once the session bus says a watcher is there (asked once, at start,
 * with dbus-send or gdbus; no answer counts as no host).
 */

export type TrayMode = 'auto' | 'on' | 'off'

export function trayModeFromEnv(env: NodeJS.ProcessEnv): TrayMode {
  const v = (env.PROCTOR_TRAY ?? '').trim().toLowerCase()
  if (['off', '0', 'false', 'no'].includes(v)) return 'off'
  if (['on', '1', 'true', 'yes', 'force'].includes(v)) return 'on'
  return 'auto'
}

export interface TrayPlan {
  /** Make a tray icon at all. */
  create: boolean
  /** Whether something is known to show it; undefined: ask the session bus. */
  hostPresent: boolean | undefined
  reason: string
}

export function planTray(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): TrayPlan {
  const mode = trayModeFromEnv(env)
  if (mode === 'off') return { create: false, hostPresent: false, reason: 'PROCTOR_TRAY=off' }
  if (mode === 'on') return { create: true, hostPresent: true, reason: 'PROCTOR_TRAY=on' }
  if (platform === 'darwin' || platform === 'win32') return { create: true, hostPresent: true, reason: `${platform} always has a tray` }
  return { create: true, hostPresent: undefined, reason: 'a StatusNotifier host is needed' }
}

export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher'

/** The two usual command-line D-Bus clients, asking NameHasOwner(watcher). */
export const PROBE_COMMANDS: ReadonlyArray<{ file: string; args: readonly string[] }> = [
  {
    file: 'dbus-send',
    args: [
      '--session',
      '--print-reply',
      '--reply-timeout=1000',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${STATUS_NOTIFIER_WATCHER}`,
    ],
  },
  {
    file: 'gdbus',
    args: [
      'call',
      '--session',
      '--timeout',
      '1',
      '--dest',
      'org.freedesktop.DBus',
      '--object-path',
      '/org/freedesktop/DBus',
      '--method',
      'org.freedesktop.DBus.NameHasOwner',
      STATUS_NOTIFIER_WATCHER,
    ],
  },
]

/**
 * The answer in a NameHasOwner reply: dbus-send prints `   boolean true`,
 * gdbus prints `(true,)`. undefined if the text is neither.
 */
export function parseNameHasOwner(stdout: string): boolean | undefined {
  const m = /^\s*boolean\s+(true|false)\s*$/m.exec(stdout) ?? /^\s*\((true|false),\)\s*$/m.exec(stdout)
  return m ? m[1] === 'true' : undefined
}

export type CommandRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>

const execRunner: CommandRunner = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, windowsHide: true }, (err, stdout) => (err ? reject(err) : resolve(String(stdout))))
  })

/** Whether a session bus can be reached without D-Bus autolaunching one. */
export function hasSessionBus(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): boolean {
  if (env.DBUS_SESSION_BUS_ADDRESS) return true
  return env.XDG_RUNTIME_DIR !== undefined && env.XDG_RUNTIME_DIR !== '' && exists(join(env.XDG_RUNTIME_DIR, 'bus'))
}

/** Asks the session bus whether a StatusNotifier host is there; any failure is "no". */
export async function probeStatusNotifierHost(
  options: { env?: NodeJS.ProcessEnv; run?: CommandRunner; timeoutMs?: number; exists?: (path: string) => boolean } = {},
): Promise<{ present: boolean; how: string }> {
  const env = options.env ?? process.env
  if (!hasSessionBus(env, options.exists)) return { present: false, how: 'no D-Bus session bus' }
  const run = options.run ?? execRunner
  const failures: string[] = []
  for (const { file, args } of PROBE_COMMANDS) {
    try {
      const answer = parseNameHasOwner(await run(file, args, options.timeoutMs ?? 2000))
      if (answer !== undefined) return { present: answer, how: `${file}: ${STATUS_NOTIFIER_WATCHER} ${answer ? 'has' : 'has no'} owner` }
      failures.push(`${file}: unexpected reply`)
    } catch (err) {
      failures.push(`${file}: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  return { present: false, how: failures.join('; ') }
}
