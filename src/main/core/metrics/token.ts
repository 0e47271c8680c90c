import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../store/atomicFile'

/** A token as PROCTOR_TOKEN takes it (the headless host's too): 32 to 256 of A-Z a-z 0-9 - _. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,256}$/

export const METRICS_TOKEN_FILE = 'metrics.token'

/** The token or why there is none, in words naming what to fix. */
export type TokenReading = { ok: true; token: string; source: string } | { ok: false; problem: string }

/**
 * The bearer token /metrics asks for. PROCTOR_TOKEN when set, so one token
 * serves the headless host and the endpoint; otherwise the token in the
 * data folder's metrics.token (mode 0600), made on first use and kept, so
 * Prometheus reads it with `credentials_file` and it survives restarts.
 */
export function metricsToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): TokenReading {
  const fixed = env.PROCTOR_TOKEN
  if (fixed !== undefined) {
    return TOKEN_PATTERN.test(fixed)
      ? { ok: true, token: fixed, source: 'PROCTOR_TOKEN' }
      : { ok: false, problem: 'PROCTOR_TOKEN must be 32 to 256 characters of A-Z a-z 0-9 - _ (or unset, for the token in metrics.token)' }
  }
  const path = join(dataDir, METRICS_TOKEN_FILE)
  let kept: string | undefined
  try {
    kept = readFileSync(path, 'utf8').trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, problem: `${path} cannot be read: ${(err as Error).message}` }
  }
  if (kept !== undefined) {
    return TOKEN_PATTERN.test(kept)
      ? { ok: true, token: kept, source: path }
      : { ok: false, problem: `${path} must hold one token of 32 to 256 characters of A-Z a-z 0-9 - _ (delete it for a new one)` }
  }
  const token = randomBytes(32).toString('base64url')
  writeFileAtomic(path, `${token}\n`, 0o600)
  return { ok: true, token, source: path }
}

/** Whether an Authorization header is `Bearer <token>`, compared in constant time. */
export function hasBearer(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '')
  if (!match) return false
  const offered = Buffer.from(match[1]!)
  const wanted = Buffer.from(token)
  return offered.length === wanted.length && timingSafeEqual(offered, wanted)
}
