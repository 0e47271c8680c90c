import type { z } from 'zod'

/**
 * Error codes that cross every transport. A client turns an error envelope
 * back into a thrown ProctorError, so callers branch on `code`, not on text.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'PERMISSION_DENIED',
  'PROTECTED',
  'STALE_PROCESS',
  'QUEUE_FULL',
  'TIMEOUT',
  'UNAVAILABLE',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorInfo {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export class ProctorError extends Error {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ProctorError'
    this.code = code
    this.details = details
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }

  static from(info: ErrorInfo): ProctorError {
    return new ProctorError(info.code, info.message, info.details)
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/** Any thrown value as ErrorInfo; unknown failures become INTERNAL without leaking stacks. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof ProctorError) return err.toInfo()
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: `internal error: ${message}` }
}

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value }
}

export function fail(info: ErrorInfo): Envelope<never> {
  return { ok: false, error: info }
}

/** "poolConfig.defaultMinWorkers: must not exceed ..." — zod issues as one line each, naming the field. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
}

/**
 * A value that failed its schema, as INVALID_ARGUMENT: the message names
 * `what` and each wrong field, the details list them for a program to read.
 */
export function invalidArgument(what: string, error: z.ZodError): ProctorError {
  return new ProctorError('INVALID_ARGUMENT', `${what}: ${describeIssues(error)}`, {
    issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  })
}
