import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'

/** A unique word to find a spawned process by its command line. */
export function uniqueArg(prefix = 'proctor-test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

const live = new Set<ChildProcess>()

/** A real, idle child process whose command line carries `marker`. */
export function spawnIdle(marker: string, script = 'setInterval(() => {}, 1000)'): ChildProcess {
  const child = spawn(process.execPath, ['-e', script, marker], { stdio: 'ignore' })
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

export function killAll(): void {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
}

process.once('exit', killAll)
