import type { ProcessInfo } from '../../../shared/types/process'
import { compileTextQuery, QueryError } from '../../../shared/query'

/**
 * The search box speaks the same query language as the CLI and
 * findProcesses: plain words search name, command and pid; `cpu > 5 and
 * user = root` and friends filter. While a query is unfinished or wrong the
 * table keeps the last valid search (the caller holds it), and the error is
 * shown as a hint.
 */

export type ProcessMatcher = (process: ProcessInfo) => boolean

export type Search =
  | { matches: ProcessMatcher; error?: undefined }
  /** The text is not a valid query: what is wrong and where. */
  | { matches?: undefined; error: { message: string; position: number } }

export const everything: ProcessMatcher = () => true

export function compileSearch(search: string): Search {
  if (search.trim() === '') return { matches: everything }
  try {
    return { matches: compileTextQuery(search) }
  } catch (err) {
    if (!(err instanceof QueryError)) throw err
    return { error: { message: err.message, position: err.position } }
  }
}

/** The processes that match, in their original order; the same array when nothing is filtered. */
export function filterProcesses(processes: readonly ProcessInfo[], matches: ProcessMatcher): readonly ProcessInfo[] {
  return matches === everything ? processes : processes.filter(matches)
}

/** How many processes match, without building the list. */
export function countMatches(processes: readonly ProcessInfo[], matches: ProcessMatcher): number {
  if (matches === everything) return processes.length
  let n = 0
  for (const p of processes) if (matches(p)) n++
  return n
}
