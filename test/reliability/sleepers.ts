import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { waitFor } from '../helpers/wait'

/**
 * `count` sleeping processes whose command line starts with one unique
 * marker (exec -a), started by one shell in a process group of its own,
 * so that stop() ends them all with one signal.
 */
export async function startSleepers(count: number, prefix: string): Promise<{ marker: string; running: () => number; stop: () => void }> {
  const marker = `${prefix}-${randomBytes(4).toString('hex')}`
  const group: ChildProcess = spawn('bash', ['-c', `for i in $(seq ${count}); do (exec -a ${marker} sleep 100000) & done; wait`], { stdio: 'ignore', detached: true })
  const running = () => {
    try {
      return Number(execFileSync('pgrep', ['-c', '-f', `^${marker}`]))
    } catch {
      return 0
    }
  }
  const stop = () => {
    try {
      process.kill(-group.pid!, 'SIGKILL')
    } catch {
      // gone already
    }
  }
  try {
    await waitFor(() => running() >= count, 120_000, `${count} sleepers to start`)
  } catch (err) {
    stop()
    throw err
  }
  return { marker, running, stop }
}
