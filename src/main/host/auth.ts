import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'proctor_token'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The token may come in the query (first load, WebSocket) or in the cookie set on first load (assets). */
export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const fromQuery = url.searchParams.get('token')
  if (fromQuery !== null && sameToken(fromQuery, token)) return true
  const fromCookie = cookieValue(req.headers.cookie, TOKEN_COOKIE)
  return fromCookie !== undefined && sameToken(fromCookie, token)
}

/**
 * Host and Origin checks against DNS rebinding and cross-site pages: the
 * Host header must name this server, and a browser's Origin must be ours.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost)
  return new Set([...names].map((n) => `${n}:${port}`))
}

export function checkHostAndOrigin(req: IncomingMessage, hosts: Set<string>): string | undefined {
  const host = req.headers.host
  if (!host || !hosts.has(host.toLowerCase())) return `Host ${JSON.stringify(host ?? '')} is not this server`
  const origin = req.headers.origin
  if (origin !== undefined && !hosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())) {
    return `Origin ${JSON.stringify(origin)} is not allowed`
  }
  if (origin !== undefined && !origin.startsWith('http://')) return `Origin ${JSON.stringify(origin)} is not allowed`
  return undefined
}
