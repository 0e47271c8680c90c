/** A system-wide sample. Values that need two readings are null on the first. */
export interface SystemMetrics {
  timestamp: number
  cpu: {
    /** All cores together, 0..100. */
    total: number | null
    /** One entry per logical core, 0..100. */
    cores: (number | null)[]
  }
  memory: {
    total: number
    used: number
    available: number
    percent: number
  }
  /** 1, 5 and 15 minute load averages. */
  load: [number, number, number]
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
