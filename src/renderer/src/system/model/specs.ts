import { SERIES } from '../../../../shared/system/series'
import type { SeriesSpec } from './chartData'

/**
 * What each System chart draws: series from shared/system/series.ts, with
 * labels and colours (CSS variables from styles/tokens.css, light and dark).
 * Module constants, so the memoized charts see the same specs every render.
 */

/** Busy time not in user, system or steal: the whole of it where a platform reports no split. */
function otherBusy([total, user, system, steal]: readonly (number | null)[]): number | null {
  if (total === null || total === undefined) return null
  return Math.max(0, total - (user ?? 0) - (system ?? 0) - (steal ?? 0))
}

export const CPU_SPECS: readonly SeriesSpec[] = [
  { id: 'user', label: 'User', color: 'var(--chart-user)', key: SERIES.cpuUser, stack: 'cpu' },
  { id: 'system', label: 'System', color: 'var(--chart-system)', key: SERIES.cpuSystem, stack: 'cpu' },
  { id: 'steal', label: 'Steal', color: 'var(--chart-steal)', key: SERIES.cpuSteal, stack: 'cpu' },
  {
    id: 'other',
    label: 'Other',
    color: 'var(--chart-other)',
    derive: { keys: [SERIES.cpuTotal, SERIES.cpuUser, SERIES.cpuSystem, SERIES.cpuSteal], fn: otherBusy },
    stack: 'cpu',
  },
  { id: 'iowait', label: 'I/O wait', color: 'var(--chart-iowait)', key: SERIES.cpuIowait, stack: 'cpu' },
]
/** Listed only while they carry something (steal: virtual machines; other: platforms without a split). */
export const CPU_OPTIONAL = ['steal', 'other'] as const

export const MEMORY_SPECS: readonly SeriesSpec[] = [
  { id: 'used', label: 'Used', color: 'var(--chart-memory)', key: SERIES.memoryUsed, stack: 'memory' },
  { id: 'cached', label: 'Cache', color: 'var(--chart-cache)', key: SERIES.memoryCached, stack: 'memory' },
]

export const SWAP_SPECS: readonly SeriesSpec[] = [{ id: 'used', label: 'Used', color: 'var(--chart-swap)', key: SERIES.swapUsed }]

export const NETWORK_SPECS: readonly SeriesSpec[] = [
  { id: 'rx', label: 'Received', color: 'var(--chart-rx)', key: SERIES.networkRx },
  { id: 'tx', label: 'Sent', color: 'var(--chart-tx)', key: SERIES.networkTx },
]

export const DISK_SPECS: readonly SeriesSpec[] = [
  { id: 'read', label: 'Read', color: 'var(--chart-read)', key: SERIES.diskRead },
  { id: 'write', label: 'Write', color: 'var(--chart-write)', key: SERIES.diskWrite },
]
