import type { SeriesValues, SystemMetrics } from '../types/system'

/**
 * The chartable numbers of one sample, by name. History, aggregates and the
 * charts all use these names, so a live sample appends to a fetched history
 * without translation. Per-core series are `cpu.core.N`.
 */
export const SERIES = {
  cpuTotal: 'cpu.total',
  cpuUser: 'cpu.user',
  cpuSystem: 'cpu.system',
  cpuIowait: 'cpu.iowait',
  cpuSteal: 'cpu.steal',
  memoryUsed: 'memory.used',
  memoryPercent: 'memory.percent',
  memoryCached: 'memory.cached',
  swapUsed: 'swap.used',
  swapPercent: 'swap.percent',
  networkRx: 'network.rxBytesPerSec',
  networkTx: 'network.txBytesPerSec',
  diskRead: 'disk.readBytesPerSec',
  diskWrite: 'disk.writeBytesPerSec',
  load1: 'load.1',
} as const

export const coreSeries = (index: number): string => `cpu.core.${index}`

export function seriesValues(m: SystemMetrics): SeriesValues {
  const values: SeriesValues = {
    [SERIES.cpuTotal]: m.cpu.total,
    [SERIES.cpuUser]: m.cpu.shares.user,
    [SERIES.cpuSystem]: m.cpu.shares.system,
    [SERIES.cpuIowait]: m.cpu.shares.iowait,
    [SERIES.cpuSteal]: m.cpu.shares.steal,
    [SERIES.memoryUsed]: m.memory.used,
    [SERIES.memoryPercent]: m.memory.percent,
    [SERIES.memoryCached]: m.memory.cached,
    [SERIES.swapUsed]: m.swap.used,
    [SERIES.swapPercent]: m.swap.percent,
    [SERIES.networkRx]: m.network.rxBytesPerSec,
    [SERIES.networkTx]: m.network.txBytesPerSec,
    [SERIES.diskRead]: m.disk.readBytesPerSec,
    [SERIES.diskWrite]: m.disk.writeBytesPerSec,
    [SERIES.load1]: m.load[0],
  }
  m.cpu.cores.forEach((v, i) => (values[coreSeries(i)] = v))
  return values
}
