import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'

/** A unique word to find a spawned process by its command line. */
export function uniqueArg(prefix = 'proctor-test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

const live = new Set<ChildProcess>()

/**
 * A real, idle child process whose command line carries `marker`. `argv0`
 * replaces the program name the child sees as argv[0] (its command line
 * then starts with it), as shells and supervisors may do.
 */
export function spawnIdle(marker: string, script = 'setInterval(() => {}, 1000)', options: { argv0?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, ['-e', script, marker], { stdio: 'ignore', ...(options.argv0 !== undefined ? { argv0: options.argv0 } : {}) })
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

export function killAll(): void {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
}

process.once('exit', killAll)
