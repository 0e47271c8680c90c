import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { userInfo } from 'node:os'
import type { ProctorApi } from '../../shared/contract'
import { createApi } from '../../shared/rpc/client'
import { inProcessTransport } from '../../shared/rpc/inProcess'
import type { Caller } from '../../shared/types/caller'
import type { ParseArgsConfig } from 'node:util'
import { Engine, type EngineOptions } from '../core/engine'
import { defaultDataDir } from '../core/store/dataDir'

/** Shared by the commands: flag parsing, usage errors, the engine. */

/** The checkout (or installed package) this runs from: src/main/cli under tsx, out/main when bundled. */
export const ROOT = findRoot(__dirname)

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return resolve(from, '../../..')
  }
}

/** Bad input on the command line: usage is printed and the exit code is 2. */
export class UsageError extends Error {}

/** Flags every command takes. */
export const COMMON = { 'data-dir': { type: 'string' } } as const

/**
 * parseArgs in strict mode, its complaints turned into usage errors, and at
 * most `positionals` positional arguments.
 */
export function parse<T extends { positionals: string[] }>(run: () => T, positionals = 0): T {
  let parsed: T
  try {
    parsed = run()
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`)
  }
  return parsed
}

/** `-5`, `-0.5`, `-5x`: a dash then a digit. Proctor has no option named by a digit, so this is always a value. */
const NUMBER_LIKE = /^-[\d.]/

/**
 * node:util parseArgs reads `-5` as an unknown short option, and refuses it
 * as an option's value (`--grace -5` is "ambiguous"). Proctor has no short
 * options, so a number-like argument is a value: of the string option just
 * before it (passed on as `--grace=-5`), else a positional (`renice 4242
 * -5`). When there is such a positional, every positional moves, in order,
 * after a `--`, which is how parseArgs takes arguments that start with a
 * dash. Anything else is left for parseArgs to judge.
 */
export function numbersAsValues(args: readonly string[], options: ParseArgsConfig['options']): string[] {
  const flags: string[] = []
  const positionals: string[] = []
  let dashed = false
  let joined = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--') {
      positionals.push(...args.slice(i + 1))
      dashed = true
      break
    }
    const next = args[i + 1]
    const takesValue = arg.startsWith('--') && !arg.includes('=') && options?.[arg.slice(2)]?.type === 'string'
    if (takesValue && next !== undefined) {
      if (NUMBER_LIKE.test(next)) {
        flags.push(`${arg}=${next}`)
        joined = true
      } else {
        flags.push(arg, next)
      }
      i += 1
    } else if (arg.startsWith('-') && !NUMBER_LIKE.test(arg)) {
      flags.push(arg)
    } else {
      dashed ||= arg.startsWith('-')
      positionals.push(arg)
    }
  }
  if (dashed) return [...flags, '--', ...positionals]
  return joined ? [...flags, ...positionals] : [...args]
}

export function version(): string {
  try {
    return (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return '0.0.0'
  }
}

/** How the audit log names this command: its pid and the user who ran it. */
export function cliCaller(): Caller {
  let user: string
  try {
    user = userInfo().username
  } catch {
    user = String(process.getuid?.() ?? 'unknown')
  }
  return { kind: 'cli', detail: `pid ${process.pid}, user ${user}` }
}

/** The contract in process, as this command: what the app and the host serve, audited as the CLI. */
export function cliApi(engine: Engine): ProctorApi {
  return createApi(inProcessTransport(engine.router, cliCaller()))
}

export function engineFor(dataDir: unknown, extra: Partial<EngineOptions> = {}): Engine {
  return new Engine({ dataDir: typeof dataDir === 'string' ? dataDir : defaultDataDir(), version: version(), ...extra })
}

/** An integer flag or positional within bounds, else a usage error naming it. */
export function intArg(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer ${min}..${max}, got ${JSON.stringify(value ?? '')}`)
  }
  return n
}
