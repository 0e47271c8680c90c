import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FakeBrowserWindow, FakeMenuItemOptions, FakeTray } from '../fakes/electron'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'
import { callOverIpc, flush } from './support'

/*
 * Close to tray, through the composition root (src/main/index.ts) on the
 * stand-in electron module: what closing, quitting, a second launch and the
 * tray's menu do to the window, the engine and the app.
 */

type Electron = typeof import('../fakes/electron')

let booted: Electron | undefined
const savedEnv = { ...process.env }
const savedArgv = [...process.argv]

async function boot(options: { env?: Record<string, string | undefined>; before?: (electron: Electron) => void } = {}) {
  vi.resetModules()
  vi.spyOn(console, 'error').mockImplementation(() => {})
  for (const [k, v] of Object.entries(options.env ?? { PROCTOR_TRAY: 'on' })) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  const electron = await import('../fakes/electron')
  const { Engine } = await import('../../src/main/core/engine')
  const close = vi.spyOn(Engine.prototype, 'close')
  const setForeground = vi.spyOn(Engine.prototype, 'setForeground')
  options.before?.(electron)
  await import('../../src/main/index')
  booted = electron
  await electron.app.simulateReady()
  await flush()
  // None when the app started hidden (from the login item).
  const win = electron.BrowserWindow.getAllWindows()[0] as FakeBrowserWindow
  if (win) win.simulateReadyToShow()
  const tray = electron.Tray.created[0] as FakeTray | undefined
  const settingsFile = join(electron.app.getPath('userData'), 'settings.json')
  const settings = () => JSON.parse(readFileSync(settingsFile, 'utf8')) as { settings: Record<string, unknown> }
  return { electron, win, tray, close, setForeground, settings, logged: console.error as unknown as ReturnType<typeof vi.fn> }
}

afterEach(() => {
  if (booted && !booted.app.isQuitting) booted.app.quit()
  booted = undefined
  process.env = { ...savedEnv }
  process.argv = [...savedArgv]
  vi.restoreAllMocks()
  killAll()
})

describe('close to tray', () => {
  it('closing the window hides it instead of quitting, and says where Proctor went, once', async () => {
    const { electron, win, close, settings } = await boot()
    win.close()
    expect(win.isDestroyed()).toBe(false)
    expect(win.isVisible()).toBe(false)
    expect(electron.app.quitCalls).toBe(0)
    expect(close).not.toHaveBeenCalled()
    expect(electron.Notification.shown.map((n) => n.title)).toEqual(['Proctor is still running'])
    expect(electron.Notification.shown[0]!.body).toMatch(/Quit Proctor/)
    expect(settings().settings.closeToTrayNoticeShown).toBe(true)
    // Again: hidden again, no second notice.
    win.show()
    win.close()
    expect(win.isVisible()).toBe(false)
    expect(electron.Notification.shown).toHaveLength(1)
  })

  it('no notice when it was shown in an earlier run; a message box where there are no notifications', async () => {
    const first = await boot({
      before: (e) => {
        writeFileSync(
          join(e.app.getPath('userData'), 'settings.json'),
          JSON.stringify({ schemaVersion: 1, settings: { closeToTrayNoticeShown: true } }),
        )
      },
    })
    first.win.close()
    expect(first.win.isVisible()).toBe(false)
    expect(first.electron.Notification.shown).toEqual([])
    first.electron.app.quit()

    const second = await boot({ before: (e) => (e.Notification.supported = false) })
    second.win.close()
    expect(second.electron.Notification.shown).toEqual([])
    expect(second.electron.dialog.messageBoxes.map((b) => b.options.message)).toEqual(['Proctor is still running'])
  })

  it('Quit in the tray menu quits for real: the window closes, the engine and the tray go', async () => {
    const { electron, win, tray, close } = await boot()
    win.close() // hidden to the tray first
    tray!.contextMenu!.simulateClick('Quit Proctor')
    // The first quit is held while the programs are dealt with (none run here), then it quits for real.
    await waitFor(() => win.isDestroyed(), 5000, 'the quit')
    expect(electron.app.quitCalls).toBe(2)
    expect(close).toHaveBeenCalledTimes(1)
    expect(tray!.isDestroyed()).toBe(true)
    expect(electron.app.isQuitting).toBe(true)
  })

  it('app.quit() with the window open quits too (before-quit turns hiding off)', async () => {
    const { electron, win, close } = await boot()
    electron.app.quit()
    await waitFor(() => win.isDestroyed(), 5000, 'the quit')
    expect(close).toHaveBeenCalledTimes(1)
    expect(electron.Notification.shown).toEqual([])
  })

  it('a second launch, the tray’s Show and its icon bring the hidden window back', async () => {
    const { electron, win, tray } = await boot()
    win.close()
    electron.app.simulateSecondInstance(['proctor'])
    expect(win.isVisible()).toBe(true)
    expect(win.isFocused()).toBe(true)
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(1)
    win.close()
    expect(tray!.contextMenu!.find('Show Proctor')).toBeDefined()
    tray!.contextMenu!.simulateClick('Show Proctor')
    expect(win.isVisible()).toBe(true)
    expect(tray!.contextMenu!.find('Hide Proctor')).toBeDefined()
    tray!.contextMenu!.simulateClick('Hide Proctor')
    expect(win.isVisible()).toBe(false)
    tray!.simulateClick()
    expect(win.isVisible()).toBe(true)
    // macOS: a click on the dock icon does the same.
    win.close()
    electron.app.emit('activate')
    expect(win.isVisible()).toBe(true)
  })

  it('hidden or minimized, the engine samples in the background; shown, in the foreground', async () => {
    const { win, setForeground } = await boot()
    setForeground.mockClear()
    win.close()
    expect(setForeground.mock.calls).toEqual([[false]])
    win.show()
    expect(setForeground.mock.calls).toEqual([[false], [true]])
    win.minimize()
    win.restore()
    expect(setForeground.mock.calls.slice(2)).toEqual([[false], [true]])
  })

  it('with closeToTray off, closing the window closes it (and, off macOS, quits)', async () => {
    const { electron, win } = await boot({
      before: (e) => writeFileSync(join(e.app.getPath('userData'), 'settings.json'), JSON.stringify({ schemaVersion: 1, settings: { closeToTray: false } })),
    })
    win.close()
    expect(win.isDestroyed()).toBe(true)
    expect(electron.Notification.shown).toEqual([])
    if (process.platform !== 'darwin') expect(electron.app.quitCalls).toBe(1)
  })
})

describe('the tray menu in the app', () => {
  it('Terminate on a top process asks first, then reaches the engine with its identity and ends it', async () => {
    const { electron, tray } = await boot()
    const child = spawnIdle(uniqueArg('tray-app-busy'), 'for (;;) {}')
    const pid = child.pid!
    const sub = (i: FakeMenuItemOptions) => (Array.isArray(i.submenu) ? i.submenu : [])
    const entry = await waitFor(
      () => tray!.contextMenu?.template.find((i) => sub(i)[0]?.label?.startsWith(`pid ${pid} `)),
      15_000,
      'the busy child in the tray menu',
    )
    // The identity the window's API sees for it.
    const win = electron.BrowserWindow.getAllWindows()[0]!
    const call = async <T>(name: string, arg?: unknown) => ((await callOverIpc<T>(electron, win.webContents, name, arg)) as { value: T }).value
    const listed = await call<{ processes: Array<{ pid: number; startTime: number }> }>('getProcessList')
    const startTime = listed.processes.find((p) => p.pid === pid)!.startTime

    // Labels repeat (two idle node processes read alike) and the menu is rebuilt every sample:
    // click the item of this pid's entry itself, as the user would in the menu they opened.
    const terminate = () => {
      const item = sub(entry).find((i) => i.label === 'Terminate')
      expect(item?.enabled).not.toBe(false)
      item!.click?.(item as never, undefined as never, {} as never)
    }
    electron.dialog.responses.push(1) // Cancel
    terminate()
    await waitFor(() => electron.dialog.messageBoxes.length === 1, 2000, 'the question')
    await new Promise((r) => setTimeout(r, 300))
    expect(child.exitCode === null && child.signalCode === null).toBe(true)
    const exited = new Promise((r) => child.once('exit', r))
    electron.dialog.responses.push(0) // Terminate
    terminate()
    await exited
    expect(child.signalCode).toBe('SIGTERM')
    expect(electron.dialog.messageBoxes.map((b) => b.options.message)).toEqual([`Terminate node (PID ${pid})?`, `Terminate node (PID ${pid})?`])
    // The audit log, read through the window's API, has the action on that identity (pid + start time).
    const audit = await waitFor(async () => {
      const entries = await call<Array<{ pid: number; action: string; ok: boolean; startTime?: number }>>('getAuditLog', { limit: 10 })
      return entries.find((e) => e.pid === pid)
    }, 5000, 'the audit entry')
    expect(audit).toMatchObject({ action: 'terminate', ok: true, startTime })
  })
})

describe('without a tray, the window stays', () => {
  it('Tray creation fails: Proctor runs, says why, and closing the window does not hide it', async () => {
    const { electron, win, tray, logged } = await boot({ before: (e) => (e.Tray.failNext = new Error('no tray here')) })
    expect(tray).toBeUndefined()
    expect(win.isVisible()).toBe(true)
    expect(logged).toHaveBeenCalledWith('[proctor] tray: could not be created (no tray here); the window stays the way back')
    win.close()
    expect(win.isDestroyed()).toBe(true)
    if (process.platform !== 'darwin') expect(electron.app.quitCalls).toBe(1)
  })

  it('PROCTOR_TRAY=off: no tray; closing closes', async () => {
    const { electron, win, tray } = await boot({ env: { PROCTOR_TRAY: 'off' } })
    expect(tray).toBeUndefined()
    expect(electron.Tray.created).toEqual([])
    win.close()
    expect(win.isDestroyed()).toBe(true)
  })

  it.runIf(process.platform === 'linux')('Linux with no StatusNotifier host on the session bus: a tray is made, but closing does not hide into it', async () => {
    const { electron, win, tray, logged } = await boot({
      env: { PROCTOR_TRAY: undefined, DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined },
    })
    expect(tray).toBeDefined()
    await flush()
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/tray: no StatusNotifier host found \(no D-Bus session bus\)/))
    win.close()
    expect(win.isDestroyed()).toBe(true)
    expect(electron.app.quitCalls).toBe(1)
  })
})

describe('started from the login item', () => {
  it('--hidden: no window (and background sampling) until the tray asks for it', async () => {
    process.argv.push('--hidden')
    const { electron, win, tray, setForeground } = await boot()
    expect(win).toBeUndefined()
    expect(electron.BrowserWindow.getAllWindows()).toEqual([])
    expect(setForeground.mock.calls).toEqual([[false]])
    expect(tray!.contextMenu!.find('Show Proctor')).toBeDefined()
    tray!.contextMenu!.simulateClick('Show Proctor')
    const [shown] = electron.BrowserWindow.getAllWindows()
    expect(shown).toBeDefined()
    shown!.simulateReadyToShow()
    expect(shown!.isVisible()).toBe(true)
    expect(setForeground.mock.calls.at(-1)).toEqual([true])
    // Still the one window: a second launch shows it, makes no other.
    electron.app.simulateSecondInstance(['proctor'])
    expect(electron.BrowserWindow.getAllWindows()).toEqual([shown])
  })

  it('a second start from the login item, while Proctor runs, leaves the window where it is', async () => {
    const { electron, win } = await boot()
    win.close()
    expect(win.isVisible()).toBe(false)
    electron.app.simulateSecondInstance(['/opt/Proctor/proctor', '--hidden'])
    expect(win.isVisible()).toBe(false)
    electron.app.simulateSecondInstance(['/opt/Proctor/proctor'])
    expect(win.isVisible()).toBe(true)
  })

  it('--hidden with no tray to come back from: the window opens after all, saying why', async () => {
    process.argv.push('--hidden')
    const { electron, logged } = await boot({ env: { PROCTOR_TRAY: 'off' } })
    const win = await waitFor(() => electron.BrowserWindow.getAllWindows()[0], 5000, 'the window')
    win.simulateReadyToShow()
    expect(win.isVisible()).toBe(true)
    expect(logged).toHaveBeenCalledWith('[proctor] started hidden, but no tray shows Proctor: opening the window')
  })

  it.runIf(process.platform === 'linux')('with startAtLogin on, the app writes its autostart entry at start, and removes it when turned off', async () => {
    const config = join(tempDir(), 'config')
    const { electron, win } = await boot({
      env: { PROCTOR_TRAY: 'on', XDG_CONFIG_HOME: config },
      before: (e) => writeFileSync(join(e.app.getPath('userData'), 'settings.json'), JSON.stringify({ schemaVersion: 1, settings: { startAtLogin: true } })),
    })
    const entry = join(config, 'autostart', 'proctor.desktop')
    expect(readFileSync(entry, 'utf8')).toContain(`\nExec=${process.execPath} ${electron.app.getAppPath()} --hidden\n`)
    // Turned off from the window, as Preferences does.
    const off = await callOverIpc<{ startAtLogin: boolean }>(electron, win.webContents, 'updateSettings', { startAtLogin: false })
    expect(off).toMatchObject({ ok: true, value: { startAtLogin: false } })
    expect(existsSync(entry)).toBe(false)
  })
})
