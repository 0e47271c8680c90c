import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface StaticFile {
  body: Buffer
  type: string
}

/** A file under root for a URL path, or undefined; never anything outside root. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (rel.includes('\0')) return undefined
  if (rel === '/' || rel === '') rel = '/index.html'
  const full = normalize(join(root, rel))
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined
  try {
    if (!(await stat(full)).isFile()) return undefined
    return { body: await readFile(full), type: TYPES[extname(full)] ?? 'application/octet-stream' }
  } catch {
    return undefined
  }
}
