import type { MetricsAggregates, MetricsHistory, SystemMetrics } from '../types/system'
import { metricsWindowSchema } from '../system/ranges'
import { call, noArgs, stream } from './spec'

/** The machine: CPU, memory, swap, load, disks, network, filesystems, now and over time. */

export const systemCalls = {
  getSystemMetrics: call<SystemMetrics>()(noArgs, 'CPU, memory, swap, load, disks, network, filesystems, processes, sensors, now.'),
  getMetricsHistory: call<MetricsHistory>()(
    metricsWindowSchema,
    'Recorded system samples in columns: a range (1m, 5m, 15m, 1h) up to now, or from..to (ms since the epoch), or all.',
  ),
  getAggregatedMetrics: call<MetricsAggregates>()(metricsWindowSchema, 'min, max, average and p95 of every series over the same windows.'),
} as const

export const systemStreams = {
  subscribeToMetrics: stream<SystemMetrics>()(noArgs, 'A system sample every refreshInterval.'),
} as const
