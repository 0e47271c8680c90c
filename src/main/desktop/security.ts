import { app, session, shell } from 'electron'

/*
 * Every restriction on web content, in one place (after Podman Desktop's
 * security-restrictions.ts). The window's own settings (sandbox, context
 * isolation, ...) are in window.ts; the CSP is in src/renderer/index.html.
 */

/**
 * Origins a link may open in the user's browser. https only, compared as
 * whole origins. Empty until Proctor has a public site; add its origin here.
 */
export const EXTERNAL_ORIGINS: readonly string[] = []

/**
 * Permissions our own renderer is granted; every other permission, and any
 * permission for any other page, is denied. Writing text to the clipboard
 * (copy a command line, a pid) is the only one the UI needs.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write']

export interface SecurityOptions {
  /** Whether a URL is our renderer (navigation to it is allowed). */
  isAppUrl(url: string): boolean
  /** Defaults to EXTERNAL_ORIGINS; tests pass their own. */
  externalOrigins?: readonly string[]
}

/** True for an https URL, without credentials, whose origin is on the list. */
export function isAllowedExternalUrl(url: string, origins: readonly string[] = EXTERNAL_ORIGINS): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false
  return origins.includes(parsed.origin)
}

/** The webContents events the restrictions use (Electron's WebContents fits). */
interface RestrictedContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void; url: string }) => void): unknown
  on(event: 'will-redirect', listener: (event: { preventDefault(): void; url: string }) => void): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/** Navigation stays on our renderer; window.open never opens a window; no <webview>. */
export function restrictWebContents(contents: RestrictedContents, options: SecurityOptions): void {
  const origins = options.externalOrigins ?? EXTERNAL_ORIGINS
  const openOutside = (url: string): void => {
    // electronegativity: OPEN_EXTERNAL_JS_CHECK: only https URLs of the allowed origins (EXTERNAL_ORIGINS) reach the shell.
    if (isAllowedExternalUrl(url, origins)) void shell.openExternal(url).catch(() => {})
  }
  const keepOnApp = (event: { preventDefault(): void; url: string }): void => {
    if (options.isAppUrl(event.url)) return
    event.preventDefault()
    openOutside(event.url)
  }
  contents.on('will-navigate', keepOnApp)
  contents.on('will-redirect', keepOnApp)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
}

/**
 * Installs the restrictions: on every webContents as it is created, and the
 * default session's permission handlers (deny unless our renderer asks for
 * one of GRANTED_PERMISSIONS). Call once, after app ready, before any window.
 */
export function applySecurity(options: SecurityOptions): void {
  app.on('web-contents-created', (_event, contents) => restrictWebContents(contents, options))
  const granted = (permission: string, url: string | undefined, isMainFrame: boolean): boolean =>
    GRANTED_PERMISSIONS.includes(permission) && isMainFrame && url !== undefined && options.isAppUrl(url)
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(granted(permission, details.requestingUrl, details.isMainFrame))
  })
  session.defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    granted(permission, details.requestingUrl, details.isMainFrame),
  )
}
