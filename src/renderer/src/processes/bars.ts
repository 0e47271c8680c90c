import type { ProcessInfo } from '../../../shared/types/process'

/**
 * The bars behind the CPU and memory figures of each row. CPU: share of one
 * core (what 100 % means in top). Memory: share of an axis that is the next
 * power of two above the largest process, so the biggest process fills half
 * to all of its bar and the axis does not move with every small change (a
 * moving axis would redraw every row at every refresh). Pure.
 */

export function cpuFraction(cpuPercent: number): number {
  return clamp01(cpuPercent / 100)
}

export function memoryAxis(processes: readonly ProcessInfo[]): number {
  let max = 0
  for (const p of processes) if (p.memoryBytes > max) max = p.memoryBytes
  return max > 0 ? 2 ** Math.ceil(Math.log2(max)) : 1
}

export function memoryFraction(bytes: number, axis: number): number {
  return clamp01(axis > 0 ? bytes / axis : 0)
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0
}
