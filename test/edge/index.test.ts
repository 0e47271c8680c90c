import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from '../helpers/wait'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RPC_CHANNEL } from '../../src/shared/rpc/protocol'
import { tempDir } from '../helpers/tempDir'
import { callOverIpc, flush } from './support'

// No tray in these tests: whether closing the last window quits must not race the tray-host check.
process.env.PROCTOR_TRAY = 'off'

type Electron = typeof import('../fakes/electron')

let booted: Electron | undefined
let logged: ReturnType<typeof vi.spyOn>

/**
 * Loads the composition root the way Electron does (its import has the side
 * effects), against a fresh stand-in. `before` runs first: the lock answer,
 * files in userData, broken parts.
 */
async function boot(before?: (electron: Electron) => void): Promise<{ electron: Electron; close: ReturnType<typeof vi.spyOn> }> {
  vi.resetModules()
  logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const electron = await import('../fakes/electron')
  const { Engine } = await import('../../src/main/core/engine')
  const close = vi.spyOn(Engine.prototype, 'close')
  before?.(electron)
  await import('../../src/main/index')
  booted = electron
  return { electron, close }
}

async function ready(electron: Electron) {
  await electron.app.simulateReady()
  await flush()
  const [win] = electron.BrowserWindow.getAllWindows()
  return win
}

afterEach(() => {
  // Quitting closes the engine (and its collector) of the app a test started.
  if (booted && !booted.app.isQuitting) booted.app.quit()
  booted = undefined
  delete process.env.PROCTOR_DATA_DIR
  vi.restoreAllMocks()
})

describe('the composition root', () => {
  it('quits at once when another instance holds the lock, and builds nothing', async () => {
    const { electron } = await boot((e) => (e.app.singleInstanceLock = false))
    expect(electron.app.lockRequests).toBe(1)
    expect(electron.app.quitCalls).toBe(1)
    await electron.app.simulateReady()
    await flush()
    expect(electron.BrowserWindow.getAllWindows()).toEqual([])
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(0)
    expect(electron.ipcMain.handlers.size).toBe(0)
    expect(electron.session.defaultSession.permissionRequestHandler).toBeNull()
  })

  it('on ready: security first, the bridge on its one channel, then one window loading the renderer', async () => {
    const { electron } = await boot()
    expect(electron.BrowserWindow.getAllWindows()).toEqual([])
    const win = await ready(electron)
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(1)
    expect(electron.ipcMain.eventNames()).toEqual([RPC_CHANNEL])
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(1)
    expect(electron.session.defaultSession.permissionRequestHandler).not.toBeNull()
    expect(win!.loads).toEqual([{ kind: 'file', target: expect.stringMatching(/out[/\\]renderer[/\\]index\.html$/) }])
    // The restrictions are on the window's webContents.
    expect(win!.webContents.simulateNavigation('https://evil.example/')).toBe(false)
    expect(win!.webContents.simulateWindowOpen('https://evil.example/')).toEqual({ action: 'deny' })
    // And the window's own page may use the API.
    const info = await callOverIpc<{ name: string; version: string; dataDir: string }>(electron, win!.webContents, 'getAppInfo')
    expect(info).toMatchObject({ ok: true, value: { name: 'Proctor', version: '0.0.0-fake', dataDir: electron.app.getPath('userData') } })
  })

  it('a second instance brings the existing window back instead of opening another', async () => {
    const { electron } = await boot()
    const win = (await ready(electron))!
    win.simulateReadyToShow()
    win.minimize()
    electron.app.simulateSecondInstance(['proctor', '--whatever'])
    expect(win.isMinimized()).toBe(false)
    expect(win.isVisible()).toBe(true)
    expect(win.isFocused()).toBe(true)
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(1)
  })

  it('tells the user about start-up notices once the window shows', async () => {
    let userData = ''
    const { electron } = await boot((e) => {
      userData = e.app.getPath('userData')
      writeFileSync(join(userData, 'settings.json'), '{ this is not json')
    })
    const win = (await ready(electron))!
    expect(electron.dialog.messageBoxes).toEqual([])
    win.simulateReadyToShow()
    expect(electron.dialog.messageBoxes).toHaveLength(1)
    const [box] = electron.dialog.messageBoxes
    expect(box!.window).toBe(win)
    expect(box!.options).toMatchObject({ type: 'warning', message: 'Proctor started with a warning' })
    expect(box!.options.detail).toContain(join(userData, 'settings.json'))
    expect(box!.options.detail).toMatch(/kept as .*corrupt/)
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('[proctor] Settings file'))
  })

  it('shows no dialog when there is nothing to tell', async () => {
    const { electron } = await boot()
    const win = (await ready(electron))!
    win.simulateReadyToShow()
    expect(electron.dialog.messageBoxes).toEqual([])
  })

  it('closing the last window quits (except on macOS); quitting removes the bridge and closes the engine', async () => {
    const { electron, close } = await boot()
    const win = (await ready(electron))!
    expect(close).not.toHaveBeenCalled()
    win.close()
    if (process.platform === 'darwin') {
      expect(electron.app.quitCalls).toBe(0)
      electron.app.quit()
    } else {
      expect(electron.app.quitCalls).toBe(1)
    }
    // Held while the programs are dealt with (none run here), then quit for real.
    await waitFor(() => close.mock.calls.length > 0, 5000, 'the engine to close')
    expect(close).toHaveBeenCalledTimes(1)
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(0)
  })

  it('PROCTOR_DATA_DIR replaces userData before the lock is taken, and the engine uses it', async () => {
    const dir = tempDir()
    process.env.PROCTOR_DATA_DIR = dir
    const { electron } = await boot()
    expect(electron.app.getPath('userData')).toBe(dir)
    const win = (await ready(electron))!
    const info = await callOverIpc<{ dataDir: string }>(electron, win.webContents, 'getAppInfo')
    expect(info).toMatchObject({ ok: true, value: { dataDir: dir } })
  })

  it('a start-up failure is shown to the user and the app quits', async () => {
    const { electron } = await boot((e) => {
      e.session.defaultSession.setPermissionRequestHandler = () => {
        throw new Error('no session')
      }
    })
    await electron.app.simulateReady()
    await flush()
    expect(electron.dialog.errorBoxes).toEqual([{ title: 'Proctor could not start', content: 'no session' }])
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^\[proctor\] start-up failed: Error: no session/))
    expect(electron.app.quitCalls).toBe(1)
    expect(electron.BrowserWindow.getAllWindows()).toEqual([])
  })
})
