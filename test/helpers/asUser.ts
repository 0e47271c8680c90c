import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { chmodSync, chownSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, parse } from 'node:path'
import { buildSync } from 'esbuild'
import { tempDir } from './tempDir'

/**
 * Runs a TypeScript fixture as another user (uid nobody by default), to see
 * what an unprivileged Proctor gets.
 *
 * The checkout may sit where that user cannot go (a clone under root's
 * home, mode 0700): tsx, the fixture and the sources it imports are then out
 * of reach, and the spawn fails before the fixture runs. So the fixture and
 * everything it imports are bundled into one file, in a fresh folder that
 * anyone can read, and run by this very node binary, from the user's own
 * data folder.
 */

export const NOBODY = 65534

const bundles = new Map<string, string>()

/** One self-contained CommonJS file for `entry`, readable by every user. */
function bundleFor(entry: string): string {
  const key = `${tmpdir()}\0${entry}`
  const known = bundles.get(key)
  if (known) return known
  const dir = tempDir('proctor-as-user-')
  chmodSync(dir, 0o755)
  const outfile = join(dir, `${parse(entry).name}.cjs`)
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' })
  chmodSync(outfile, 0o644)
  bundles.set(key, outfile)
  return outfile
}

/** Why `uid` cannot reach `path` (a folder on the way that others may not enter), or undefined. */
export function unreachable(path: string, uid: number): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = statSync(dir)
    if (st.uid !== uid && (st.mode & 0o001) === 0) return `${dir} is mode ${(st.mode & 0o777).toString(8)}, and uid ${uid} may not enter it`
    if (dirname(dir) === dir) return undefined
  }
}

/**
 * Why `uid` cannot run a fixture here, or undefined when it can: it must
 * reach and execute this node binary (not so for a node installed under a
 * private home), and reach the temp folder the fixture is bundled into.
 */
export function whyUserCannotRunFixtures(uid = NOBODY): string | undefined {
  const toNode = unreachable(process.execPath, uid)
  if (toNode) return `cannot run ${process.execPath} as uid ${uid}: ${toNode}`
  const bin = statSync(process.execPath)
  if (bin.uid !== uid && (bin.mode & 0o001) === 0) return `uid ${uid} may not execute ${process.execPath} (mode ${(bin.mode & 0o777).toString(8)})`
  const toTemp = unreachable(join(tmpdir(), 'x'), uid)
  if (toTemp) return `cannot put a fixture where uid ${uid} can read it: ${toTemp} (set TMPDIR to a folder others can enter)`
  return undefined
}

export interface AsUserRun {
  /** A folder owned by the user, also its HOME, TMPDIR and working folder. */
  dataDir: string
  result: SpawnSyncReturns<string>
}

/**
 * Runs the fixture `entry` (a .ts file) with `args` as `uid`/`gid` (nobody
 * by default), with `node` (this one by default). Throws, saying what
 * happened and what stands in the way, when it cannot be started or exits
 * with a failure. The fixture's first argument is the user's data folder.
 */
export function runFixtureAs(entry: string, args: string[], options: { uid?: number; gid?: number; node?: string } = {}): AsUserRun {
  const { uid = NOBODY, gid = NOBODY, node = process.execPath } = options
  const bundle = bundleFor(entry)
  const dataDir = tempDir()
  chownSync(dataDir, uid, gid)
  const result = spawnSync(node, [bundle, dataDir, ...args], {
    uid,
    gid,
    cwd: dataDir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dataDir, TMPDIR: dataDir },
    timeout: 30_000,
  })
  const what = `${basename(entry)} ${args.join(' ')} as uid ${uid}`
  if (result.error) {
    const hint = whyUserCannotRunFixtures(uid)
    throw new Error(`could not run ${what}: ${result.error.message}${hint ? ` (${hint})` : ''}`)
  }
  if (result.status !== 0) {
    const hint = whyUserCannotRunFixtures(uid)
    const how = result.status === null ? `signal ${result.signal}` : `exit ${result.status}`
    throw new Error(`${what} failed (${how}): ${result.stderr.trim() || '(no output on stderr)'}${hint ? ` (${hint})` : ''}`)
  }
  return { dataDir, result }
}
