import { afterAll, describe, expect, it } from 'vitest'
import { Cadence } from '../../src/main/core/cadence'
import type { ProcessAdapter } from '../../src/main/core/processes/adapter'
import { InlineCollector } from '../../src/main/core/processes/collector'
import { createProcessAdapter } from '../../src/main/core/processes/factory'
import { ProcessService } from '../../src/main/core/processes/processService'
import { SettingsStore } from '../../src/main/core/settings/settingsStore'
import type { ProcessSnapshot } from '../../src/shared/types/process'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'
import { figure } from './figures'

/*
 * Engine faults in the process collection: a reading that never finishes
 * (a `ps` that hangs, a stalled read) or that throws. The real reader of
 * this machine does the reading; a wrapper made here injects the fault
 * into its next sample. The stream must log it, replace a hung reader
 * within two refresh intervals, and go on.
 */

const INTERVAL_MS = 1000

interface Faulty {
  next: 'hang' | 'throw' | undefined
  closed: number
  made: number
}

function faultyFactory(faults: Faulty) {
  return (setting: Parameters<typeof createProcessAdapter>[0]): ProcessAdapter => {
    const real = createProcessAdapter(setting)
    faults.made++
    return {
      kind: real.kind,
      sample: () => {
        const fault = faults.next
        faults.next = undefined
        if (fault === 'hang') return new Promise(() => {})
        if (fault === 'throw') return Promise.reject(new Error('injected: the reader failed'))
        return real.sample()
      },
      close: () => {
        faults.closed++
        real.close()
      },
    } as ProcessAdapter
  }
}

describe('process collection faults: the stream is logged, restarted and goes on', () => {
  const store = new SettingsStore(tempDir())
  store.applyTransient({ refreshInterval: INTERVAL_MS })
  const faults: Faulty = { next: undefined, closed: 0, made: 0 }
  const collector = new InlineCollector('auto', {}, faultyFactory(faults))
  const logged: string[] = []
  const processes = new ProcessService({ settings: store, cadence: new Cadence(store), collector, log: (m) => logged.push(m) })
  const seen: Array<{ at: number; snapshot: ProcessSnapshot }> = []
  const stop = processes.stream.subscribe((snapshot) => seen.push({ at: performance.now(), snapshot }))
  afterAll(() => {
    stop()
    processes.close()
  })

  it('a reading that hangs is given up after two refresh intervals, its reader replaced, and the next refresh comes', async () => {
    await waitFor(() => seen.length >= 2, 10_000, 'two snapshots')
    const before = seen.length
    const hungFrom = seen.at(-1)!.at
    faults.next = 'hang'
    await waitFor(() => logged.some((m) => m.includes('hung')), 10_000, 'the hang to be logged')
    const detectedAfter = performance.now() - hungFrom
    await waitFor(() => seen.length > before, 10_000, 'a snapshot after the hang')
    const gap = seen[before]!.at - hungFrom
    figure('collector hang', { interval_ms: INTERVAL_MS, detected_after_ms: Math.round(detectedAfter), next_snapshot_after_ms: Math.round(gap), readers_replaced: collector.restarts })
    expect(logged.find((m) => m.includes('hung'))).toMatch(/^process sampling failed: process reading hung for 2000 ms: its reader was restarted$/)
    expect(collector.restarts).toBe(1)
    expect(faults.closed).toBe(1)
    expect(faults.made).toBe(2)
    // Detected two intervals after the reading began (one interval after the last snapshot, give or take load).
    expect(detectedAfter).toBeLessThan(3 * INTERVAL_MS + 1500)
    expect(seen[before]!.snapshot.processes.some((p) => p.pid === process.pid)).toBe(true)
  })

  it('a reading that throws is logged and the next refresh comes from the same reader', async () => {
    const before = seen.length
    const made = faults.made
    faults.next = 'throw'
    await waitFor(() => logged.some((m) => m.includes('injected')), 10_000, 'the failure to be logged')
    await waitFor(() => seen.length > before + 1, 10_000, 'snapshots after the failure')
    expect(logged.find((m) => m.includes('injected'))).toBe('process sampling failed: process collection failed: injected: the reader failed')
    expect(faults.made).toBe(made)
  })
})
