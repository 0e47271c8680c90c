import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os'
import { readFileSync } from 'node:fs'
import type { SystemMetrics } from '../../../shared/types/system'
import { cpuSharePercent, type CpuTimes } from '../../../shared/system/cpu'

/**
 * A minimal system sample from node:os. CPU % needs two readings, so the
 * first sample reports null rather than a since-boot average.
 */
export class SystemSampler {
  private prev: CpuTimes[] | undefined

  sample(): SystemMetrics {
    const now = cpus().map((c) => ({
      busy: c.times.user + c.times.nice + c.times.sys + c.times.irq,
      total: c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle,
    }))
    const prev = this.prev
    this.prev = now
    const cores = now.map((c, i) => (prev?.[i] ? cpuSharePercent(prev[i], c) : null))
    const total = prev
      ? cpuSharePercent(
          prev.reduce(sumTimes, { busy: 0, total: 0 }),
          now.reduce(sumTimes, { busy: 0, total: 0 }),
        )
      : null
    const memTotal = totalmem()
    const available = availableMemory() ?? freemem()
    const used = memTotal - available
    const [l1 = 0, l5 = 0, l15 = 0] = loadavg()
    return {
      timestamp: Date.now(),
      cpu: { total, cores },
      memory: { total: memTotal, used, available, percent: memTotal > 0 ? (used / memTotal) * 100 : 0 },
      load: [l1, l5, l15],
      uptime: uptime(),
    }
  }
}

function sumTimes(a: CpuTimes, b: CpuTimes): CpuTimes {
  return { busy: a.busy + b.busy, total: a.total + b.total }
}

/** MemAvailable counts reclaimable cache; os.freemem() does not. */
function availableMemory(): number | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
