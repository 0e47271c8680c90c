import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, resolve } from 'node:path'
import { EcosystemError } from '../../shared/ecosystem/errors'
import type { Imported } from '../../shared/ecosystem/imported'
import { importPm2 } from '../../shared/ecosystem/pm2'
import { importSupervisord } from '../../shared/ecosystem/supervisord'

/**
 * Reading another supervisor's configuration file from disk: which kind
 * it is, its text or (for a PM2 .config.js, only when the caller has the
 * user's consent) the value it exports, then the pure mappings.
 */

export type EcosystemKind = 'pm2-json' | 'pm2-js' | 'supervisord'

/** The kind by the file's name, else by its first characters. */
export function ecosystemKind(file: string, text?: string): EcosystemKind {
  const name = basename(file).toLowerCase()
  if (name.endsWith('.json') || name.endsWith('.json5')) return 'pm2-json'
  if (/\.(c?js|mjs)$/.test(name)) return 'pm2-js'
  if (/\.(conf|ini)$/.test(name)) return 'supervisord'
  const start = (text ?? '').trimStart()
  if (start.startsWith('{') || start.startsWith('[{') || start.startsWith('[\n') || start === '[]') return 'pm2-json'
  if (/^\s*\[[^\]]+\]/m.test(start)) return 'supervisord'
  throw new EcosystemError(`${file}: not a PM2 ecosystem file (.json, .config.js, .cjs) or a supervisord configuration (.conf, .ini)`)
}

export interface LoadOptions {
  /** For a .js file: the user agreed that it runs. Without it, a .js file is refused. */
  runJavaScript?: boolean
  /** PM2's --env NAME. */
  envName?: string
  env?: Record<string, string | undefined>
  /** How long a .config.js may take to export its value. */
  timeoutMs?: number
}

/** The value a PM2 .config.js exports: run by node in a child process in the file's folder (as `pm2 start` would require it). */
export function runEcosystemJs(file: string, timeoutMs = 10_000): Promise<unknown> {
  const script =
    'import(require("node:url").pathToFileURL(process.argv[1]).href).then((m) => {' +
    ' const v = m.default !== undefined ? m.default : { ...m };' +
    ' process.stdout.write(JSON.stringify(v)) }, (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1) })'
  return new Promise((done, fail) => {
    execFile(process.execPath, ['-e', script, file], { cwd: dirname(file), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const why = err.killed ? `did not finish within ${timeoutMs / 1000} s` : stderr.trim().split('\n').slice(0, 3).join(' / ') || err.message
        fail(new EcosystemError(`${file}: running it failed: ${why}`))
        return
      }
      try {
        done(JSON.parse(stdout) as unknown)
      } catch {
        fail(new EcosystemError(`${file}: what it exports is not plain data (JSON)`))
      }
    })
  })
}

export async function loadEcosystem(path: string, o: LoadOptions = {}): Promise<Imported> {
  const file = resolve(path)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new EcosystemError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
  }
  const kind = ecosystemKind(file, text)
  if (kind === 'supervisord') {
    try {
      return importSupervisord(text, { here: dirname(file), env: o.env ?? process.env, hostname: hostname() })
    } catch (err) {
      if (err instanceof EcosystemError) throw new EcosystemError(`${path}: ${err.message}`)
      throw err
    }
  }
  let value: unknown
  if (kind === 'pm2-js') {
    if (!o.runJavaScript) throw new EcosystemError(`${path} is JavaScript: reading it runs it, and that needs your consent`)
    value = await runEcosystemJs(file, o.timeoutMs)
  } else {
    try {
      value = JSON.parse(text)
    } catch (err) {
      throw new EcosystemError(`${path}: not valid JSON: ${(err as Error).message}`)
    }
  }
  try {
    return importPm2(value, { dir: dirname(file), ...(o.envName !== undefined ? { envName: o.envName } : {}) })
  } catch (err) {
    if (err instanceof EcosystemError) throw new EcosystemError(`${path}: ${err.message}`)
    throw err
  }
}
