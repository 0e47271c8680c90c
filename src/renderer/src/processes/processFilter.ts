import type { ProcessInfo } from '../../../shared/types/process'
import { compileTextQuery, parseQuery, QueryError, usesPorts, type QueryEnv } from '../../../shared/query'

/**
 * The search box speaks the same query language as the CLI and
 * findProcesses: plain words search name, command and pid; `cpu > 5 and
 * user = root` and friends filter. While a query is unfinished or wrong the
 * table keeps the last valid search (the caller holds it), and the error is
 * shown as a hint. `port` and `listen` are answered from the port table,
 * which the page reads only while the search names them (searchUsesPorts).
 */

export type ProcessMatcher = (process: ProcessInfo) => boolean

export type Search =
  | { matches: ProcessMatcher; error?: undefined }
  /** The text is not a valid query: what is wrong and where. */
  | { matches?: undefined; error: { message: string; position: number } }

export const everything: ProcessMatcher = () => true

export function compileSearch(search: string, env: QueryEnv = {}): Search {
  if (search.trim() === '') return { matches: everything }
  try {
    return { matches: compileTextQuery(search, env) }
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

/** Whether the search names `port` or `listen`, so needs the port table; false for an unfinished query. */
export function searchUsesPorts(search: string): boolean {
  try {
    return usesPorts(parseQuery(search))
  } catch {
    return false
  }
}
