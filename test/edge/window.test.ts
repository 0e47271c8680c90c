import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { FakeBrowserWindow } from '../fakes/electron'
import { freshEdge } from './support'

const root = resolve(import.meta.dirname, '..', '..')

async function mainWindow(target?: { kind: 'file'; path: string } | { kind: 'url'; url: string }) {
  const { electron, window } = await freshEdge()
  const t = target ?? { kind: 'file' as const, path: window.appPaths.rendererHtml }
  const win = window.createMainWindow({ target: t }) as unknown as FakeBrowserWindow
  return { electron, window, win, target: t }
}

describe('createMainWindow', () => {
  it('locks the renderer down: isolated, sandboxed, no Node, web security on, no webview, no middle-click windows, our preload', async () => {
    const { win } = await mainWindow()
    expect(win.options.webPreferences).toEqual({
      preload: join(root, 'out', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    })
  })

  it('is 1280x800, at least 900x600, hidden until ready-to-show, with the app icon', async () => {
    const { win } = await mainWindow()
    expect(win.options).toMatchObject({ width: 1280, height: 800, minWidth: 900, minHeight: 600, show: false })
    expect(win.options.icon).toBe(join(root, 'resources', 'icon.png'))
    expect(existsSync(win.options.icon as string)).toBe(true)
    expect(win.isVisible()).toBe(false)
    win.simulateReadyToShow()
    expect(win.isVisible()).toBe(true)
  })

  it('loads the built renderer file, or the dev server URL', async () => {
    const file = await mainWindow()
    expect(file.win.loads).toEqual([{ kind: 'file', target: join(root, 'out', 'renderer', 'index.html') }])
    expect(file.win.webContents.getURL()).toBe(pathToFileURL(join(root, 'out', 'renderer', 'index.html')).href)
    const dev = await mainWindow({ kind: 'url', url: 'http://localhost:5173/' })
    expect(dev.win.loads).toEqual([{ kind: 'url', target: 'http://localhost:5173/' }])
  })

  it('reports a load failure instead of leaving an unhandled rejection', async () => {
    const { electron, window } = await freshEdge()
    const errors: unknown[] = []
    const original = electron.BrowserWindow.prototype.loadFile
    electron.BrowserWindow.prototype.loadFile = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND (-6)'))
    try {
      window.createMainWindow({ target: { kind: 'file', path: '/nowhere/index.html' }, onLoadError: (e) => errors.push(e) })
      await new Promise((r) => setImmediate(r))
    } finally {
      electron.BrowserWindow.prototype.loadFile = original
    }
    expect(errors.map((e) => (e as Error).message)).toEqual(['ERR_FILE_NOT_FOUND (-6)'])
  })
})

describe('rendererTarget', () => {
  it('is the built file unless electron-vite dev set ELECTRON_RENDERER_URL, which a packaged app ignores', async () => {
    const { window } = await freshEdge()
    const file = { kind: 'file', path: join(root, 'out', 'renderer', 'index.html') }
    expect(window.rendererTarget({ packaged: false, env: {} })).toEqual(file)
    expect(window.rendererTarget({ packaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })).toEqual({
      kind: 'url',
      url: 'http://localhost:5173',
    })
    expect(window.rendererTarget({ packaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })).toEqual(file)
  })
})

describe('isTrustedRendererUrl', () => {
  it('accepts exactly our index.html (any hash or query) for the built app', async () => {
    const { window } = await freshEdge()
    const html = join(root, 'out', 'renderer', 'index.html')
    const target = { kind: 'file', path: html } as const
    const href = pathToFileURL(html).href
    const cases: Array<[string, boolean]> = [
      [href, true],
      [`${href}#/processes`, true],
      [`${href}?tab=tree`, true],
      [pathToFileURL(join(root, 'out', 'renderer', 'other.html')).href, false],
      [pathToFileURL(join(root, 'out', 'renderer')).href, false],
      [href.replace('file://', 'file://evil.example'), false],
      ['https://evil.example/index.html', false],
      ['http://localhost:5173/', false],
      ['about:blank', false],
      ['not a url', false],
      ['', false],
    ]
    for (const [url, expected] of cases) expect({ url, trusted: window.isTrustedRendererUrl(url, target) }).toEqual({ url, trusted: expected })
  })

  it('accepts the dev server origin only, in dev', async () => {
    const { window } = await freshEdge()
    const target = { kind: 'url', url: 'http://localhost:5173/' } as const
    const cases: Array<[string, boolean]> = [
      ['http://localhost:5173/', true],
      ['http://localhost:5173/src/main.tsx', true],
      ['http://localhost:5174/', false],
      ['https://localhost:5173/', false],
      ['http://127.0.0.1:5173/', false],
      [pathToFileURL(join(root, 'out', 'renderer', 'index.html')).href, false],
      ['data:text/html,hi', false],
    ]
    for (const [url, expected] of cases) expect({ url, trusted: window.isTrustedRendererUrl(url, target) }).toEqual({ url, trusted: expected })
  })
})

describe('isTrustedSender', () => {
  it('is the main frame of a window we created showing our renderer, and nothing else', async () => {
    const { electron, window, win, target } = await mainWindow()
    const wc = win.webContents
    expect(window.isTrustedSender({ sender: wc, senderFrame: wc.mainFrame }, target)).toBe(true)
    const iframe = wc.mainFrame.simulateChildFrame(wc.getURL())
    expect(window.isTrustedSender({ sender: wc, senderFrame: iframe }, target)).toBe(false)
    expect(window.isTrustedSender({ sender: wc, senderFrame: null }, target)).toBe(false)
    const other = new electron.BrowserWindow()
    await other.loadFile(window.appPaths.rendererHtml)
    expect(window.isTrustedSender({ sender: other.webContents, senderFrame: other.webContents.mainFrame }, target)).toBe(false)
    wc.mainFrame.url = 'https://evil.example/'
    expect(window.isTrustedSender({ sender: wc, senderFrame: wc.mainFrame }, target)).toBe(false)
  })
})

describe('revealWindow', () => {
  it('restores a minimised window, shows and focuses it', async () => {
    const { window, win } = await mainWindow()
    win.simulateReadyToShow()
    win.minimize()
    expect(win.isMinimized()).toBe(true)
    window.revealWindow(win as never)
    expect(win.isMinimized()).toBe(false)
    expect(win.isVisible()).toBe(true)
    expect(win.isFocused()).toBe(true)
  })
})
