import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tempDir'
import { figure, scaled } from './figures'
import { startSleepers } from './sleepers'

/*
 * A low open-file limit: the engine runs under `ulimit -n 256` while the
 * machine holds thousands of processes. It keeps fewer descriptors (a
 * budget of a quarter of the limit) and must still see every process,
 * log no error, and not fail.
 */

const ROOT = resolve(__dirname, '../..')
const FIXTURE = join(__dirname, 'fixtures/collectUnderLimit.ts')
const SLEEPERS = scaled(600, 2000)
const REFRESHES = scaled(6, 20)
let stopSleepers = () => {}

afterAll(() => stopSleepers())

describe(`the engine under ulimit -n 256 with ${SLEEPERS} extra processes`, () => {
  it('sees every process at every refresh, logs nothing, keeps running', async () => {
    const sleepers = await startSleepers(SLEEPERS, 'fdlimit')
    stopSleepers = sleepers.stop
    const marker = sleepers.marker
    const run = spawn('bash', ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx "${FIXTURE}" "${tempDir()}" ${marker} ${REFRESHES}`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    run.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    run.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    const code = await new Promise<number | null>((r) => run.once('exit', r))
    expect(err).toBe('')
    expect(code).toBe(0)
    const snapshots = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { processes: number; marked: number; adapter: string; logged: string[] })
    figure('engine under ulimit -n 256', {
      extra_processes: SLEEPERS,
      refreshes: snapshots.length,
      min_processes_seen: Math.min(...snapshots.map((s) => s.processes)),
      min_marked_seen: Math.min(...snapshots.map((s) => s.marked)),
      log_lines: snapshots.reduce((n, s) => n + s.logged.length, 0),
    })
    expect(snapshots).toHaveLength(REFRESHES)
    for (const s of snapshots) {
      expect(s.adapter).toBe('linux')
      expect(s.marked).toBe(SLEEPERS)
      expect(s.logged).toEqual([])
    }
  })
})
