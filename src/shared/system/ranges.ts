import { z } from 'zod'
import { METRICS_RANGES, type MetricsRange } from '../types/system'

export const METRICS_RANGE_MS: Record<MetricsRange, number> = {
  '1m': 60_000,
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
}

const epochMs = z.number().nonnegative()

/**
 * The window of getMetricsHistory / getAggregatedMetrics: a named range
 * ending now, or from..to (ms since the epoch; either end may be left
 * open), or nothing for all that was recorded.
 */
export const metricsWindowSchema = z
  .strictObject({
    range: z.enum(METRICS_RANGES).optional(),
    from: epochMs.optional(),
    to: epochMs.optional(),
  })
  .refine((w) => w.range === undefined || (w.from === undefined && w.to === undefined), {
    message: 'give either range or from/to, not both',
    path: ['range'],
  })
  .refine((w) => w.from === undefined || w.to === undefined || w.from <= w.to, {
    message: 'must not be after to',
    path: ['from'],
  })
  .optional()

export type MetricsWindow = z.output<typeof metricsWindowSchema>

/** The window as from..to, both inclusive; open ends reach from the beginning of time / to now. */
export function resolveMetricsWindow(window: MetricsWindow, now: number): { from: number; to: number } {
  if (window?.range !== undefined) return { from: now - METRICS_RANGE_MS[window.range], to: now }
  return { from: window?.from ?? 0, to: window?.to ?? now }
}
