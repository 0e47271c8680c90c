import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach } from 'vitest'

const live = new Set<ChildProcess>()

afterEach(() => {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
})

/** Scripts for real child programs: one spinning a core, one idle, one holding ~100 MB it has written to. */
export const SPIN = 'for (;;) {}'
export const IDLE = 'setInterval(() => {}, 1000)'
export const HOLD_100_MB = 'const b = Buffer.alloc(100 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000)'

/**
 * A real Node child running `script`, resolved once Node has started and
 * the script's first statements ran (it says so on stdout): a start takes
 * a core for a moment, which would count as the script's own CPU. Killed
 * after each test.
 */
export async function startChild(script: string): Promise<ChildProcess & { pid: number }> {
  // The script's loop must not block the word: print it first, then run.
  const child = spawn(process.execPath, ['-e', `process.stdout.write('ready\\n'); setImmediate(() => { ${script} })`], { stdio: ['ignore', 'pipe', 'ignore'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('error', reject)
  })
  child.stdout.resume()
  if (child.pid === undefined) throw new Error('the child has no pid')
  return child as ChildProcess & { pid: number }
}
