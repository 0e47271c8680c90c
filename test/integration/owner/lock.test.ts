import { spawn, spawnSync } from 'node:child_process'
import { buildSync } from 'esbuild'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { holderAlive, LOCK_FILE, OwnerLock, type LockHolder } from '../../../src/main/core/owner/ownerLock'
import { readProc } from '../../../src/main/core/supervisor/procTree'
import { killAll, spawnIdle, uniqueArg } from '../../helpers/children'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

const ROOT = resolve(__dirname, '../../..')
let racerFile: string | undefined
/** The racer bundled once, so each starts in plain node in tens of ms rather than tsx's second. */
function bundledRacer(): string {
  if (racerFile) return racerFile
  const outfile = join(tempDir(), 'lockRace.cjs')
  racerFile = outfile
  buildSync({ entryPoints: [resolve(ROOT, 'test/fixtures/owner/lockRace.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' })
  return outfile
}
const linux = process.platform === 'linux'

/** A pid that ran and is gone now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
  return Number(r.stdout.trim())
}

function plant(dataDir: string, holder: LockHolder): void {
  writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(holder))
}

interface RaceResult {
  pid: number
  acquired: boolean
  holder: LockHolder
}

/** `n` real processes try the lock in `dataDir` at the same moment. */
async function race(dataDir: string, n: number): Promise<RaceResult[]> {
  const racer = bundledRacer()
  const at = Date.now() + 600
  const racers = Array.from({ length: n }, () => spawn(process.execPath, [racer, dataDir, String(at)], { stdio: ['pipe', 'pipe', 'inherit'] }))
  const results = await Promise.all(
    racers.map(
      (child) =>
        new Promise<RaceResult>((resolveLine, reject) => {
          let out = ''
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString()
            if (out.endsWith('\n')) resolveLine(JSON.parse(out) as RaceResult)
          })
          child.once('exit', (code) => reject(new Error(`racer exited ${code} with ${JSON.stringify(out)}`)))
        }),
    ),
  )
  // Every racer has tried while the winner held the lock: now they end, the winner releasing it.
  await Promise.all(
    racers.map((child) => {
      child.stdin.end()
      return new Promise((r) => child.once('exit', r))
    }),
  )
  return results
}

describe('the owner lock', () => {
  afterAll(killAll)

  it('is taken by one, refused to a second naming the first, released on a clean exit', () => {
    const dir = tempDir()
    const first = OwnerLock.acquire(dir, 'daemon', 1000)
    expect(first.acquired).toBe(true)
    const content = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder
    expect(content).toEqual({ pid: process.pid, startTicks: readProc(process.pid)?.startTicks ?? 0, kind: 'daemon', since: 1000 })
    const second = OwnerLock.acquire(dir, 'desktop')
    expect(second).toEqual({ acquired: false, holder: content })
    if (first.acquired) {
      expect(first.lock.isHeld()).toBe(true)
      first.lock.release()
      expect(first.lock.isHeld()).toBe(false)
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
    // Nothing left aside: temp files and the takeover guard are gone.
    expect(readdirSync(dir)).toEqual([])
  })

  it('is taken over from a holder that died (kill -9 leaves the file)', () => {
    const dir = tempDir()
    const pid = deadPid()
    plant(dir, { pid, startTicks: 0, kind: 'daemon', since: 1 })
    expect(holderAlive({ pid, startTicks: 0 })).toBe(false)
    const attempt = OwnerLock.acquire(dir, 'daemon')
    expect(attempt.acquired).toBe(true)
    if (attempt.acquired) attempt.lock.release()
    expect(readdirSync(dir)).toEqual([])
  })

  it.skipIf(!linux)('is taken over when its pid now runs another process (start time differs); a damaged file is stale too', async () => {
    const dir = tempDir()
    const other = spawnIdle(uniqueArg('lockpid'))
    const pid = await waitFor(() => other.pid, 2000)
    const ticks = await waitFor(() => readProc(pid)?.startTicks, 2000)
    expect(holderAlive({ pid, startTicks: ticks })).toBe(true)
    plant(dir, { pid, startTicks: ticks + 1, kind: 'desktop', since: 1 })
    const attempt = OwnerLock.acquire(dir, 'daemon')
    expect(attempt.acquired).toBe(true)
    if (attempt.acquired) attempt.lock.release()

    writeFileSync(join(dir, LOCK_FILE), '{"pid": 1, "torn')
    const again = OwnerLock.acquire(dir, 'daemon')
    expect(again.acquired).toBe(true)
    if (again.acquired) again.lock.release()
  })

  it('has exactly one winner among real processes racing for it, free or stale', { timeout: 30_000 }, async () => {
    const free = tempDir()
    const stale = tempDir()
    plant(stale, { pid: deadPid(), startTicks: 0, kind: 'daemon', since: 1 })
    const onFree = await race(free, 4)
    const onStale = await race(stale, 4)
    for (const results of [onFree, onStale]) {
      const winners = results.filter((r) => r.acquired)
      expect(winners, JSON.stringify(results)).toHaveLength(1)
      const winner = winners[0] as RaceResult
      // The losers name the winner.
      for (const loser of results.filter((r) => !r.acquired)) expect(loser.holder.pid).toBe(winner.pid)
    }
    // Each winner released on its way out; nothing is left behind.
    expect(readdirSync(free)).toEqual([])
    expect(readdirSync(stale)).toEqual([])
  })
})
