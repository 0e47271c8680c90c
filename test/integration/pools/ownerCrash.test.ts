import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connectToOwner } from '../../../src/main/core/owner/controlClient'
import type { PoolStatus } from '../../../src/shared/pools/pool'
import { dataDirWith } from '../../helpers/dataDir'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'
import { workerConfig } from './harness'

/*
 * An owner killed with kill -9 while its pool runs: its workers do not
 * outlive it for long (the next owner stops what it finds; a worker that
 * lost its broker for good exits), and the pool comes back with fresh ones.
 */

const ROOT = resolve(__dirname, '../../..')
const started: number[] = []

afterEach(async () => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      continue
    }
    await waitFor(() => !alive(pid), 10_000, `daemon ${pid} to stop`)
  }
})

function alive(pid: number): boolean {
  try {
    return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))
  } catch {
    return false
  }
}

function startDaemon(dataDir: string, runtimeDir: string): void {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/main/cli/main.ts'), 'daemon', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, PROCTOR_RUNTIME_DIR: runtimeDir },
    stdio: 'ignore',
  })
  started.push(child.pid!)
}

async function poolOf(runtimeDir: string, poolId: string, except: number[] = []): Promise<{ owner: number; status: PoolStatus }> {
  return waitFor(
    async () => {
      const c = await connectToOwner(runtimeDir).catch(() => undefined)
      if (!c) return undefined
      try {
        const status = await c.api.getPoolStatus({ poolId }).catch(() => undefined)
        const ready = status && status.workers.length === 2 && status.workers.every((w) => w.state === 'idle' && !except.includes(w.pid!))
        return ready ? { owner: c.owner.pid, status } : undefined
      } finally {
        c.close()
      }
    },
    30_000,
    `two idle workers in ${poolId}`,
  )
}

describe('an owner killed with kill -9 while a pool runs', () => {
  it('leaves no worker of it running for good; the next owner brings the pool back with fresh workers', async () => {
    const dataDir = dataDirWith({ enableIPC: true, enablePooling: true })
    const runtimeDir = tempDir()
    startDaemon(dataDir, runtimeDir)
    const c = await waitFor(() => connectToOwner(runtimeDir).catch(() => undefined), 20_000, 'the daemon')
    await c.api.createPool({ poolId: 'crash', config: workerConfig({ minWorkers: 2, maxWorkers: 2, scalingStrategy: 'fixed' }) })
    c.close()
    const first = await poolOf(runtimeDir, 'crash')
    const pids = first.status.workers.map((w) => w.pid!)
    process.kill(first.owner, 'SIGKILL')
    await waitFor(() => !alive(first.owner), 5000, 'the owner to die')

    startDaemon(dataDir, runtimeDir)
    const second = await poolOf(runtimeDir, 'crash', pids)
    expect(second.owner).not.toBe(first.owner)
    await waitFor(() => pids.every((p) => !alive(p)), 15_000, 'the first owner\'s workers gone')
    const d = await connectToOwner(runtimeDir)
    try {
      const t = await d.api.awaitTask({ taskId: (await d.api.submitTaskToPool({ poolId: 'crash', payload: { op: 'echo', value: 'again' } })).taskId, timeoutMs: 20_000 })
      expect(t).toMatchObject({ state: 'done', result: { value: 'again' } })
    } finally {
      d.close()
    }
  }, 90_000)
})
