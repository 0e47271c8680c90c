import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { FakeBrowserWindow } from '../fakes/electron'
import { freshEdge } from './support'

const root = resolve(import.meta.dirname, '..', '..')
const appUrl = pathToFileURL(join(root, 'out', 'renderer', 'index.html')).href

/** applySecurity as index.ts calls it, then a main window: its webContents gets the restrictions as it is created. */
async function secured(externalOrigins?: readonly string[]) {
  const { electron, window, security } = await freshEdge()
  const target = window.rendererTarget({ packaged: false, env: {} })
  security.applySecurity({ isAppUrl: (url) => window.isTrustedRendererUrl(url, target), externalOrigins })
  const win = window.createMainWindow({ target }) as unknown as FakeBrowserWindow
  return { electron, security, win, contents: win.webContents }
}

describe('navigation', () => {
  it('stays on our renderer: a link or redirect elsewhere is blocked and not opened outside', async () => {
    const { electron, contents } = await secured()
    expect(contents.getURL()).toBe(appUrl)
    expect(contents.simulateNavigation('https://evil.example/')).toBe(false)
    expect(contents.simulateNavigation('file:///etc/passwd')).toBe(false)
    expect(contents.simulateRedirect('https://evil.example/login')).toBe(false)
    expect(contents.getURL()).toBe(appUrl)
    expect(contents.simulateNavigation(`${appUrl}#/tree`)).toBe(true)
    expect(electron.shell.opened).toEqual([])
  })

  it('a link to an allowed https origin is blocked in the window and opened in the browser instead', async () => {
    const { electron, contents } = await secured(['https://proctor.example'])
    expect(contents.simulateNavigation('https://proctor.example/docs')).toBe(false)
    expect(electron.shell.opened).toEqual(['https://proctor.example/docs'])
  })

  it('applies to every webContents, not only the main window', async () => {
    const { electron } = await secured()
    const other = new electron.BrowserWindow()
    expect(other.webContents.simulateNavigation('https://evil.example/')).toBe(false)
    expect(other.webContents.simulateWindowOpen('https://evil.example/')).toEqual({ action: 'deny' })
  })
})

describe('window.open', () => {
  it('is always denied; only https URLs on the allowlist go to shell.openExternal', async () => {
    const { electron, contents } = await secured(['https://proctor.example'])
    const urls = [
      'https://proctor.example/docs/query',
      'http://proctor.example/docs',
      'https://proctor.example.evil.example/',
      'https://user:pw@proctor.example/',
      'https://evil.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      appUrl,
    ]
    for (const url of urls) expect({ url, answer: contents.simulateWindowOpen(url) }).toEqual({ url, answer: { action: 'deny' } })
    expect(electron.shell.opened).toEqual(['https://proctor.example/docs/query'])
  })

  it('with the shipped allowlist, nothing is opened outside', async () => {
    const { electron, security, contents } = await secured()
    for (const origin of security.EXTERNAL_ORIGINS) expect(new URL(origin).origin).toBe(origin)
    for (const origin of security.EXTERNAL_ORIGINS) expect(origin.startsWith('https://')).toBe(true)
    contents.simulateWindowOpen('https://evil.example/')
    expect(electron.shell.opened).toEqual([])
  })
})

describe('webview', () => {
  it('may not attach', async () => {
    const { contents } = await secured()
    expect(contents.simulateAttachWebview('https://evil.example/')).toBe(false)
    expect(contents.simulateAttachWebview(appUrl)).toBe(false)
  })
})

describe('permissions', () => {
  it('requests and checks are denied by default', async () => {
    const { electron, contents } = await secured()
    const ses = electron.session.defaultSession
    expect(ses.permissionRequestHandler).not.toBeNull()
    expect(ses.permissionCheckHandler).not.toBeNull()
    for (const permission of ['notifications', 'geolocation', 'media', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      expect({ permission, granted: await ses.simulatePermissionRequest(contents, permission) }).toEqual({ permission, granted: false })
      expect({ permission, checked: ses.simulatePermissionCheck(contents, permission, appUrl) }).toEqual({ permission, checked: false })
    }
  })

  it('grants only the listed permissions, and only to our renderer', async () => {
    const { electron, security, contents } = await secured()
    const ses = electron.session.defaultSession
    expect(security.GRANTED_PERMISSIONS).toEqual(['clipboard-sanitized-write'])
    expect(await ses.simulatePermissionRequest(contents, 'clipboard-sanitized-write')).toBe(true)
    expect(ses.simulatePermissionCheck(contents, 'clipboard-sanitized-write', appUrl)).toBe(true)
    expect(await ses.simulatePermissionRequest(contents, 'clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(ses.simulatePermissionCheck(null, 'clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
  })
})

describe('isAllowedExternalUrl', () => {
  it('wants https, no credentials, and an exact origin on the list', async () => {
    const { security } = await freshEdge()
    const list = ['https://proctor.example']
    expect(security.isAllowedExternalUrl('https://proctor.example/a?b#c', list)).toBe(true)
    expect(security.isAllowedExternalUrl('https://proctor.example:443/', list)).toBe(true)
    expect(security.isAllowedExternalUrl('https://proctor.example:8443/', list)).toBe(false)
    expect(security.isAllowedExternalUrl('https://sub.proctor.example/', list)).toBe(false)
    expect(security.isAllowedExternalUrl('http://proctor.example/', list)).toBe(false)
    expect(security.isAllowedExternalUrl('https://proctor.example/', [])).toBe(false)
    expect(security.isAllowedExternalUrl('::', list)).toBe(false)
  })
})
