import { buildSync } from 'esbuild'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '../..')

/**
 * The command line bundled into one file run by plain node: the same code
 * in a third of the time tsx takes to start it, and the process is the CLI
 * itself (tsx runs node as its own child), so signals reach it. Built once
 * per test file, inside the checkout so the CLI finds its package.json.
 */
export function bundledCli(): string {
  const dir = join(ROOT, 'node_modules', '.cache', 'proctor-test')
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `cli-${process.pid}-${Math.random().toString(36).slice(2)}.cjs`)
  buildSync({ entryPoints: [join(ROOT, 'src/main/cli/main.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' })
  process.once('exit', () => rmSync(outfile, { force: true }))
  return outfile
}
