import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os'
import type { CpuCounters } from '../../../shared/system/cpu'
import type { RawSystemReading } from '../../../shared/system/derive'
import type { FilesystemUsage, SystemMetrics } from '../../../shared/types/system'
import { backgroundIo } from './backgroundIo'
import { loadSi, type Si } from './loadSi'
import { temperatureReadings } from './siCounters'
import { FILESYSTEMS_EVERY_MS, type SystemReader, type SystemReaderOptions } from './reader'

const SETTLE_TIMEOUT_MS = 3000

const NO_PROCESSES: SystemMetrics['processes'] = { total: 0, running: 0, sleeping: 0, stopped: 0, zombie: 0 }

/**
 * Platforms without /proc: CPU, memory, load and uptime from node:os (no
 * iowait or steal there: those shares stay null). The rest comes from
 * systeminformation, which spawns tools for it (sysctl, df, netstat,
 * ioreg), so it is asked in the background and its last answer used:
 * swap, filesystems and temperatures (where sensors answer) on the slow cadence; disk and network counters on
 * every read (each read starts a new one unless one is in flight or the
 * last ended under IO_MIN_GAP_MS ago; see backgroundIo), stamped with
 * their own time, ioMonotonicMs, which their rates are taken over. A read
 * with no new answer since the last repeats the counters: a zero-length
 * interval, so null disk and network rates for that sample (it happens at
 * refresh intervals under about 600 ms). Network per interface, bytes and
 * errors (no packet counts: those rates are null); disks as one device,
 * ALL_DISKS. Until the first answer, or where systeminformation has no
 * source, the totals are null.
 */
export class PortableSystemReader implements SystemReader {
  /** node:os gives CPU times in ms. */
  readonly cpuUnitsPerSecond = 1000
  readonly deriveOptions = {}
  private swap: SystemMetrics['swap'] = { total: 0, used: 0, percent: 0 }
  private filesystems: FilesystemUsage[] = []
  private temperatures: SystemMetrics['temperatures'] = []
  private slowAt = -Infinity
  private slowPending = false

  constructor(private readonly options: SystemReaderOptions = {}) {}

  /** The tools answer in well under a second; a machine where they hang still gets a reading, without I/O rates. */
  settle(afterMs: number): Promise<void> {
    return backgroundIo.answerAfter(afterMs, SETTLE_TIMEOUT_MS)
  }

  read(full = false): RawSystemReading {
    const monotonicMs = performance.now()
    if (!this.slowPending && (full || monotonicMs - this.slowAt >= FILESYSTEMS_EVERY_MS)) {
      this.slowAt = monotonicMs
      this.refreshSlow()
    }
    const cores: CpuCounters[] = cpus().map(({ times: t }) => ({ user: t.user, nice: t.nice, system: t.sys, idle: t.idle, irq: t.irq }))
    const cpu = cores.reduce<CpuCounters>(
      (a, c) => ({ user: a.user + c.user, nice: a.nice + c.nice, system: a.system + c.system, idle: a.idle + c.idle, irq: (a.irq ?? 0) + (c.irq ?? 0) }),
      { user: 0, nice: 0, system: 0, idle: 0, irq: 0 },
    )
    const total = totalmem()
    const available = Math.min(total, freemem())
    const [l1 = 0, l5 = 0, l15 = 0] = loadavg()
    const io = backgroundIo.latest
    backgroundIo.request()
    return {
      ...(io && { ioMonotonicMs: io.monotonicMs, ...(io.disks && { disks: io.disks }), ...(io.interfaces && { interfaces: io.interfaces }) }),
      monotonicMs,
      timestamp: Date.now(),
      cpu,
      cores,
      memory: { total, used: total - available, available, cached: 0, buffers: 0, percent: total > 0 ? ((total - available) / total) * 100 : 0 },
      swap: this.swap,
      load: [l1, l5, l15],
      filesystems: this.filesystems,
      processes: this.options.processCounts?.() ?? NO_PROCESSES,
      temperatures: this.temperatures,
      uptime: uptime(),
    }
  }

  private refreshSlow(): void {
    this.slowPending = true
    const refresh = (si: Si) =>
      Promise.all([
        si.mem().then((m) => {
          this.swap = { total: m.swaptotal, used: m.swapused, percent: m.swaptotal > 0 ? (m.swapused / m.swaptotal) * 100 : 0 }
        }),
        si.cpuTemperature().then((t) => {
          this.temperatures = temperatureReadings(t)
        }),
        si.fsSize().then((list) => {
          this.filesystems = list
            .filter((f) => f.size > 0)
            .map((f) => ({ mount: f.mount, device: f.fs, type: f.type, sizeBytes: f.size, usedBytes: f.used, availableBytes: f.available, percent: f.use }))
        }),
      ])
    loadSi()
      .then(refresh)
      .catch(() => {
        // Keep the last answers; the next slow refresh tries again.
      })
      .finally(() => (this.slowPending = false))
  }
}
