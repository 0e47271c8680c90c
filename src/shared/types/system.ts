/** Busy share of a CPU (or all of them) over the last interval, with its parts; 0..100 each. */
export interface CpuShare {
  /** Everything but idle and iowait. */
  total: number | null
  user: number | null
  system: number | null
  iowait: number | null
  steal: number | null
}

export interface DiskDeviceRates {
  device: string
  readBytesPerSec: number | null
  writeBytesPerSec: number | null
  readOpsPerSec: number | null
  writeOpsPerSec: number | null
}

export interface NetworkInterfaceRates {
  name: string
  rxBytesPerSec: number | null
  txBytesPerSec: number | null
  rxPacketsPerSec: number | null
  txPacketsPerSec: number | null
  /** Cumulative since boot. */
  rxBytes: number
  txBytes: number
  rxErrors: number
  txErrors: number
}

/**
 * One mounted filesystem, counted as df counts it. The figures add up:
 * used + available + reserved = size, where reserved (size - used -
 * available) is free space only the superuser may fill (ext4 keeps 5 % by
 * default). See shared/system/filesystems.ts for the four figures.
 */
export interface FilesystemUsage {
  mount: string
  device: string
  type: string
  /** The whole filesystem. */
  sizeBytes: number
  /** In use: size - free. */
  usedBytes: number
  /** What an unprivileged user can still write. */
  availableBytes: number
  /** df's Use%: used / (used + available) x 100, so a full disk reads 100 % even with space reserved. */
  percent: number
}

/**
 * A system-wide sample. Rates and shares need two readings: on the first
 * sample (or after a zero-length interval) they are null, never a guess.
 */
export interface SystemMetrics {
  timestamp: number
  cpu: {
    /** All cores together, 0..100 (= shares.total). */
    total: number | null
    /** One entry per logical core, 0..100. */
    cores: (number | null)[]
    shares: CpuShare
  }
  memory: {
    total: number
    used: number
    available: number
    /** Page cache + reclaimable kernel slab, as free(1) counts "cache"; buffers apart. */
    cached: number
    buffers: number
    percent: number
  }
  swap: {
    total: number
    used: number
    percent: number
  }
  /** 1, 5 and 15 minute load averages. */
  load: [number, number, number]
  disk: {
    readBytesPerSec: number | null
    writeBytesPerSec: number | null
    readOpsPerSec: number | null
    writeOpsPerSec: number | null
    devices: DiskDeviceRates[]
  }
  /** Refreshed on a slower cadence than the rest (statfs of every mount). */
  filesystems: FilesystemUsage[]
  network: {
    rxBytesPerSec: number | null
    txBytesPerSec: number | null
    rxPacketsPerSec: number | null
    txPacketsPerSec: number | null
    interfaces: NetworkInterfaceRates[]
  }
  /**
   * Processes by state (idle and disk-wait count as sleeping, traced as
   * stopped): from the engine's process list when it is fresh, else counted
   * from /proc a few per sample, so they may lag by some seconds.
   */
  processes: {
    total: number
    running: number
    sleeping: number
    stopped: number
    zombie: number
  }
  /** Celsius by sensor label, where the machine has sensors; empty otherwise. */
  temperatures: { label: string; celsius: number }[]
  /** Seconds since boot. */
  uptime: number
}

export interface AppInfo {
  name: string
  version: string
  platform: string
  /** The platform adapter actually in use after resolving 'auto'. */
  adapter: 'linux' | 'darwin' | 'generic'
  pid: number
  /** Where settings and state live on disk. */
  dataDir: string
  /** Problems found at start (a corrupt settings file kept aside, ...), for the user to see. */
  notices: string[]
}

/** The chartable numbers of a sample, by series name (see system/series.ts). */
export type SeriesValues = Record<string, number | null>

/** History in columns, cheap to send and to chart: every series aligned with timestamps. */
export interface MetricsHistory {
  timestamps: number[]
  series: Record<string, (number | null)[]>
}

export interface SeriesAggregate {
  min: number | null
  max: number | null
  avg: number | null
  p95: number | null
  /** Samples with a value (nulls are skipped). */
  count: number
}

export interface MetricsAggregates {
  from: number
  to: number
  series: Record<string, SeriesAggregate>
}

/** Named windows for history and aggregates. */
export const METRICS_RANGES = ['1m', '5m', '15m', '1h'] as const
export type MetricsRange = (typeof METRICS_RANGES)[number]
