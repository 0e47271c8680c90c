import { z } from 'zod'
import { describeIssues } from './errors'
import { describeNonObject, isPlainObject, schemaVersionProblem } from './schemaVersion'

/**
 * User settings: one zod schema gives the defaults, the validation of the
 * file on disk and of every updateSettings call, and the TypeScript type.
 */

const SHARED_TMP = /^\/(private\/)?(var\/)?tmp(\/|$)/

const ipcConfig = z.strictObject({
  maxConnections: z.number().int().min(1).max(10_000).default(100),
  messageTimeout: z.number().int().min(100).max(600_000).default(5000),
  reconnectInterval: z.number().int().min(50).max(600_000).default(1000),
  maxReconnectAttempts: z.number().int().min(0).max(1000).default(3),
  /**
   * Folder of the broker socket. Unset means the per-user runtime folder
   * (XDG_RUNTIME_DIR, else the data folder), created mode 0700.
   */
  socketDir: z
    .string()
    .min(1)
    .refine((p) => p.startsWith('/'), 'must be an absolute path')
    .refine((p) => !SHARED_TMP.test(p), 'must not be under a shared temporary folder such as /tmp')
    .optional(),
})

const poolConfig = z.strictObject({
  defaultMinWorkers: z.number().int().min(0).max(256).default(1),
  defaultMaxWorkers: z.number().int().min(1).max(256).default(4),
  poolScalingStrategy: z.enum(['fixed', 'dynamic']).default('dynamic'),
  poolHealthCheckInterval: z.number().int().min(1000).max(3_600_000).default(30_000),
  poolWorkerTimeout: z.number().int().min(1000).max(3_600_000).default(60_000),
  poolTaskTimeout: z.number().int().min(100).max(3_600_000).default(30_000),
  poolMaxQueueSize: z.number().int().min(1).max(1_000_000).default(1000),
  poolLoadBalancing: z.enum(['least_busy', 'round_robin', 'random']).default('least_busy'),
})

const healthConfig = z.strictObject({
  checkInterval: z.number().int().min(1000).max(3_600_000).default(30_000),
  unhealthyThreshold: z.number().int().min(1).max(100).default(3),
  healthyThreshold: z.number().int().min(1).max(100).default(2),
  restartDelay: z.number().int().min(0).max(3_600_000).default(5000),
  maxRestartAttempts: z.number().int().min(0).max(1000).default(3),
  restartBackoffMultiplier: z.number().min(1).max(10).default(2),
})

/**
 * The owner's Prometheus endpoint (GET /metrics with the bearer token): off
 * unless enabled; on 127.0.0.1 unless told otherwise.
 */
const metricsEndpoint = z.strictObject({
  enabled: z.boolean().default(false),
  address: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address such as 127.0.0.1 or ::1' }).default('127.0.0.1'),
  /** 9464: the port Prometheus exporters of this kind conventionally take. */
  port: z.number().int().min(1).max(65_535).default(9464),
})

export const settingsSchema = z
  .strictObject({
    refreshInterval: z.number().int().min(250).max(60_000).default(1000),
    maxProcessHistory: z.number().int().min(1).max(100_000).default(100),
    /** System samples kept for charts and aggregates: one hour at 1 s; 8 bytes x (series + 1) each. */
    metricsHistorySize: z.number().int().min(60).max(86_400).default(3600),
    /** Sampling interval while no window is visible (tray only): cheaper than the window's. */
    backgroundRefreshInterval: z.number().int().min(250).max(60_000).default(2000),
    /** Closing the window hides it to the tray instead of quitting (where a tray exists). */
    closeToTray: z.boolean().default(true),
    /** Whether the user has been told once where the window went on close. */
    closeToTrayNoticeShown: z.boolean().default(false),
    /** Start the desktop app at login, in the tray (src/main/desktop/loginItem.ts applies it). */
    startAtLogin: z.boolean().default(false),
    /**
     * Keep system metrics history: sample at the refresh interval from launch,
     * watched or not, so the System page can show the past. Off: sample only
     * while something shows the metrics, and keep no history (turning it off
     * forgets what was recorded).
     */
    monitorSystemMetrics: z.boolean().default(true),
    platformAdapter: z.enum(['auto', 'linux', 'darwin', 'generic']).default('auto'),
    /** Process CPU %: 'core' (100 = one core, as top shows it) or 'machine' (100 = all cores). */
    cpuScale: z.enum(['core', 'machine']).default('core'),
    /** The process window: visible columns (in order), theme, and whether destructive actions ask first. */
    ui: z
      .strictObject({
        columns: z.array(z.string().min(1).max(64)).max(64).optional(),
        theme: z.enum(['system', 'light', 'dark']).default('system'),
        confirmDestructive: z.boolean().default(true),
      })
      .prefault({}),
    /** Process names no action may touch (besides init, kernel threads and Proctor itself). */
    protectedNames: z.array(z.string().min(1).max(256)).max(1000).default(['systemd', 'init', 'launchd', 'kernel_task', 'WindowServer', 'loginwindow']),
    enableIPC: z.boolean().default(false),
    enablePooling: z.boolean().default(false),
    enableHealthChecks: z.boolean().default(false),
    enableAutoRestart: z.boolean().default(false),
    ipcConfig: ipcConfig.prefault({}),
    poolConfig: poolConfig.prefault({}),
    healthConfig: healthConfig.prefault({}),
    metricsEndpoint: metricsEndpoint.prefault({}),
  })
  .refine((s) => s.poolConfig.defaultMinWorkers <= s.poolConfig.defaultMaxWorkers, {
    message: 'must not exceed poolConfig.defaultMaxWorkers',
    path: ['poolConfig', 'defaultMinWorkers'],
  })

export type Settings = z.output<typeof settingsSchema>

export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] extends unknown[] ? Settings[K] : Settings[K] extends object ? Partial<Settings[K]> : Settings[K]
}

/**
 * A patch for updateSettings: any subset of fields, nested objects merged
 * field by field. This schema checks only the shape (known keys); each value
 * is checked when the merged result is parsed with settingsSchema, which
 * names the field. Hence the cast to the patch type.
 */
export const settingsPatchSchema = z.strictObject({
  refreshInterval: z.unknown().optional(),
  maxProcessHistory: z.unknown().optional(),
  metricsHistorySize: z.unknown().optional(),
  backgroundRefreshInterval: z.unknown().optional(),
  closeToTray: z.unknown().optional(),
  closeToTrayNoticeShown: z.unknown().optional(),
  startAtLogin: z.unknown().optional(),
  monitorSystemMetrics: z.unknown().optional(),
  platformAdapter: z.unknown().optional(),
  cpuScale: z.unknown().optional(),
  ui: z.record(z.string(), z.unknown()).optional(),
  protectedNames: z.unknown().optional(),
  enableIPC: z.unknown().optional(),
  enablePooling: z.unknown().optional(),
  enableHealthChecks: z.unknown().optional(),
  enableAutoRestart: z.unknown().optional(),
  ipcConfig: z.record(z.string(), z.unknown()).optional(),
  poolConfig: z.record(z.string(), z.unknown()).optional(),
  healthConfig: z.record(z.string(), z.unknown()).optional(),
  metricsEndpoint: z.record(z.string(), z.unknown()).optional(),
}) as unknown as z.ZodType<SettingsPatch, SettingsPatch>

export function defaultSettings(): Settings {
  return settingsSchema.parse({})
}

/** Merges a patch into settings; the caller validates the result with settingsSchema. */
export function mergeSettings(current: Settings, patch: SettingsPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    const base = out[key]
    out[key] =
      base !== null && typeof base === 'object' && !Array.isArray(base) && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? { ...base, ...value }
        : value
  }
  return out
}

/** The version of settings.json this Proctor writes; a file without one is read as this version. */
export const SETTINGS_SCHEMA_VERSION = 1

export type SettingsFileReading = { ok: true; settings: Settings } | { ok: false; problem: string }

/**
 * Reads the parsed JSON of settings.json. Proctor writes `{ schemaVersion,
 * settings: {...} }`; a file written by hand may leave out the version, the
 * wrapper or both (`{"refreshInterval": 2000}`): it is read as the current
 * version. What cannot be read (not an object, a version from a newer
 * Proctor, a value out of range, an unknown key) gives the problem in words.
 */
export function readSettingsFile(doc: unknown): SettingsFileReading {
  if (!isPlainObject(doc)) return { ok: false, problem: `it holds ${describeNonObject(doc)}, not an object of settings` }
  const { schemaVersion, settings, ...flat } = doc
  const versionProblem = schemaVersionProblem(schemaVersion, SETTINGS_SCHEMA_VERSION)
  if (versionProblem) return { ok: false, problem: versionProblem }
  const stray = Object.keys(flat)
  if (settings !== undefined && stray.length > 0) {
    return { ok: false, problem: `it has both "settings" and settings beside it (${stray.join(', ')}): keep one of the two` }
  }
  const parsed = settingsSchema.safeParse(settings ?? flat)
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, problem: describeIssues(parsed.error) }
}
