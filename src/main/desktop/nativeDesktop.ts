import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import type { MenuEntry } from '../../shared/process/menu'
import type { NativeDesktop } from '../core/engine'

/** Native menu items from the shared menu model; a click reports the item's id. */
export function toTemplate(entries: readonly MenuEntry[], choose: (id: string) => void): MenuItemConstructorOptions[] {
  return entries.map((e): MenuItemConstructorOptions => {
    if ('separator' in e) return { type: 'separator' }
    if (e.submenu) return { label: e.label, enabled: e.enabled, submenu: toTemplate(e.submenu, choose) }
    return { label: e.label, enabled: e.enabled, click: () => choose(e.id) }
  })
}

/**
 * What the engine may ask of the desktop: the process context menu as a
 * native menu (built from the same model as the browser's in-page menu),
 * showing a file in the file manager, and a local port in the browser.
 */
export function nativeDesktop(window: () => BrowserWindow | undefined): NativeDesktop {
  return {
    popupMenu(items, x, y) {
      return new Promise((resolve) => {
        let chosen: string | null = null
        const menu = Menu.buildFromTemplate(toTemplate(items, (id) => (chosen = id)))
        const win = window()
        // The callback runs when the menu closes, after any click.
        menu.popup({ ...(win ? { window: win } : {}), x, y, callback: () => resolve(chosen) })
      })
    },
    revealPath(path) {
      shell.showItemInFolder(path)
    },
    // A local server the user chose in the Ports view; only this form of URL is ever opened here.
    // electronegativity: OPEN_EXTERNAL_JS_CHECK: the URL is built here from a port number (validated
    // by the contract as an integer 1..65535), never taken from the renderer.
    openLocalPort(port) {
      void shell.openExternal(`http://localhost:${port}/`).catch(() => {})
    },
  }
}
