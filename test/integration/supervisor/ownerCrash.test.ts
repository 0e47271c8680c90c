import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connectToOwner } from '../../../src/main/core/owner/controlClient'
import { REGISTRY_FILE } from '../../../src/main/core/supervisor/registry'
import { REGISTRY_SCHEMA_VERSION } from '../../../src/shared/supervisor/programSet'
import type { ProgramStatus } from '../../../src/shared/supervisor/status'
import { uniqueArg } from '../../helpers/children'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

const ROOT = resolve(__dirname, '../../..')
const NAMES = ['one', 'two', 'three', 'four', 'five']
const started: number[] = []
/** The programs' tags: whatever carries one is killed after the test, passed or failed (a failure between the two owners left orphans running). */
const tagged: string[] = []

afterEach(async () => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      continue
    }
    await waitFor(() => !alive(pid), 10_000, `daemon ${pid} to stop`)
  }
  // After the daemons (which stop their own): what a killed owner left behind.
  for (const tag of tagged.splice(0)) {
    for (const pid of withArg(tag)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
  }
})

function alive(pid: number): boolean {
  try {
    return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))
  } catch {
    return false
  }
}

/** Living processes whose argv holds `tag`. */
function withArg(tag: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(tag) && alive(Number(pid))
      } catch {
        return false
      }
    })
    .map(Number)
}

function startDaemon(dataDir: string, runtimeDir: string): void {
  // Node itself is the daemon (tsx as a loader, not its wrapper process), so signals reach it.
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/main/cli/main.ts'), 'daemon', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, PROCTOR_RUNTIME_DIR: runtimeDir },
    stdio: 'ignore',
  })
  started.push(child.pid!)
}

/** The programs once all five run, and the owner's pid. */
async function allRunning(runtimeDir: string, except: number[] = []): Promise<{ owner: number; programs: ProgramStatus[] }> {
  return waitFor(
    async () => {
      const c = await connectToOwner(runtimeDir).catch(() => undefined)
      if (!c) return undefined
      try {
        const programs = (await c.api.listPrograms()).programs
        const ready = programs.length === 5 && programs.every((p) => p.state === 'running' && p.pid !== undefined && !except.includes(p.pid))
        return ready ? { owner: c.owner.pid, programs } : undefined
      } finally {
        c.close()
      }
    },
    20_000,
    'five programs running',
  )
}

describe('an owner killed with kill -9', () => {
  it('leaves its five programs running; the next owner stops them and starts each again, so each runs exactly once', async () => {
    const dataDir = tempDir()
    const runtimeDir = tempDir()
    const tags = Object.fromEntries(NAMES.map((n) => [n, uniqueArg(`crash-${n}`)]))
    tagged.push(...Object.values(tags))
    const programs = NAMES.map((name) => ({
      name,
      command: process.execPath,
      // A child too: it must not be left running twice either.
      args: ['-e', 'require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", process.argv[1]], { stdio: "ignore" }); setInterval(() => {}, 1000)', tags[name]],
      autostart: true,
      startSeconds: 0,
    }))
    writeFileSync(join(dataDir, REGISTRY_FILE), JSON.stringify({ schemaVersion: REGISTRY_SCHEMA_VERSION, programs }))

    startDaemon(dataDir, runtimeDir)
    const first = await allRunning(runtimeDir)
    for (const n of NAMES) await waitFor(() => withArg(tags[n]!).length === 2, 5000, `${n} and its child`)
    process.kill(first.owner, 'SIGKILL')
    await waitFor(() => !alive(first.owner), 5000, 'the owner to die')
    // Orphaned, not stopped: their output has nowhere to go now.
    for (const p of first.programs) expect(alive(p.pid!)).toBe(true)

    startDaemon(dataDir, runtimeDir)
    const second = await allRunning(runtimeDir, first.programs.map((p) => p.pid!))
    expect(second.owner).not.toBe(first.owner)
    for (const p of first.programs) expect(alive(p.pid!)).toBe(false)
    for (const n of NAMES) {
      // Exactly once: the program and its one child, nothing left from before.
      await waitFor(() => withArg(tags[n]!).length === 2, 5000, `${n} once`)
      expect(withArg(tags[n]!).sort()).toEqual(expect.arrayContaining([second.programs.find((p) => p.name === n)!.pid!]))
    }
    const c = await connectToOwner(runtimeDir)
    const overview = await c.api.listPrograms()
    c.close()
    expect(overview.notices.join(' ')).toMatch(/Found 5 programs left running by a Proctor that ended without stopping them/)
  }, 60_000)
})
