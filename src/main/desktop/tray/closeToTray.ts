import { dialog, Notification, type BrowserWindow } from 'electron'
import type { Settings, SettingsPatch } from '../../../shared/settings'

/**
 * Close to tray: closing the main window hides it while the tray is the way
 * back, and the first time the user is told where Proctor went. Quitting
 * (the tray's Quit, Cmd+Q, app.quit()) must not be turned into a hide: the
 * caller's shouldHide() says no once before-quit has been seen.
 */

export interface HideOnCloseOptions {
  /** Whether this close should hide instead: the setting is on, a tray shows, Proctor is not quitting. */
  shouldHide(): boolean
  /** After a close was turned into a hide. */
  onHidden?(): void
}

/** Turns the window's close into a hide while shouldHide() says so. Returns the undo. */
export function hideOnClose(win: BrowserWindow, options: HideOnCloseOptions): () => void {
  const onClose = (event: Electron.Event): void => {
    if (!options.shouldHide()) return
    event.preventDefault()
    win.hide()
    options.onHidden?.()
  }
  win.on('close', onClose)
  return () => {
    win.removeListener('close', onClose)
  }
}

/** Where the window went, in the platform's words. */
export function closeToTrayNotice(platform: NodeJS.Platform): { title: string; body: string } {
  const where = platform === 'darwin' ? 'in the menu bar' : 'in the system tray'
  return {
    title: 'Proctor is still running',
    body: `Proctor keeps running ${where}. Click its icon to open the window again, or choose Quit Proctor in its menu to quit.`,
  }
}

export interface NoticeSettings {
  get(): Pick<Settings, 'closeToTrayNoticeShown'>
  update(patch: SettingsPatch): unknown
}

/**
 * Tells the user once (ever: the setting closeToTrayNoticeShown remembers
 * it) that closing the window kept Proctor running: a notification, or a
 * message box where notifications are not supported.
 */
export function tellOnceWhereProctorWent(settings: NoticeSettings, options: { platform?: NodeJS.Platform; log?: (m: string) => void } = {}): void {
  if (settings.get().closeToTrayNoticeShown) return
  const notice = closeToTrayNotice(options.platform ?? process.platform)
  if (Notification.isSupported()) {
    new Notification({ title: notice.title, body: notice.body }).show()
  } else {
    void dialog.showMessageBox({ type: 'info', title: 'Proctor', message: notice.title, detail: notice.body, buttons: ['OK'] })
  }
  try {
    settings.update({ closeToTrayNoticeShown: true })
  } catch (err) {
    options.log?.(`could not remember that the close-to-tray notice was shown: ${(err as Error).message}`)
  }
}
