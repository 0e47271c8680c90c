import type { ProcessInfo } from '../../shared/types/process'

/**
 * The search box's filter: a case-insensitive substring over name, command
 * and user, or the exact pid when the text is a number. Pure, so the query
 * language of src/shared/query can replace it behind the same signature.
 */

/** A compiled search: true for the processes to show. */
export type ProcessMatcher = (process: ProcessInfo) => boolean

const everything: ProcessMatcher = () => true

export function processMatcher(search: string): ProcessMatcher {
  const needle = search.trim().toLowerCase()
  if (needle === '') return everything
  const pid = /^\d+$/.test(needle) ? Number(needle) : undefined
  return (p) =>
    p.pid === pid ||
    p.name.toLowerCase().includes(needle) ||
    p.command.toLowerCase().includes(needle) ||
    p.user.toLowerCase().includes(needle)
}

/** The processes that match the search, in their original order; the same array when nothing is filtered. */
export function filterProcesses(processes: readonly ProcessInfo[], search: string): readonly ProcessInfo[] {
  const matches = processMatcher(search)
  return matches === everything ? processes : processes.filter(matches)
}
