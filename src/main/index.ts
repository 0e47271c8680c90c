import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { resolve } from 'node:path'
import { Engine } from './core/engine'
import { registerBridge } from './bridge'
import { applySecurity } from './security'
import { createMainWindow, isTrustedRendererUrl, isTrustedSender, rendererTarget, revealWindow } from './window'

/*
 * The composition root of the desktop app: one instance, one engine, one
 * bridge, one main window. Everything here is wiring; the parts live in
 * window.ts, bridge.ts, security.ts and core/.
 *
 * PROCTOR_DATA_DIR, when set, replaces Electron's userData folder (settings
 * and Chromium's profile), as it does for the headless host: tests and
 * portable setups run apart from the user's own Proctor. It is applied
 * before the single-instance lock, which is taken per userData folder.
 */
if (process.env.PROCTOR_DATA_DIR) app.setPath('userData', resolve(process.env.PROCTOR_DATA_DIR))

function log(message: string): void {
  console.error(`[proctor] ${message}`)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let mainWindow: BrowserWindow | undefined

  app.on('second-instance', () => {
    if (mainWindow && !mainWindow.isDestroyed()) revealWindow(mainWindow)
  })

  app
    .whenReady()
    .then(() => {
      const target = rendererTarget({ packaged: app.isPackaged })
      applySecurity({ isAppUrl: (url) => isTrustedRendererUrl(url, target) })

      const engine = new Engine({ dataDir: app.getPath('userData'), version: app.getVersion(), log })
      const disposeBridge = registerBridge(ipcMain, engine.router, (event) => isTrustedSender(event, target))
      app.once('will-quit', () => {
        disposeBridge()
        engine.close()
      })

      // Start-up notices (a settings file kept aside, ...) are shown once, over the first window.
      const notices = engine.appInfo().notices
      const openWindow = (): BrowserWindow => {
        const win = createMainWindow({
          target,
          onLoadError: (err) => log(`the window could not load the interface: ${(err as Error).message}`),
        })
        if (notices.length > 0) {
          win.once('show', () => {
            void dialog.showMessageBox(win, {
              type: 'warning',
              title: 'Proctor',
              message: notices.length === 1 ? 'Proctor started with a warning' : 'Proctor started with warnings',
              detail: notices.join('\n\n'),
              buttons: ['OK'],
            })
            notices.length = 0
          })
        }
        return win
      }
      mainWindow = openWindow()

      // macOS: the app stays in the dock without windows; clicking it opens one again.
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow()
      })
    })
    .catch((err: unknown) => {
      log(`start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      dialog.showErrorBox('Proctor could not start', err instanceof Error ? err.message : String(err))
      app.quit()
    })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
