import type { RawSystemReading } from '../../src/shared/system/derive'
import { countProcessStates } from '../../src/shared/system/processCounts'

/**
 * A reading taken now, on the real clocks, of a machine whose CPU is busy
 * half the time (one core) and whose other figures stand still; a test
 * sets the counters it is about in `over`.
 */
export function readingNow(over: Partial<RawSystemReading> = {}): RawSystemReading {
  const t = performance.now()
  const half = { user: t / 2, nice: 0, system: 0, idle: t / 2 }
  return {
    monotonicMs: t,
    timestamp: Date.now(),
    cpu: half,
    cores: [half],
    memory: { total: 100, used: 40, available: 60, cached: 10, buffers: 1, percent: 40 },
    swap: { total: 0, used: 0, percent: 0 },
    load: [1, 2, 3],
    filesystems: [],
    processes: countProcessStates([]),
    temperatures: [],
    uptime: 1,
    ...over,
  }
}
