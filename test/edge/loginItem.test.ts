import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { SettingsStore } from '../../src/main/core/settings/settingsStore'
import { tempDir } from '../helpers/tempDir'

/*
 * The login item, against the stand-in electron module: Electron's login
 * item settings on macOS, the autostart entry (real files, a temporary
 * XDG_CONFIG_HOME) on Linux, and how a start from either is recognised.
 */

async function edge() {
  vi.resetModules()
  const electron = await import('../fakes/electron')
  const login = await import('../../src/main/desktop/loginItem')
  return { electron, login }
}

type Electron = typeof import('../fakes/electron')

function context(electron: Electron, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = { XDG_CONFIG_HOME: join(tempDir(), 'config') }) {
  return { app: electron.app, platform, env, execPath: '/opt/Proctor/proctor' }
}

describe('start at login', () => {
  it('macOS: a login item that opens hidden, turned on and off', async () => {
    const { electron, login } = await edge()
    const ctx = context(electron, 'darwin')
    expect(login.applyStartAtLogin(true, ctx)).toBe('login item set')
    expect(login.applyStartAtLogin(false, ctx)).toBe('login item removed')
    expect(electron.app.loginItemCalls).toEqual([
      { openAtLogin: true, openAsHidden: true },
      { openAtLogin: false, openAsHidden: true },
    ])
    // No file on macOS.
    expect(existsSync(join(ctx.env.XDG_CONFIG_HOME!, 'autostart'))).toBe(false)
  })

  it('Linux: the autostart entry starts this app with --hidden: the AppImage file, the installed binary, or Electron with the checkout', async () => {
    const { electron, login } = await edge()
    const ctx = context(electron, 'linux')
    const entry = join(ctx.env.XDG_CONFIG_HOME!, 'autostart', 'proctor.desktop')
    const exec = () => /^Exec=(.*)$/m.exec(readFileSync(entry, 'utf8'))?.[1]

    expect(login.applyStartAtLogin(true, ctx)).toBe(`wrote ${entry}`)
    expect(exec()).toBe(`/opt/Proctor/proctor ${electron.app.getAppPath()} --hidden`)
    // Unchanged: nothing to write, nothing to log.
    expect(login.applyStartAtLogin(true, ctx)).toBeUndefined()

    electron.app.isPackaged = true
    login.applyStartAtLogin(true, ctx)
    expect(exec()).toBe('/opt/Proctor/proctor --hidden')
    login.applyStartAtLogin(true, { ...ctx, env: { ...ctx.env, APPIMAGE: '/home/me/Apps/Proctor 1.0.AppImage' } })
    expect(exec()).toBe('"/home/me/Apps/Proctor 1.0.AppImage" --hidden')
    // No login item calls on Linux.
    expect(electron.app.loginItemCalls).toEqual([])

    expect(login.applyStartAtLogin(false, ctx)).toBe(`removed ${entry}`)
    expect(existsSync(entry)).toBe(false)
    expect(login.applyStartAtLogin(false, ctx)).toBeUndefined()
  })

  it('elsewhere: says it is not available', async () => {
    const { electron, login } = await edge()
    expect(login.applyStartAtLogin(true, context(electron, 'win32'))).toBe('not available on win32')
    expect(login.applyStartAtLogin(false, context(electron, 'win32'))).toBeUndefined()
  })

  it('a start from the login item: --hidden anywhere; on macOS also opened at login (13 and up) or as hidden (before 13)', async () => {
    const { electron, login } = await edge()
    expect(login.startedHidden(context(electron, 'linux'), ['/opt/Proctor/proctor', '--hidden'])).toBe(true)
    expect(login.startedHidden(context(electron, 'linux'), ['/opt/Proctor/proctor'])).toBe(false)
    expect(login.startedHidden(context(electron, 'darwin'), ['/Applications/Proctor.app/Contents/MacOS/Proctor'])).toBe(false)
    electron.app.openedAtLogin = true
    expect(login.startedHidden(context(electron, 'darwin'), ['/Applications/Proctor.app/Contents/MacOS/Proctor'])).toBe(true)
    // Linux has no such answer from Electron.
    expect(login.startedHidden(context(electron, 'linux'), ['/opt/Proctor/proctor'])).toBe(false)
    electron.app.openedAtLogin = false
    electron.app.openedAsHidden = true
    expect(login.startedHidden(context(electron, 'darwin'), ['/Applications/Proctor.app/Contents/MacOS/Proctor'])).toBe(true)
  })

  it('follows the setting: applied at once, then at every change of it; a failure is logged and the setting kept', async () => {
    const { electron, login } = await edge()
    const ctx = context(electron, 'linux')
    const entry = join(ctx.env.XDG_CONFIG_HOME!, 'autostart', 'proctor.desktop')
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ startAtLogin: true }))
    const store = new SettingsStore(dataDir)
    const log = vi.fn()

    const stop = login.syncStartAtLogin(store, ctx, log)
    expect(existsSync(entry)).toBe(true)
    expect(log).toHaveBeenCalledWith(`start at login: wrote ${entry}`)
    store.update({ startAtLogin: false })
    expect(existsSync(entry)).toBe(false)
    // Other settings leave it alone.
    log.mockClear()
    store.update({ refreshInterval: 2000 })
    expect(log).not.toHaveBeenCalled()

    // The autostart folder cannot be made (XDG_CONFIG_HOME is a file): logged, nothing thrown, the setting stays on.
    ctx.env.XDG_CONFIG_HOME = join(tempDir(), 'config')
    writeFileSync(ctx.env.XDG_CONFIG_HOME, '')
    expect(store.update({ startAtLogin: true }).startAtLogin).toBe(true)
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^start at login: could not turn it on: .*config\/autostart/))

    stop()
    store.update({ startAtLogin: false })
    expect(log).toHaveBeenCalledTimes(1)
  })
})
