import { execFileSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/shared/settings'
import { FULL, figure, scaled } from './figures'
import { startSleepers } from './sleepers'
import { bundled } from '../helpers/bundledCli'

/*
 * Soak of the collection path: thousands of collections back to back at
 * 2000 processes (the machine's own population in the fast subset), then
 * an hour of history (3600 more rounds, the default metrics history at
 * 1 Hz, read whole as the charts read it). The heap held after the
 * warm-up may grow by at most 2 MB; the resident memory of the process
 * doing it is reported against the 25 MB budget, whole and above what an
 * empty Node process holds (the runtime's own share, which no engine
 * written for Node can go under).
 */

const ROOT = resolve(__dirname, '../..')
/** Bundled and run by plain node, as the app runs the engine: tsx's loader would add its own memory to the figure. */
const bundledFixture = () => bundled(join(__dirname, 'fixtures/soak.ts'), 'soak')
const COLLECTIONS = scaled(1500, 10_000)
const WARM_UP = scaled(500, 1000)
const EXTRA = FULL ? 2000 : 0
/** An hour of 1 Hz history: the default metrics history's size. */
const HOUR = defaultSettings().metricsHistorySize
let stopSleepers = () => {}

afterAll(() => stopSleepers())

describe(`soak: ${COLLECTIONS} collections back to back${EXTRA ? ` with ${EXTRA} extra processes` : ''}, then an hour of history`, () => {
  it('holds no more heap after the warm-up than 2 MB more, and reports its resident memory', async () => {
    if (EXTRA > 0) stopSleepers = (await startSleepers(EXTRA, 'soak')).stop
    const out = execFileSync(process.execPath, ['--expose-gc', bundledFixture(), String(COLLECTIONS), String(WARM_UP), String(HOUR)], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 3_000_000,
    })
    const r = JSON.parse(out) as {
      count: number
      processes: number
      seconds: number
      heapAfterWarmUp: number
      heapEnd: number
      rss: number
      historySamples: number
      historyBytes: number
      charted: number
    }
    const empty = Number(execFileSync(process.execPath, ['--expose-gc', '-e', 'gc(); process.stdout.write(String(process.memoryUsage().rss))'], { encoding: 'utf8' }))
    const growth = r.heapEnd - r.heapAfterWarmUp
    const MB = 2 ** 20
    figure('soak of the collection path', {
      collections: r.count,
      processes: r.processes,
      per_second: Math.round(r.count / r.seconds),
      history_samples: r.historySamples,
      history_mb: (r.historyBytes / MB).toFixed(1),
      heap_growth_after_warm_up_mb: (growth / MB).toFixed(2),
      held_heap_mb: (r.heapEnd / MB).toFixed(1),
      rss_mb: (r.rss / MB).toFixed(1),
      empty_node_rss_mb: (empty / MB).toFixed(1),
      rss_over_empty_node_mb: ((r.rss - empty) / MB).toFixed(1),
      rss_budget_mb: 25,
      within_budget: r.rss - empty <= 25 * MB,
    })
    expect(r.count).toBe(COLLECTIONS)
    // The hour is held whole and read whole.
    expect(r.historySamples).toBe(Math.min(COLLECTIONS + HOUR, defaultSettings().metricsHistorySize))
    expect(r.charted).toBe(r.historySamples)
    expect(r.processes).toBeGreaterThan(EXTRA)
    expect(growth).toBeLessThan(2 * MB)
  }, 3_600_000)
})
