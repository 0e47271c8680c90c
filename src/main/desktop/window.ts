import { app, BrowserWindow } from 'electron'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The app's root (its package.json's folder, or app.asar when packaged).
 * Everything the window loads is found from here, so the layout of `out/`
 * is written down in one place.
 */
const appRoot = app.getAppPath()

export const appPaths = {
  preload: join(appRoot, 'out', 'preload', 'index.js'),
  rendererHtml: join(appRoot, 'out', 'renderer', 'index.html'),
  icon: join(appRoot, 'resources', 'icon.png'),
} as const

/** What the main window shows: the built renderer file, or the dev server in `electron-vite dev`. */
export type RendererTarget = { kind: 'file'; path: string } | { kind: 'url'; url: string }

/**
 * ELECTRON_RENDERER_URL is set by `electron-vite dev`; a packaged app never
 * honours it, so no environment variable can point a shipped app (and its
 * api) at another page.
 */
export function rendererTarget(options: { packaged: boolean; env?: NodeJS.ProcessEnv }): RendererTarget {
  const devUrl = (options.env ?? process.env).ELECTRON_RENDERER_URL
  if (!options.packaged && devUrl) return { kind: 'url', url: devUrl }
  return { kind: 'file', path: appPaths.rendererHtml }
}

/**
 * Whether `url` is our renderer: the very index.html file (any query or
 * hash), or any page of the dev server's origin. Used both for IPC senders
 * and for navigation.
 */
export function isTrustedRendererUrl(url: string, target: RendererTarget): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (target.kind === 'url') {
    try {
      return parsed.origin !== 'null' && parsed.origin === new URL(target.url).origin
    } catch {
      return false
    }
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false
  try {
    return resolve(fileURLToPath(parsed)) === resolve(target.path)
  } catch {
    return false
  }
}

/** The webContents of windows made by createMainWindow; nothing else may talk to the bridge. */
const ownContents = new WeakSet<object>()

/** The parts of an IPC event the sender check reads (Electron's IpcMainEvent fits). */
export interface SenderInfo {
  readonly sender: object & { isDestroyed(): boolean }
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null
}

/**
 * VS Code's rule: the sender must be the main frame (no parent) of a window
 * we created, showing our renderer. A subframe, a foreign page, a
 * navigated-away or destroyed frame, or any other webContents is refused.
 */
export function isTrustedSender(event: SenderInfo, target: RendererTarget): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  if (!ownContents.has(event.sender) || event.sender.isDestroyed()) return false
  return isTrustedRendererUrl(frame.url, target)
}

export interface MainWindowOptions {
  target: RendererTarget
  /** The renderer could not be loaded (no build, dev server gone). */
  onLoadError?: (err: unknown) => void
}

/** The main window: hidden until its first paint, sandboxed, loading only our renderer. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Proctor',
    icon: appPaths.icon,
    webPreferences: {
      // electronegativity: PRELOAD_JS_CHECK: the preload only exposes the typed contract (one invoke and one
      // subscribe per contract name) through contextBridge, with contextIsolation and the sandbox on.
      preload: appPaths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // No middle-click navigation to new windows (navigation is also held on the renderer by restrictWebContents).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  ownContents.add(win.webContents)
  win.once('ready-to-show', () => win.show())
  const loading = options.target.kind === 'url' ? win.loadURL(options.target.url) : win.loadFile(options.target.path)
  loading.catch((err: unknown) => options.onLoadError?.(err))
  return win
}

/** Brings a window back to the front (a second instance was started). */
export function revealWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

/** Whether the user can see the window: not destroyed, shown, and not minimized. */
export function isWindowShown(win: BrowserWindow | undefined): boolean {
  return win !== undefined && !win.isDestroyed() && win.isVisible() && !win.isMinimized()
}

/**
 * Calls `listener` with isWindowShown(win) after every show, hide, minimize
 * and restore, and with false once the window is closed: what decides
 * whether sampling runs at the foreground or the background interval.
 */
export function onWindowShownChange(win: BrowserWindow, listener: (shown: boolean) => void): void {
  const report = (): void => listener(isWindowShown(win))
  win.on('show', report)
  win.on('hide', report)
  win.on('minimize', report)
  win.on('restore', report)
  win.once('closed', () => listener(false))
}
