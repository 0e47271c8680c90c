import { buildSync } from 'esbuild'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pidExists } from '../../src/main/core/processes/signalZero'

const ROOT = resolve(__dirname, '../..')
const CACHE = join(ROOT, 'node_modules', '.cache', 'proctor-test')

/**
 * `entry` bundled into one file run by plain node (NAME-PID-RAND.cjs),
 * inside the checkout so the code finds its package.json, removed when
 * this process exits. A test worker that is killed never sees its exit:
 * bundles of processes no longer running are swept here.
 */
export function bundled(entry: string, name: string): string {
  mkdirSync(CACHE, { recursive: true })
  for (const file of readdirSync(CACHE)) {
    const pid = /^[a-z]+-(\d+)-/.exec(file)?.[1]
    if (pid !== undefined && !pidExists(Number(pid))) rmSync(join(CACHE, file), { force: true })
  }
  const outfile = join(CACHE, `${name}-${process.pid}-${Math.random().toString(36).slice(2)}.cjs`)
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' })
  process.once('exit', () => rmSync(outfile, { force: true }))
  return outfile
}

/**
 * The command line bundled into one file run by plain node: the same code
 * in a third of the time tsx takes to start it, and the process is the CLI
 * itself (tsx runs node as its own child), so signals reach it. Built once
 * per test file.
 */
export function bundledCli(): string {
  return bundled(join(ROOT, 'src/main/cli/main.ts'), 'cli')
}
