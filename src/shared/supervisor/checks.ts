import { z } from 'zod'
import { compileRegex } from '../query/regex'
import { QueryError } from '../query/ast'

/**
 * What a program's health checks and readiness check may ask, as zod
 * schemas (errors name the field). The probes that run them live in
 * src/main/core/health/; thresholds and intervals a program leaves out
 * come from the settings' healthConfig.
 */

const timeoutMs = z.number().int().min(10).max(600_000)
const port = z.number().int().min(1).max(65_535)
/** A host to connect to: a name or an address, no scheme, no port. */
const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_[\]-]+$/, 'must be a host name or an address, without scheme or port')
  .default('127.0.0.1')
const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol)
    } catch {
      return false
    }
  }, 'must be an http:// or https:// URL')

/** Accepted HTTP statuses, inclusive: 200..399 unless given. */
const statusRange = z
  .strictObject({ min: z.number().int().min(100).max(599).default(200), max: z.number().int().min(100).max(599).default(399) })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] })
  .prefault({})

/** A user's regex, checked as the query language checks them (RE2, bounded size). */
export const userPattern = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((pattern, ctx) => {
    try {
      compileRegex(pattern, 0, 'in pattern')
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof QueryError ? err.message : String(err) })
    }
  })

const httpProbe = { kind: z.literal('http'), url: httpUrl, status: statusRange, timeoutMs: timeoutMs.optional() }
const tcpProbe = { kind: z.literal('tcp'), host, port, timeoutMs: timeoutMs.optional() }

export const healthCheckSchema = z.discriminatedUnion('kind', [
  /** The program's own process exists and is not a zombie. */
  z.strictObject({ kind: z.literal('alive') }),
  /** CPU of the program's processes (100 = one core) above `percent` for `samples` checks in a row. */
  z.strictObject({ kind: z.literal('cpu'), percent: z.number().positive().max(100_000), samples: z.number().int().min(1).max(1000).default(3) }),
  /** Resident memory of the program's processes above `maxBytes` (PM2's max_memory_restart). */
  z.strictObject({ kind: z.literal('memory'), maxBytes: z.number().int().min(1024 * 1024).max(2 ** 50) }),
  /** A GET answered with a status in range within the timeout. */
  z.strictObject(httpProbe),
  /** A TCP connection accepted within the timeout. */
  z.strictObject(tcpProbe),
  /** A command (an argv, or a shell line with `shell`) that exits 0 within the timeout. */
  /**
   * A heartbeat over IPC (the client module's heartbeat()) within `maxSilenceMs`
   * (twice the round interval when left out). Needs enableIPC: the program
   * gets its token only then.
   */
  z.strictObject({ kind: z.literal('ipc'), maxSilenceMs: z.number().int().min(100).max(3_600_000).optional() }),
  z.strictObject({
    kind: z.literal('command'),
    command: z.string().min(1, 'must not be empty').regex(/^[^\0]*$/, 'must not hold NUL'),
    args: z.array(z.string().regex(/^[^\0]*$/, 'must not hold NUL')).max(1000).default([]),
    shell: z.boolean().default(false),
    timeoutMs: timeoutMs.optional(),
  }),
])
export type HealthCheck = z.output<typeof healthCheckSchema>
export type HealthCheckKind = HealthCheck['kind']

export const healthSchema = z
  .strictObject({
    checks: z.array(healthCheckSchema).max(20).default([]),
    /** Between two rounds of checks; healthConfig.checkInterval when left out. */
    intervalMs: z.number().int().min(250).max(3_600_000).optional(),
    /** A check not answered in time fails; the interval when left out, at most 10 s. */
    timeoutMs: timeoutMs.optional(),
    /** After a start, failures do not count for this long (the program is `starting`). */
    startPeriodMs: z.number().int().min(0).max(3_600_000).default(0),
    unhealthyThreshold: z.number().int().min(1).max(100).optional(),
    healthyThreshold: z.number().int().min(1).max(100).optional(),
  })
  .prefault({})
export type HealthConfig = z.output<typeof healthSchema>

/** What makes a starting program `running`, instead of startSeconds alive. */
export const readinessSchema = z.discriminatedUnion('kind', [
  z.strictObject(httpProbe),
  z.strictObject(tcpProbe),
  /** A line of its output matching `pattern` (RE2, case-insensitive unless `(?-i)`). */
  z.strictObject({ kind: z.literal('log'), pattern: userPattern, stream: z.enum(['stdout', 'stderr', 'both']).default('both') }),
  /** A `ready` message over IPC from the program (the client module's ready()); needs enableIPC. */
  z.strictObject({ kind: z.literal('ipc') }),
])
export type Readiness = z.output<typeof readinessSchema>

export type HealthStatus = 'healthy' | 'unhealthy' | 'starting'

/** Its readiness or one of its health checks goes over IPC: it needs enableIPC to pass. */
export function usesIpc(p: { ready?: Readiness | undefined; health: { checks: readonly HealthCheck[] } }): boolean {
  return p.ready?.kind === 'ipc' || p.health.checks.some((c) => c.kind === 'ipc')
}

/** One check's answer. */
export interface CheckResult {
  kind: HealthCheckKind
  ok: boolean
  /** ms since the epoch, when the check began */
  at: number
  durationMs: number
  /** What was seen: "HTTP 200", "connected", "412 MiB", "exit 1: ...", "timed out after 5000 ms". */
  detail: string
}

/** Recent results kept per program for the UI. */
export const CHECK_RESULTS_KEPT = 20
