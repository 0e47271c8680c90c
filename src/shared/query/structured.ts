/**
 * The structured form of a query, for API callers (findProcesses) that
 * should not build query text. Every given field must hold (AND).
 */
import { z } from 'zod'
import { PROCESS_STATES } from '../types/process'
import type { QueryNode } from './ast'
import { compileQuery, type ProcessPredicate } from './evaluate'
import { compileRegex, MAX_REGEX_LENGTH } from './regex'

/** Escaping at most doubles a name, so an escaped name always fits a regex. */
const MAX_NAME_LENGTH = MAX_REGEX_LENGTH / 2

function regexProblem(pattern: string): string | undefined {
  try {
    compileRegex(pattern, 0, 'in commandRegex', 'commandRegex')
    return undefined
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

// Strict: a misspelt key must fail, not silently widen a filter that may feed a kill.
export const StructuredQuery = z.strictObject({
  /** Case-insensitive substring of the process name (matched as an escaped regex, hence the bound). */
  name: z.string().max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters`).optional(),
  pid: z.number().int().nonnegative().optional(),
  ppid: z.number().int().nonnegative().optional(),
  /** Case-insensitive user name. */
  user: z.string().optional(),
  state: z.enum(PROCESS_STATES).optional(),
  /** cpuPercent strictly above this (100 = one core). */
  cpuAbove: z.number().optional(),
  /** Resident memory strictly above this many bytes. */
  memoryAbove: z.number().nonnegative().optional(),
  /** Case-insensitive regex tested against the full command line. */
  commandRegex: z
    .string()
    .superRefine((pattern, ctx) => {
      const problem = regexProblem(pattern)
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
    })
    .optional(),
})
export type StructuredQuery = z.infer<typeof StructuredQuery>

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The same query as an AST, e.g. to show it as text with formatQuery. */
export function structuredQueryToNode(q: StructuredQuery): QueryNode {
  const parts: QueryNode[] = []
  if (q.name !== undefined) parts.push({ kind: 'match', field: 'name', negate: false, pattern: escapeRegex(q.name) })
  if (q.pid !== undefined) parts.push({ kind: 'numeric', field: 'pid', op: '=', value: q.pid })
  if (q.ppid !== undefined) parts.push({ kind: 'numeric', field: 'ppid', op: '=', value: q.ppid })
  if (q.user !== undefined) parts.push({ kind: 'equals', field: 'user', negate: false, value: q.user })
  if (q.state !== undefined) parts.push({ kind: 'equals', field: 'state', negate: false, value: q.state })
  if (q.cpuAbove !== undefined) parts.push({ kind: 'numeric', field: 'cpu', op: '>', value: q.cpuAbove })
  if (q.memoryAbove !== undefined) parts.push({ kind: 'numeric', field: 'mem', op: '>', value: q.memoryAbove })
  if (q.commandRegex !== undefined) parts.push({ kind: 'match', field: 'command', negate: false, pattern: q.commandRegex })
  const [only] = parts
  if (only === undefined) return { kind: 'all' }
  return parts.length === 1 ? only : { kind: 'and', children: parts }
}

/** Throws QueryError (with `field: 'commandRegex'`) for an invalid regex. */
export function compileStructuredQuery(q: StructuredQuery): ProcessPredicate {
  if (q.commandRegex !== undefined) compileRegex(q.commandRegex, 0, 'in commandRegex', 'commandRegex')
  return compileQuery(structuredQueryToNode(q))
}
