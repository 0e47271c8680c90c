import type { ProcessInfo } from '../types/process'

/** Orders shared by the CLI and findProcesses: heaviest first for cpu and memory, ties by pid. */
export const PROCESS_ORDERS = {
  cpu: (a: ProcessInfo, b: ProcessInfo) => b.cpuPercent - a.cpuPercent || a.pid - b.pid,
  memory: (a: ProcessInfo, b: ProcessInfo) => b.memoryBytes - a.memoryBytes || a.pid - b.pid,
  pid: (a: ProcessInfo, b: ProcessInfo) => a.pid - b.pid,
  name: (a: ProcessInfo, b: ProcessInfo) => a.name.localeCompare(b.name) || a.pid - b.pid,
} as const

export type ProcessOrder = keyof typeof PROCESS_ORDERS
