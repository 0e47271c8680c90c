import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/rpc/protocol'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Whether a WebSocket handshake carries the token, offered as the
 * subprotocol `proctor.token.TOKEN`. Nothing else authenticates: not the
 * query (URLs leak into logs and history) and never a cookie (cookies
 * ignore ports, so every other local web server would receive it).
 */
export function hasToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers['sec-websocket-protocol']
  if (typeof header !== 'string') return false
  for (const part of header.split(',')) {
    const offered = part.trim()
    if (offered.startsWith(TOKEN_SUBPROTOCOL_PREFIX) && sameToken(offered.slice(TOKEN_SUBPROTOCOL_PREFIX.length), token)) return true
  }
  return false
}

export function isWildcard(bindHost: string): boolean {
  return bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '[::]'
}

/** How an address or name appears in a Host header: IPv6 in brackets, lower case. */
export function hostName(name: string): string {
  const bare = name.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  return isIP(bare) === 6 ? `[${bare}]` : bare
}

/**
 * The Host header values this server answers to (against DNS rebinding):
 * loopback names, the bind address, names the user allowed (--allow-host),
 * and, bound to a wildcard (0.0.0.0, ::), every address of this machine's
 * interfaces, read again when a Host is not found (addresses come and go).
 */
export class AllowedHosts {
  private readonly fixed: Set<string>

  constructor(
    private readonly bindHost: string,
    private readonly port: number,
    allowHost: readonly string[] = [],
  ) {
    const names = ['127.0.0.1', 'localhost', '::1', ...allowHost]
    if (!isWildcard(bindHost)) names.push(bindHost)
    this.fixed = this.withPort(names)
  }

  has(host: string): boolean {
    const wanted = host.toLowerCase()
    if (this.fixed.has(wanted)) return true
    return isWildcard(this.bindHost) && this.interfaceHosts().has(wanted)
  }

  /** Every Host value accepted now, for messages. */
  names(): string[] {
    const all = new Set(this.fixed)
    if (isWildcard(this.bindHost)) for (const host of this.interfaceHosts()) all.add(host)
    return [...all].sort()
  }

  /** The machine's own addresses, as Host values with this port. */
  interfaceHosts(): Set<string> {
    const addresses: string[] = []
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) addresses.push(info.address)
    }
    return this.withPort(addresses)
  }

  private withPort(names: readonly string[]): Set<string> {
    const hosts = new Set<string>()
    for (const name of names) {
      const host = hostName(name)
      hosts.add(`${host}:${this.port}`)
      // A browser leaves the default port out of Host and Origin.
      if (this.port === 80) hosts.add(host)
    }
    return hosts
  }
}

/**
 * Host and Origin checks against DNS rebinding and cross-site pages: the
 * Host header must name this server, and a browser's Origin must be ours.
 */
export function checkHostAndOrigin(req: IncomingMessage, hosts: AllowedHosts): string | undefined {
  const host = req.headers.host
  if (!host || !hosts.has(host)) return `Host ${JSON.stringify(host ?? '')} is not this server`
  const origin = req.headers.origin
  if (origin !== undefined && (!origin.startsWith('http://') || !hosts.has(origin.slice('http://'.length)))) {
    return `Origin ${JSON.stringify(origin)} is not allowed`
  }
  return undefined
}
