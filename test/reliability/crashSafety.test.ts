import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { connectToOwner, type OwnerConnection } from '../../src/main/core/owner/controlClient'
import type { ProctorApi } from '../../src/shared/contract'
import { bundledCli } from '../helpers/bundledCli'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'
import { figure, scaled } from './figures'

/*
 * Crash safety of state: the owner is killed with SIGKILL while it writes
 * the settings, the program registry and the pool definitions, over and
 * over. After each restart every file must load (none set aside as
 * corrupt), hold the last write the owner acknowledged (or the one in
 * flight when it died), and no temp file may be left behind.
 */

const ROOT = resolve(__dirname, '../..')
const CLI = bundledCli()
const started: ChildProcess[] = []

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

interface Owner {
  child: ChildProcess
  conn: OwnerConnection
}

async function startOwner(dataDir: string, runtimeDir: string): Promise<Owner> {
  const child = spawn(process.execPath, [CLI, 'daemon', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, PROCTOR_RUNTIME_DIR: runtimeDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  await waitFor(() => /listening on /.test(out) || child.exitCode !== null, 20_000, 'the daemon to listen')
  expect(child.exitCode, out).toBeNull()
  const conn = await connectToOwner(runtimeDir, { client: 'reliability test' })
  return { child, conn }
}

async function killHard(owner: Owner): Promise<void> {
  const gone = new Promise((r) => owner.child.once('exit', r))
  owner.child.kill('SIGKILL')
  await gone
  owner.conn.close()
}

/** Files in the data folder that say a write went wrong: set aside as corrupt, or a temp file never renamed. */
function leftovers(dataDir: string): string[] {
  return readdirSync(dataDir).filter((f) => f.includes('.corrupt-') || f.endsWith('.tmp'))
}

interface StateKind {
  name: string
  /** Once per owner start, before the writes (switches the writes need). */
  prepare?: (api: ProctorApi) => Promise<unknown>
  /** Write number i; resolves when the owner acknowledged it. */
  write: (api: ProctorApi, i: number) => Promise<unknown>
  /** After a restart: which writes are there (true for each i in `expected`). */
  holds: (api: ProctorApi, i: number) => Promise<boolean>
}

const kinds: StateKind[] = [
  {
    name: 'settings',
    write: (api, i) => api.updateSettings({ metricsHistorySize: 60 + i }),
    holds: async (api, i) => (await api.getSettings()).metricsHistorySize === 60 + i,
  },
  {
    name: 'registry',
    write: (api, i) => api.addProgram({ program: { name: `w${i}`, command: 'sleep', args: ['1000'], autostart: false }, start: false }),
    holds: async (api, i) => (await api.listPrograms()).programs.some((p) => p.name === `w${i}`),
  },
  {
    name: 'pools',
    prepare: (api) => api.updateSettings({ enableIPC: true, enablePooling: true }),
    write: (api, i) => api.createPool({ poolId: `q${i}`, config: { workerCommand: 'sleep', workerArgs: ['1000'], minWorkers: 0, maxWorkers: 1 } }),
    holds: async (api, i) => (await api.getAllPools()).pools.some((p) => p.id === `q${i}`),
  },
]

describe('crash safety of state: SIGKILL of the owner while it writes', () => {
  const writes = scaled(20, 1000)
  const kills = scaled(2, 10)

  for (const kind of kinds) {
    it(`${kind.name}: ${writes} writes, ${kills} kills: every file loads, the last acknowledged write is there, no temp file left`, async () => {
      const dataDir = tempDir()
      const runtimeDir = join(tempDir('pr-'), 'rt')
      // Kill points spread at random over the writes; the owner dies during the write after each.
      const killAt = new Set<number>()
      while (killAt.size < kills) killAt.add(1 + Math.floor(Math.random() * (writes - 1)))
      const acked: number[] = []
      const lost = new Set<number>()
      const corrupt = new Set<string>()
      /** The writes acknowledged so far, all of them for the kinds that grow, the last for settings. */
      const mustHold = () => (kind.name === 'settings' ? acked.slice(-1) : acked)
      let next = 0
      let pending: number | undefined
      for (;;) {
        const owner = await startOwner(dataDir, runtimeDir)
        const api = owner.conn.api
        for (const f of leftovers(dataDir)) corrupt.add(f)
        // The write in flight when the owner died may have landed or not; either is right, but once there it must stay.
        if (pending !== undefined && !acked.includes(pending) && (await kind.holds(api, pending))) acked.push(pending)
        for (const i of mustHold()) if (!(await kind.holds(api, i))) lost.add(i)
        await kind.prepare?.(api)
        if (next >= writes) {
          await killHard(owner)
          break
        }
        while (next < writes && !killAt.has(next)) {
          await kind.write(api, next)
          acked.push(next++)
        }
        if (next >= writes) {
          // All written: one more (hard) restart below checks the lot.
          await killHard(owner)
          continue
        }
        const i = (pending = next++)
        const inFlight = kind
          .write(api, i)
          .then(() => acked.push(i))
          .catch(() => undefined)
        await new Promise((r) => setTimeout(r, Math.random() * 4))
        await killHard(owner)
        await inFlight
      }
      figure(`crash safety, ${kind.name}`, { writes, kills, corrupt_or_temp_files: corrupt.size, acknowledged_writes_lost: lost.size })
      expect([...corrupt]).toEqual([])
      expect([...lost]).toEqual([])
    })
  }
})
