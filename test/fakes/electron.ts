/**
 * A stand-in for the 'electron' module, for the edge tests only (vitest
 * aliases 'electron' to this file in the 'edge' project). It records what
 * the code under test asks for and routes messages the way Electron does
 * (ipcRenderer.invoke -> ipcMain.handle, ipcRenderer.send -> ipcMain.on,
 * webContents.send and event.reply -> ipcRenderer.on, structured-clone
 * copies across the process boundary, contextBridge copies across worlds). It invents no other behaviour. The `simulate*` methods
 * are the test's hands: what a user, the OS or a page would do.
 *
 * Tray, Menu, Notification, nativeImage and nativeTheme record what they
 * are given (images are kept as the bytes passed, never decoded) and route
 * the user's clicks to the click handlers the code registered.
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'

type Listener = (...args: unknown[]) => unknown

/**
 * Folders for app.getPath(), removed when the test process exits. Tests
 * import a fresh copy of this module per app they boot, so the list (and its
 * one exit hook) is kept on globalThis, shared by every copy.
 */
const FAKE_DIRS = Symbol.for('proctor.fakeElectron.tempDirs')

function tempDir(prefix: string): string {
  const shared = globalThis as { [FAKE_DIRS]?: string[] }
  let made = shared[FAKE_DIRS]
  if (!made) {
    const list: string[] = []
    made = shared[FAKE_DIRS] = list
    process.once('exit', () => {
      for (const dir of list) rmSync(dir, { recursive: true, force: true })
    })
  }
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** An event object with preventDefault(), like the ones Electron passes to listeners. */
export type FakeEvent<T extends object = object> = T & { defaultPrevented: boolean; preventDefault(): void }

export function fakeEvent<T extends object>(params: T = {} as T): FakeEvent<T> {
  const event = { ...params, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) }
  return event
}

/* ------------------------------------------------------------------ app */

class FakeApp extends EventEmitter {
  isPackaged = false
  /** What requestSingleInstanceLock() answers (set before importing src/main/index). */
  singleInstanceLock = true
  lockRequests = 0
  quitCalls = 0
  private ready = false
  private quitting = false
  private readonly paths = new Map<string, string>()
  private resolveReady!: () => void
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve))

  /** The folder holding the app's package.json: this checkout, as for `electron .` here. */
  getAppPath(): string {
    return resolvePath(__dirname, '..', '..')
  }

  getPath(name: string): string {
    let path = this.paths.get(name)
    if (!path) {
      path = tempDir(`proctor-fake-${name}-`)
      this.paths.set(name, path)
    }
    return path
  }

  setPath(name: string, path: string): void {
    this.paths.set(name, path)
  }

  /** Electron lists every process of the app; the stand-in has one, this one. */
  getAppMetrics(): { pid: number; type: string }[] {
    return [{ pid: process.pid, type: 'Browser' }]
  }

  getVersion(): string {
    return '0.0.0-fake'
  }

  /** Every setLoginItemSettings call (macOS login items), in order. */
  readonly loginItemCalls: Array<{ openAtLogin?: boolean; openAsHidden?: boolean }> = []
  /** How macOS started this app (the test sets it before ready): from the login item, or as a hidden one. */
  openedAtLogin = false
  openedAsHidden = false

  setLoginItemSettings(settings: { openAtLogin?: boolean; openAsHidden?: boolean }): void {
    this.loginItemCalls.push({ ...settings })
  }

  getLoginItemSettings() {
    const last = this.loginItemCalls.at(-1)
    return {
      openAtLogin: last?.openAtLogin ?? false,
      openAsHidden: last?.openAsHidden ?? false,
      wasOpenedAtLogin: this.openedAtLogin,
      wasOpenedAsHidden: this.openedAsHidden,
      restoreState: false,
      status: last?.openAtLogin ? ('enabled' as const) : ('not-registered' as const),
      executableWillLaunchAtLogin: false,
      launchItems: [],
    }
  }

  getName(): string {
    return 'Proctor'
  }

  isReady(): boolean {
    return this.ready
  }

  whenReady(): Promise<void> {
    return this.readyPromise
  }

  requestSingleInstanceLock(): boolean {
    this.lockRequests++
    return this.singleInstanceLock
  }

  get isQuitting(): boolean {
    return this.quitting
  }

  /** Electron's order: before-quit, close every window, will-quit, quit; no window-all-closed on the way. */
  quit(): void {
    this.quitCalls++
    const before = fakeEvent()
    this.emit('before-quit', before)
    if (before.defaultPrevented) return
    this.quitting = true
    for (const win of FakeBrowserWindow.getAllWindows()) win.close()
    if (FakeBrowserWindow.getAllWindows().length > 0) {
      this.quitting = false
      return
    }
    const willQuit = fakeEvent()
    this.emit('will-quit', willQuit)
    if (willQuit.defaultPrevented) {
      this.quitting = false
      return
    }
    this.emit('quit', fakeEvent(), 0)
  }

  simulateReady(): Promise<void> {
    this.ready = true
    this.emit('ready', fakeEvent(), {})
    this.resolveReady()
    return this.readyPromise
  }

  /** Another instance was started and gave up the lock to this one. */
  simulateSecondInstance(argv: string[] = [], cwd = process.cwd()): void {
    this.emit('second-instance', fakeEvent(), argv, cwd, {})
  }
}

export const app = new FakeApp()

/* ------------------------------------------------------------- frames */

let nextRoutingId = 1

export class FakeWebFrameMain {
  url = ''
  readonly frames: FakeWebFrameMain[] = []
  readonly routingId = nextRoutingId++
  readonly processId = 1

  constructor(readonly parent: FakeWebFrameMain | null = null) {
    parent?.frames.push(this)
  }

  get top(): FakeWebFrameMain {
    return this.parent ? this.parent.top : this
  }

  /** Test: an <iframe> inside this frame, showing `url`. */
  simulateChildFrame(url: string): FakeWebFrameMain {
    const child = new FakeWebFrameMain(this)
    child.url = url
    return child
  }
}

/* -------------------------------------------------------- webContents */

let nextWebContentsId = 1

interface WindowOpenDetails {
  url: string
  frameName: string
  features: string
  disposition: string
}
type WindowOpenResponse = { action: 'deny' } | { action: 'allow'; overrideBrowserWindowOptions?: object }

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++
  mainFrame = new FakeWebFrameMain()
  /** Every webContents.send, as the renderer would receive it (cloned). */
  readonly sent: Array<{ channel: string; args: unknown[] }> = []
  windowOpenHandler: ((details: WindowOpenDetails) => WindowOpenResponse) | undefined
  private destroyed = false

  get session(): FakeSession {
    return session.defaultSession
  }

  getURL(): string {
    return this.mainFrame.url
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  /** Electron serialises at once (throwing on what cannot be cloned) and delivers later. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    const copy = structuredClone(args)
    this.sent.push({ channel, args: copy })
    const frame = this.mainFrame
    setImmediate(() => ipcRenderer.deliver(this, frame, channel, copy))
  }

  /** Every sendToFrame (event.reply uses it), as the frame would receive it (cloned). */
  readonly sentToFrame: Array<{ frameId: number; channel: string; args: unknown[] }> = []

  /**
   * Electron's sendToFrame: to the frame with that routing id in this
   * webContents now; a frame that is gone gets nothing.
   */
  sendToFrame(frameId: number | [number, number], channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    const routingId = Array.isArray(frameId) ? frameId[1] : frameId
    const copy = structuredClone(args)
    this.sentToFrame.push({ frameId: routingId, channel, args: copy })
    const frame = findFrame(this.mainFrame, routingId)
    if (frame) setImmediate(() => ipcRenderer.deliver(this, frame, channel, copy))
  }

  /** The renderer process crashed or was killed: the page is gone, the webContents stays. */
  simulateRenderProcessGone(reason = 'crashed'): void {
    this.emit('render-process-gone', fakeEvent(), { reason, exitCode: 1 })
  }

  setWindowOpenHandler(handler: (details: WindowOpenDetails) => WindowOpenResponse): void {
    this.windowOpenHandler = handler
  }

  /** Loading from the main process: no will-navigate (that is for page-initiated navigation). */
  loadURL(url: string): Promise<void> {
    this.startDocument(url)
    this.emit('did-finish-load', fakeEvent())
    return Promise.resolve()
  }

  reload(): void {
    this.startDocument(this.mainFrame.url)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('destroyed', fakeEvent())
  }

  /** The page navigates its main frame (a link, location.href): will-navigate first, then the new document unless prevented. */
  simulateNavigation(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame })
    this.emit('will-navigate', event, url, false, true, this.mainFrame.processId, this.mainFrame.routingId)
    if (event.defaultPrevented) return false
    this.startDocument(url)
    return true
  }

  /** A server redirect during navigation. */
  simulateRedirect(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame })
    this.emit('will-redirect', event, url, false, true, this.mainFrame.processId, this.mainFrame.routingId)
    return !event.defaultPrevented
  }

  /** window.open / target=_blank: what the handler answers (Electron allows when there is none). */
  simulateWindowOpen(url: string): WindowOpenResponse {
    const details: WindowOpenDetails = { url, frameName: '', features: '', disposition: 'new-window' }
    return this.windowOpenHandler ? this.windowOpenHandler(details) : { action: 'allow' }
  }

  /** A <webview> in the page asks to attach: true if it may. */
  simulateAttachWebview(src: string): boolean {
    const event = fakeEvent()
    this.emit('will-attach-webview', event, {}, { src })
    return !event.defaultPrevented
  }

  /** A new document in the main frame (a new WebFrameMain: the old one's preload world is gone). */
  private startDocument(url: string): void {
    const details = fakeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame })
    this.emit('did-start-navigation', details, url, false, true, this.mainFrame.processId, this.mainFrame.routingId)
    this.mainFrame = new FakeWebFrameMain()
    this.mainFrame.url = url
  }
}

function findFrame(frame: FakeWebFrameMain, routingId: number): FakeWebFrameMain | undefined {
  if (frame.routingId === routingId) return frame
  for (const child of frame.frames) {
    const found = findFrame(child, routingId)
    if (found) return found
  }
  return undefined
}

/* ------------------------------------------------------ BrowserWindow */

let nextWindowId = 1
const windows: FakeBrowserWindow[] = []

export interface FakeBrowserWindowOptions {
  webPreferences?: Record<string, unknown>
  [key: string]: unknown
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return [...windows]
  }

  static fromWebContents(contents: unknown): FakeBrowserWindow | null {
    return windows.find((w) => w.webContents === contents) ?? null
  }

  readonly id = nextWindowId++
  readonly webContents = new FakeWebContents()
  /** What loadFile/loadURL were asked for, in order. */
  readonly loads: Array<{ kind: 'file' | 'url'; target: string }> = []
  private visible = false
  private minimized = false
  private focused = false
  private destroyed = false

  constructor(readonly options: FakeBrowserWindowOptions = {}) {
    super()
    windows.push(this)
    app.emit('web-contents-created', fakeEvent(), this.webContents)
    app.emit('browser-window-created', fakeEvent(), this)
    if (options.show !== false) this.show()
  }

  loadURL(url: string): Promise<void> {
    this.loads.push({ kind: 'url', target: url })
    return this.webContents.loadURL(url)
  }

  /** Electron's loadFile is loadURL of the file: URL. */
  loadFile(path: string): Promise<void> {
    this.loads.push({ kind: 'file', target: path })
    return this.webContents.loadURL(pathToFileURL(path).href)
  }

  show(): void {
    const wasVisible = this.visible
    this.visible = true
    this.minimized = false
    this.focused = true
    if (!wasVisible) this.emit('show')
  }

  hide(): void {
    if (!this.visible) return
    this.visible = false
    this.emit('hide')
  }

  isVisible(): boolean {
    return this.visible
  }

  focus(): void {
    this.focused = true
    this.emit('focus')
  }

  isFocused(): boolean {
    return this.focused
  }

  minimize(): void {
    this.minimized = true
    this.focused = false
    this.emit('minimize')
  }

  isMinimized(): boolean {
    return this.minimized
  }

  restore(): void {
    if (!this.minimized) return
    this.minimized = false
    this.emit('restore')
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  close(): void {
    if (this.destroyed) return
    const event = fakeEvent()
    this.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    windows.splice(windows.indexOf(this), 1)
    this.webContents.destroy()
    this.emit('closed')
    if (windows.length === 0 && !app.isQuitting) app.emit('window-all-closed')
  }

  simulateReadyToShow(): void {
    this.emit('ready-to-show')
  }
}

export { FakeBrowserWindow as BrowserWindow }

/* -------------------------------------------------------------- IPC */

export interface FakeInvokeEvent {
  type: 'frame'
  sender: FakeWebContents
  senderFrame: FakeWebFrameMain | null
  processId: number
  frameId: number
}

type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>()

  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /**
   * What ipcRenderer.invoke does from `frame` of `sender` (its main frame
   * unless said otherwise): arguments and result are structured-cloned; a
   * handler that throws rejects the invoke with Electron's wording.
   */
  async simulateInvoke(
    from: { sender: FakeWebContents; senderFrame?: FakeWebFrameMain | null },
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const copy = structuredClone(args)
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`)
    const senderFrame = from.senderFrame === undefined ? from.sender.mainFrame : from.senderFrame
    const event: FakeInvokeEvent = {
      type: 'frame',
      sender: from.sender,
      senderFrame,
      processId: senderFrame?.processId ?? 0,
      frameId: senderFrame?.routingId ?? 0,
    }
    try {
      return structuredClone(await handler(event, ...copy))
    } catch (err) {
      // eslint-disable-next-line preserve-caught-error -- Electron's rejection carries the text only, no cause.
      throw new Error(`Error invoking remote method '${channel}': ${String(err)}`)
    }
  }

  /**
   * What ipcRenderer.send does from `frame` of `sender` (its main frame
   * unless said otherwise): the arguments are cloned at once (throwing on
   * what cannot be cloned), and the listeners run later.
   */
  simulateSend(from: { sender: FakeWebContents; senderFrame?: FakeWebFrameMain | null }, channel: string, ...args: unknown[]): void {
    const copy = structuredClone(args)
    const frame = from.senderFrame === undefined ? from.sender.mainFrame : from.senderFrame
    setImmediate(() => this.emit(channel, ipcMainEvent(from.sender, frame), ...copy))
  }
}

export const ipcMain = new FakeIpcMain()

export interface FakeIpcMainEvent {
  type: 'frame'
  sender: FakeWebContents
  /** As in Electron, read when accessed: null once the frame has navigated away or is destroyed. */
  readonly senderFrame: FakeWebFrameMain | null
  processId: number
  frameId: number
  /** Electron's: sendToFrame([processId, frameId]), the frame that sent the message. */
  reply(channel: string, ...args: unknown[]): void
}

function ipcMainEvent(sender: FakeWebContents, frame: FakeWebFrameMain | null): FakeIpcMainEvent {
  const processId = frame?.processId ?? 0
  const frameId = frame?.routingId ?? 0
  return {
    type: 'frame',
    sender,
    get senderFrame() {
      return frame && !sender.isDestroyed() && isCurrentFrame(sender, frame) ? frame : null
    },
    processId,
    frameId,
    reply: (channel, ...args) => sender.sendToFrame([processId, frameId], channel, ...args),
  }
}

/** The renderer side. One per renderer process; `connect` says which frame it runs in. */
class FakeIpcRenderer extends EventEmitter {
  private contents: FakeWebContents | undefined
  private frame: FakeWebFrameMain | undefined

  /** Test: this renderer is the document now in `frame` (default: the main frame) of `contents`. */
  connect(contents: FakeWebContents, frame: FakeWebFrameMain = contents.mainFrame): void {
    this.contents = contents
    this.frame = frame
  }

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const contents = this.contents
    if (!contents) return Promise.reject(new Error('fake ipcRenderer: connect() it to a webContents first'))
    // A navigated-away or destroyed frame is what Electron reports as a null senderFrame.
    const live = !contents.isDestroyed() && this.frame !== undefined && isCurrentFrame(contents, this.frame)
    return ipcMain.simulateInvoke({ sender: contents, senderFrame: live ? this.frame : null }, channel, ...args)
  }

  send(channel: string, ...args: unknown[]): void {
    const contents = this.contents
    if (!contents) throw new Error('fake ipcRenderer: connect() it to a webContents first')
    ipcMain.simulateSend({ sender: contents, senderFrame: this.frame ?? null }, channel, ...args)
  }

  /** Called by webContents.send and sendToFrame: reaches listeners only if this renderer still is that frame's document. */
  deliver(contents: FakeWebContents, frame: FakeWebFrameMain, channel: string, args: unknown[]): void {
    if (contents !== this.contents || frame !== this.frame || contents.isDestroyed()) return
    this.emit(channel, { sender: this, ports: [] }, ...args)
  }
}

function isCurrentFrame(contents: FakeWebContents, frame: FakeWebFrameMain): boolean {
  return frame.top === contents.mainFrame
}

export const ipcRenderer = new FakeIpcRenderer()

/* ------------------------------------------------------ contextBridge */

/**
 * What the main world sees of a value from the isolated world, after
 * Electron's documented rules: functions and promises are proxied (their
 * arguments, results and rejections crossing the same way), plain objects
 * and arrays copied with their prototypes dropped, an Error copied as its
 * message only (electron/electron#25596), a synchronous throw rethrown as
 * an Error with the message; the exposed object itself is frozen.
 */
export function crossWorlds(value: unknown, depth = 0): unknown {
  if (depth > 1000) throw new Error('contextBridge: object is too deep')
  if (value === null || value === undefined) return value
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value
    case 'symbol':
      throw new Error('contextBridge: symbols cannot cross the bridge')
    case 'function': {
      const fn = value as Listener
      return (...args: unknown[]) => {
        let result: unknown
        try {
          result = fn(...args.map((a) => crossWorlds(a)))
        } catch (err) {
          // A thrown value of any kind arrives as an Error carrying its message.
          const message = (err as { message?: unknown } | null)?.message
          // eslint-disable-next-line preserve-caught-error -- the other world gets a new Error, nothing else.
          throw new Error(typeof message === 'string' ? message : 'An unknown exception occurred in the isolated context')
        }
        return crossWorlds(result)
      }
    }
  }
  if (value instanceof Promise) {
    return value.then(
      (v) => crossWorlds(v),
      (err: unknown) => Promise.reject(crossWorlds(err)),
    )
  }
  if (value instanceof Error) return new Error(value.message)
  if (value instanceof Date) return new Date(value.getTime())
  if (Array.isArray(value)) return value.map((v) => crossWorlds(v, depth + 1))
  const copy: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) copy[k] = crossWorlds(v, depth + 1)
  return copy
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

class FakeContextBridge {
  /** Exactly what the preload passed, by key. */
  readonly exposed = new Map<string, unknown>()
  /** What the page's `window[key]` is. */
  readonly mainWorld = new Map<string, unknown>()

  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (this.mainWorld.has(apiKey)) throw new Error('Cannot bind an API on top of an existing property on the window object')
    this.exposed.set(apiKey, api)
    this.mainWorld.set(apiKey, deepFreeze(crossWorlds(api)))
  }
}

export const contextBridge = new FakeContextBridge()

/* ------------------------------------------------------------ session */

type PermissionRequestHandler = (
  contents: FakeWebContents,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean },
) => void
type PermissionCheckHandler = (
  contents: FakeWebContents | null,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl?: string; isMainFrame: boolean },
) => boolean

class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null
  permissionCheckHandler: PermissionCheckHandler | null = null
  readonly webRequest = {
    headersReceivedListeners: [] as unknown[],
    onHeadersReceived: (listener: unknown) => {
      this.webRequest.headersReceivedListeners.push(listener)
    },
  }

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler
  }

  /** A page asks for a permission: resolves with the answer (Electron grants when no handler is set). */
  simulatePermissionRequest(contents: FakeWebContents, permission: string, requestingUrl = contents.getURL()): Promise<boolean> {
    const handler = this.permissionRequestHandler
    if (!handler) return Promise.resolve(true)
    return new Promise((resolve) => handler(contents, permission, resolve, { requestingUrl, isMainFrame: true }))
  }

  simulatePermissionCheck(contents: FakeWebContents | null, permission: string, requestingUrl: string): boolean {
    const handler = this.permissionCheckHandler
    if (!handler) return true
    return handler(contents, permission, new URL(requestingUrl).origin, { requestingUrl, isMainFrame: true })
  }
}

export const session = { defaultSession: new FakeSession() }

/* ------------------------------------------------- shell, dialog, ... */

export const shell = {
  opened: [] as string[],
  shown: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url)
    return Promise.resolve()
  },
  showItemInFolder(path: string): void {
    shell.shown.push(path)
  },
}

export interface MessageBoxCall {
  window: FakeBrowserWindow | undefined
  options: { message: string; type?: string; title?: string; detail?: string; buttons?: string[]; defaultId?: number; cancelId?: number }
}

export const dialog = {
  messageBoxes: [] as MessageBoxCall[],
  errorBoxes: [] as Array<{ title: string; content: string }>,
  /** Test: the buttons the user will press in the next message boxes, in order (index; 0 when none is queued). */
  responses: [] as number[],
  showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const [window, options] = (args[0] instanceof FakeBrowserWindow ? args : [undefined, args[0]]) as [
      FakeBrowserWindow | undefined,
      MessageBoxCall['options'],
    ]
    dialog.messageBoxes.push({ window, options })
    return Promise.resolve({ response: dialog.responses.shift() ?? 0, checkboxChecked: false })
  },
  showErrorBox(title: string, content: string): void {
    dialog.errorBoxes.push({ title, content })
  },
}

/* --------------------------------------------------------------- Menu */

/** A template entry, as the code under test passes it (Electron's MenuItemConstructorOptions). */
export interface FakeMenuItemOptions {
  label?: string
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio'
  enabled?: boolean
  visible?: boolean
  checked?: boolean
  role?: string
  id?: string
  click?: (menuItem: FakeMenuItemOptions, window: FakeBrowserWindow | undefined, event: object) => void
  submenu?: FakeMenuItemOptions[] | FakeMenu
  [key: string]: unknown
}

export class FakeMenu extends EventEmitter {
  /** Every menu built from a template, in order. */
  static readonly built: FakeMenu[] = []
  static applicationMenu: FakeMenu | null = null

  static buildFromTemplate(template: FakeMenuItemOptions[]): FakeMenu {
    const menu = new FakeMenu(template)
    FakeMenu.built.push(menu)
    return menu
  }

  static setApplicationMenu(menu: FakeMenu | null): void {
    FakeMenu.applicationMenu = menu
  }

  static getApplicationMenu(): FakeMenu | null {
    return FakeMenu.applicationMenu
  }

  constructor(readonly template: FakeMenuItemOptions[]) {
    super()
  }

  /** The entry at a label path (top-level label, then submenu labels). */
  find(...labels: string[]): FakeMenuItemOptions | undefined {
    let items: FakeMenuItemOptions[] = this.template
    let found: FakeMenuItemOptions | undefined
    for (const label of labels) {
      found = items.find((i) => i.label === label)
      if (!found) return undefined
      const sub = found.submenu
      items = sub instanceof FakeMenu ? sub.template : (sub ?? [])
    }
    return found
  }

  /**
   * Test: the user picks the entry at this label path. As in Electron, a
   * disabled (or hidden) entry cannot be picked, and a checkbox flips its
   * `checked` before its click runs.
   */
  simulateClick(...labels: string[]): void {
    const item = this.find(...labels)
    if (!item) throw new Error(`fake Menu: no item at ${labels.join(' > ')}`)
    if (item.enabled === false || item.visible === false) throw new Error(`fake Menu: ${labels.join(' > ')} is disabled; a user cannot click it`)
    if (item.type === 'checkbox') item.checked = !item.checked
    item.click?.(item, undefined, {})
  }

  /** Where and how the menu was popped up, when it was (Menu.popup). */
  popupOptions: { window?: FakeBrowserWindow; x?: number; y?: number; callback?: () => void } | undefined

  popup(options: { window?: FakeBrowserWindow; x?: number; y?: number; callback?: () => void } = {}): void {
    this.popupOptions = options
  }

  /** Test: the popped-up menu closes (after a click, Electron closes it too). */
  simulatePopupClosed(): void {
    this.popupOptions?.callback?.()
  }

  /** Test: the menu opens / closes on screen. */
  simulateOpen(): void {
    this.emit('menu-will-show', fakeEvent())
  }

  simulateClose(): void {
    this.emit('menu-will-close', fakeEvent())
  }
}

export { FakeMenu as Menu }

/* ---------------------------------------------------------- nativeImage */

export interface FakeImageRepresentation {
  scaleFactor: number
  width?: number
  height?: number
  /** The bytes as given (PNG, JPEG or raw bitmap): the fake decodes nothing. */
  buffer?: Buffer
  dataURL?: string
  /** How it was made. */
  from: 'buffer' | 'bitmap' | 'addRepresentation'
}

export class FakeNativeImage {
  readonly representations: FakeImageRepresentation[] = []
  private template = false

  constructor(readonly path = '') {}

  isEmpty(): boolean {
    return this.path === '' && this.representations.length === 0
  }

  addRepresentation(options: { scaleFactor?: number; width?: number; height?: number; buffer?: Buffer; dataURL?: string }): void {
    this.representations.push({ ...options, scaleFactor: options.scaleFactor ?? 1, from: 'addRepresentation' })
  }

  setTemplateImage(option: boolean): void {
    this.template = option
  }

  isTemplateImage(): boolean {
    return this.template
  }
}

export const nativeImage = {
  createFromPath(path: string): FakeNativeImage {
    return new FakeNativeImage(path)
  },
  createEmpty(): FakeNativeImage {
    return new FakeNativeImage()
  },
  createFromBuffer(buffer: Buffer, options: { width?: number; height?: number; scaleFactor?: number } = {}): FakeNativeImage {
    const image = new FakeNativeImage()
    if (buffer.length > 0) image.representations.push({ ...options, scaleFactor: options.scaleFactor ?? 1, buffer, from: 'buffer' })
    return image
  },
  createFromBitmap(buffer: Buffer, options: { width: number; height: number; scaleFactor?: number }): FakeNativeImage {
    const image = new FakeNativeImage()
    image.representations.push({ ...options, scaleFactor: options.scaleFactor ?? 1, buffer, from: 'bitmap' })
    return image
  },
}

/* ----------------------------------------------------------- nativeTheme */

class FakeNativeTheme extends EventEmitter {
  shouldUseDarkColors = false
  shouldUseDarkColorsForSystemIntegratedUI = false
  themeSource: 'system' | 'light' | 'dark' = 'system'

  /** Test: the OS theme changed. */
  simulateUpdated(change: { dark?: boolean; systemUiDark?: boolean }): void {
    if (change.dark !== undefined) this.shouldUseDarkColors = change.dark
    if (change.systemUiDark !== undefined) this.shouldUseDarkColorsForSystemIntegratedUI = change.systemUiDark
    this.emit('updated')
  }
}

export const nativeTheme = new FakeNativeTheme()

/* ------------------------------------------------------------------ Tray */

export class FakeTray extends EventEmitter {
  /** Every Tray made, in order. */
  static readonly created: FakeTray[] = []
  /** Test: the next `new Tray()` throws this, as Electron does when the platform cannot make one. */
  static failNext: Error | undefined

  image: unknown
  /** Every setImage, in order. */
  readonly images: unknown[] = []
  toolTip = ''
  title = ''
  titleOptions: { fontType?: string } | undefined
  contextMenu: FakeMenu | null = null
  /** Every setContextMenu, in order. */
  readonly contextMenus: Array<FakeMenu | null> = []
  readonly poppedUp: Array<FakeMenu | undefined> = []
  ignoreDoubleClickEvents = false
  private destroyed = false

  constructor(
    image: unknown,
    readonly guid?: string,
  ) {
    super()
    const failure = FakeTray.failNext
    if (failure) {
      FakeTray.failNext = undefined
      throw failure
    }
    this.image = image
    FakeTray.created.push(this)
  }

  /** Electron throws on a destroyed tray. */
  private alive(): void {
    if (this.destroyed) throw new Error('Tray is destroyed')
  }

  setImage(image: unknown): void {
    this.alive()
    this.image = image
    this.images.push(image)
  }

  setToolTip(toolTip: string): void {
    this.alive()
    this.toolTip = toolTip
  }

  setTitle(title: string, options?: { fontType?: string }): void {
    this.alive()
    this.title = title
    this.titleOptions = options
  }

  getTitle(): string {
    this.alive()
    return this.title
  }

  setContextMenu(menu: FakeMenu | null): void {
    this.alive()
    this.contextMenu = menu
    this.contextMenus.push(menu)
  }

  popUpContextMenu(menu?: FakeMenu): void {
    this.alive()
    this.poppedUp.push(menu)
  }

  closeContextMenu(): void {
    this.alive()
  }

  setIgnoreDoubleClickEvents(ignore: boolean): void {
    this.alive()
    this.ignoreDoubleClickEvents = ignore
  }

  destroy(): void {
    this.destroyed = true
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  /** Test: the user clicks the icon (left button). */
  simulateClick(): void {
    this.emit('click', fakeEvent(), { x: 0, y: 0, width: 16, height: 16 }, { x: 8, y: 8 })
  }

  simulateRightClick(): void {
    this.emit('right-click', fakeEvent(), { x: 0, y: 0, width: 16, height: 16 })
  }
}

export { FakeTray as Tray }

/* ---------------------------------------------------------- Notification */

export interface FakeNotificationOptions {
  title?: string
  subtitle?: string
  body?: string
  silent?: boolean
  icon?: unknown
  [key: string]: unknown
}

export class FakeNotification extends EventEmitter {
  /** What Notification.isSupported() answers. */
  static supported = true
  /** Every notification shown, in order. */
  static readonly shown: FakeNotification[] = []

  static isSupported(): boolean {
    return FakeNotification.supported
  }

  constructor(readonly options: FakeNotificationOptions = {}) {
    super()
  }

  get title(): string {
    return this.options.title ?? ''
  }

  get body(): string {
    return this.options.body ?? ''
  }

  show(): void {
    FakeNotification.shown.push(this)
    this.emit('show', fakeEvent())
  }

  close(): void {
    this.emit('close', fakeEvent())
  }

  /** Test: the user clicks the notification. */
  simulateClick(): void {
    this.emit('click', fakeEvent())
  }
}

export { FakeNotification as Notification }
