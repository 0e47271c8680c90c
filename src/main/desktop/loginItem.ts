import type { App } from 'electron'
import { START_HIDDEN_FLAG } from '../../shared/ecosystem/desktopEntry'
import type { Settings } from '../../shared/settings'
import { autostartPath, disableAutostart, enableAutostart } from '../ecosystem/autostart'

/*
 * "Start Proctor at login" (settings.startAtLogin): a login item on macOS,
 * an XDG autostart entry on Linux (written by ecosystem/autostart.ts). Either
 * starts the app hidden, in the tray. Only the desktop app applies it: the
 * entry names the app's own executable, which the headless host does not know.
 */

/** The parts of Electron's app used here (the stand-in fits). */
export type LoginApp = Pick<App, 'isPackaged' | 'getAppPath' | 'setLoginItemSettings' | 'getLoginItemSettings'>

export interface LoginContext {
  app: LoginApp
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  /** The running binary (process.execPath). */
  execPath: string
}

/**
 * How to start this very app again: the AppImage file itself (APPIMAGE;
 * its binary runs from a mount that changes every run), the installed
 * binary, or Electron with this checkout in development.
 */
export function launchCommand(ctx: LoginContext): string[] {
  if (ctx.app.isPackaged) return [ctx.env.APPIMAGE || ctx.execPath]
  return [ctx.execPath, ctx.app.getAppPath()]
}

/** Makes the login item say `on`; answers what changed on disk or in the OS, for the log. */
export function applyStartAtLogin(on: boolean, ctx: LoginContext): string | undefined {
  if (ctx.platform === 'darwin') {
    // openAsHidden works before macOS 13; from 13 on, startedHidden reads wasOpenedAtLogin instead.
    ctx.app.setLoginItemSettings({ openAtLogin: on, openAsHidden: true })
    return `login item ${on ? 'set' : 'removed'}`
  }
  if (ctx.platform === 'linux') {
    if (on) return enableAutostart([...launchCommand(ctx), START_HIDDEN_FLAG], ctx.env) ? `wrote ${autostartPath(ctx.env)}` : undefined
    return disableAutostart(ctx.env) ? `removed ${autostartPath(ctx.env)}` : undefined
  }
  return on ? `not available on ${ctx.platform}` : undefined
}

/** Whether this start came from the login item: then the app starts in the tray, without its window. */
export function startedHidden(ctx: LoginContext, argv: readonly string[]): boolean {
  if (argv.includes(START_HIDDEN_FLAG)) return true
  if (ctx.platform !== 'darwin') return false
  const item = ctx.app.getLoginItemSettings()
  return item.wasOpenedAtLogin || item.wasOpenedAsHidden
}

interface SettingsSource {
  get(): Settings
  onChange(listener: (next: Settings, prev: Settings) => void): () => void
}

/**
 * Keeps the login item in step with settings.startAtLogin: at once (the app
 * may have moved since the entry was written), then at every change. A
 * failure is logged; the setting stays as the user chose it. Returns the
 * unsubscribe function.
 */
export function syncStartAtLogin(settings: SettingsSource, ctx: LoginContext, log: (message: string) => void): () => void {
  const apply = (on: boolean): void => {
    try {
      const done = applyStartAtLogin(on, ctx)
      if (done) log(`start at login: ${done}`)
    } catch (err) {
      log(`start at login: could not ${on ? 'turn it on' : 'turn it off'}: ${(err as Error).message}`)
    }
  }
  apply(settings.get().startAtLogin)
  return settings.onChange((next, prev) => {
    if (next.startAtLogin !== prev.startAtLogin) apply(next.startAtLogin)
  })
}
