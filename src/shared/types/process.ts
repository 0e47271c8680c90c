/**
 * The process model shared by the engine, every transport and the UI.
 * Identity is (pid, startTime): a pid alone may be reused by the kernel.
 */

export const PROCESS_STATES = [
  'running',
  'sleeping',
  'disk-wait',
  'zombie',
  'stopped',
  'tracing',
  'idle',
  'dead',
  'unknown',
] as const
export type ProcessState = (typeof PROCESS_STATES)[number]

export interface ProcessIdentity {
  pid: number
  /** Wall-clock start time, ms since the epoch. */
  startTime: number
}

/**
 * What a platform adapter reads for one process. Counters are cumulative;
 * rates and percentages are derived from two readings by pure functions.
 * Optional fields are left out when the platform or permissions hide them.
 */
export interface RawProcess extends ProcessIdentity {
  ppid: number
  name: string
  /** Full command line, arguments joined by single spaces; `[name]` for kernel threads. */
  command: string
  exe?: string
  user: string
  uid: number
  state: ProcessState
  nice: number
  priority: number
  /** Left out where the platform does not report it (macOS ps). */
  threads?: number
  /** User + system CPU time consumed so far, ms. */
  cpuTimeMs: number
  /** Resident set size, bytes. */
  memoryBytes: number
  /** Virtual size, bytes. */
  virtualBytes: number
  /** Cumulative bytes read from / written to storage, where readable. */
  readBytes?: number
  writeBytes?: number
  /**
   * Monotonic ms when readBytes/writeBytes were read, if the adapter reads
   * them less often than every sample: rates are then taken over this time.
   */
  ioMonotonicMs?: number
  openFiles?: number
  kernelThread: boolean
  /** Set only by adapters that read a rate instead of a counter (generic). */
  cpuPercentHint?: number
}

/** One reading of every process, as an adapter returns it. */
export interface RawProcessSample {
  /** Monotonic clock, ms; only differences are meaningful. */
  monotonicMs: number
  /** Wall clock, ms since the epoch. */
  timestamp: number
  cpuCount: number
  memoryTotal: number
  processes: RawProcess[]
}

export interface ProcessInfo extends Omit<RawProcess, 'cpuTimeMs' | 'readBytes' | 'writeBytes' | 'ioMonotonicMs' | 'cpuPercentHint'> {
  /** CPU over the last interval, top-style: 100 = one full core (0..100 x cores). */
  cpuPercent: number
  /** Resident memory as % of physical memory. */
  memoryPercent: number
  diskReadBytesPerSec?: number
  diskWriteBytesPerSec?: number
}

/** 'core': 100 = one full core (top, htop); 'machine': 100 = every core busy. */
export type CpuScale = 'core' | 'machine'

export interface ProcessSnapshot {
  timestamp: number
  cpuCount: number
  memoryTotal: number
  /** The scale of every cpuPercent in this snapshot (the cpuScale setting). */
  cpuScale: CpuScale
  processes: ProcessInfo[]
}

export interface ProcessHistory {
  /** Oldest first; at most maxProcessHistory points. */
  timestamps: number[]
  cpuPercent: number[]
  memoryBytes: number[]
}

/** Events of watchProcess: a sample per refresh, then one 'exited' when the process is gone. */
export type ProcessWatchEvent =
  | { type: 'sample'; process: ProcessInfo; history: ProcessHistory }
  | { type: 'exited'; pid: number; startTime: number; timestamp: number }
