import { nativeDesktop } from './desktop/nativeDesktop'
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { resolve } from 'node:path'
import { takeOwnership } from './core/owner/ownership'
import { registerBridge } from './desktop/bridge'
import { applySecurity } from './desktop/security'
import { hideOnClose, tellOnceWhereProctorWent } from './desktop/tray/closeToTray'
import { daemonProblem, guardQuit, startDaemonDetached } from './desktop/quitGuard'
import { askBeforeDestructive, createProctorTray, trayEngineOf, type ProctorTray } from './desktop/tray/tray'
import { startedHidden, syncStartAtLogin, type LoginContext } from './desktop/loginItem'
import { START_HIDDEN_FLAG } from '../shared/ecosystem/desktopEntry'
import {
  createMainWindow,
  isTrustedRendererUrl,
  isTrustedSender,
  isWindowShown,
  onWindowShownChange,
  rendererTarget,
  revealWindow,
} from './desktop/window'

/*
 * The composition root of the desktop app: one instance, one engine, one
 * bridge, one main window. Everything here is wiring; the parts live in
 * window.ts, bridge.ts, security.ts and core/. The engine owns the
 * programs (core/owner: the lock in the data folder) unless a daemon
 * already does; then the window shows the daemon's. Quitting while the app
 * owns running programs asks first (desktop/quitGuard.ts).
 *
 * PROCTOR_DATA_DIR, when set, replaces Electron's userData folder (settings
 * and Chromium's profile), as it does for the headless host: tests and
 * portable setups run apart from the user's own Proctor. It is applied
 * before the single-instance lock, which is taken per userData folder.
 *
 * The tray (tray/tray.ts) and close-to-tray: closing the window hides it
 * while settings.closeToTray is on and a tray is known to show; Quit (the
 * tray's, the app menu's, app.quit()) sets `quitting` in before-quit so its
 * closes really close. PROCTOR_TRAY=off|on overrides the tray check (see
 * core/tray/host.ts). A hidden or minimized window puts the engine in the
 * background (slower sampling); showing it brings it back.
 *
 * Start at login (desktop/loginItem.ts): started by the login item (the
 * --hidden flag; on macOS, opened at login), the app makes no window until
 * the user asks for it from the tray, unless no tray shows Proctor.
 */
if (process.env.PROCTOR_DATA_DIR) app.setPath('userData', resolve(process.env.PROCTOR_DATA_DIR))

function log(message: string): void {
  console.error(`[proctor] ${message}`)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let mainWindow: BrowserWindow | undefined
  /** Shows the main window (hidden, minimized or closed); set once the app is ready. */
  let showWindow: (() => void) | undefined
  /** Set by before-quit: from then on, closing a window closes it. */
  let quitting = false

  app.on('before-quit', () => {
    quitting = true
  })

  // A second launch brings this instance's window back, hidden to the tray or not; one from the login item leaves it be.
  app.on('second-instance', (_event, argv) => {
    if (!argv.includes(START_HIDDEN_FLAG)) showWindow?.()
  })

  app
    .whenReady()
    .then(async () => {
      const target = rendererTarget({ packaged: app.isPackaged })
      applySecurity({ isAppUrl: (url) => isTrustedRendererUrl(url, target) })

      const dataDir = app.getPath('userData')
      // The app supervises the programs unless a daemon already does: then its window shows the daemon's.
      const ownership = await takeOwnership({
        dataDir,
        kind: 'desktop',
        engineOptions: {
          version: app.getVersion(),
          log,
          // The renderer, GPU and utility processes are Proctor too: protected from its own actions.
          ownPids: () => app.getAppMetrics().map((m) => m.pid),
          desktop: nativeDesktop(() => mainWindow),
        },
      })
      const engine = ownership.engine
      if (ownership.role === 'client') log(`programs are supervised by ${ownership.owner.kind} pid ${ownership.owner.pid}: this window shows them`)
      const disposeBridge = registerBridge(ipcMain, engine.router, (event) => isTrustedSender(event, target))
      const appLocation = () => ({ packaged: app.isPackaged, resourcesPath: process.resourcesPath })
      // Quitting first deals with the programs (asking while some run), then lets go of the engine and the lock.
      guardQuit(app, {
        ownership,
        window: () => mainWindow,
        startDaemon: () => startDaemonDetached(__dirname, dataDir, appLocation()),
        daemonProblem: () => daemonProblem(__dirname, dataDir, appLocation()),
        cancelled: () => (quitting = false),
        log,
      })
      app.once('will-quit', () => disposeBridge())
      const login: LoginContext = { app, platform: process.platform, env: process.env, execPath: process.execPath }
      const hidden = startedHidden(login, process.argv)
      app.once('will-quit', syncStartAtLogin(engine.settings, login, log))

      // Start-up notices (a settings file kept aside, ...) are shown once, over the first window.
      const notices = engine.appInfo().notices
      let tray: ProctorTray | undefined
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
        hideOnClose(win, {
          shouldHide: () => !quitting && engine.settings.get().closeToTray && tray?.visibleToUser === true,
          onHidden: () => tellOnceWhereProctorWent(engine.settings, { log }),
        })
        onWindowShownChange(win, (shown) => {
          engine.setForeground(shown)
          tray?.windowChanged()
        })
        return win
      }
      if (hidden) engine.setForeground(false)
      else mainWindow = openWindow()
      showWindow = () => {
        if (mainWindow && !mainWindow.isDestroyed()) revealWindow(mainWindow)
        else mainWindow = openWindow()
      }

      // Without a tray (none wanted, none possible, or a bug in it) Proctor still runs, window only.
      try {
        tray = createProctorTray({
          engine: trayEngineOf(engine),
          window: {
            isVisible: () => isWindowShown(mainWindow),
            show: () => showWindow?.(),
            hide: () => mainWindow?.hide(),
          },
          quit: () => app.quit(),
          confirm: askBeforeDestructive(() => engine.settings.get().ui.confirmDestructive),
          log,
        })
      } catch (err) {
        log(`tray: failed (${(err as Error).message}); the window stays the way back`)
      }
      app.once('will-quit', () => tray?.dispose())
      // Hidden with no tray to come back from: the window after all.
      if (hidden) {
        void (tray?.hostChecked ?? Promise.resolve()).then(() => {
          if (tray?.visibleToUser) return
          log('started hidden, but no tray shows Proctor: opening the window')
          showWindow?.()
        })
      }

      // macOS: the app stays in the dock without windows; clicking it shows (or opens) the window again.
      app.on('activate', () => showWindow?.())
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
