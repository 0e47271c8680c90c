import type { ProgramLogLine } from '../../../shared/supervisor/status'

/** The log viewer's pure parts: which lines show, where the search matches, where the last start is. */

export type StreamFilter = 'both' | 'stdout' | 'stderr'

/** Lines kept in the viewer: the oldest go first. */
export const MAX_LOG_LINES = 20_000

export function appendLines(lines: readonly ProgramLogLine[], batch: readonly ProgramLogLine[], cap = MAX_LOG_LINES): ProgramLogLine[] {
  const all = lines.concat(batch)
  return all.length > cap ? all.slice(all.length - cap) : all
}

export function filterLines(lines: readonly ProgramLogLine[], stream: StreamFilter): readonly ProgramLogLine[] {
  return stream === 'both' ? lines : lines.filter((l) => l.stream === stream)
}

/** The line's text cut at each (case-insensitive) occurrence of the query, matches flagged. */
export function splitMatches(text: string, query: string): Array<{ text: string; match: boolean }> {
  if (query === '') return [{ text, match: false }]
  const parts: Array<{ text: string; match: boolean }> = []
  const hay = text.toLowerCase()
  const needle = query.toLowerCase()
  let at = 0
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    if (i > at) parts.push({ text: text.slice(at, i), match: false })
    parts.push({ text: text.slice(i, i + needle.length), match: true })
    at = i + needle.length
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false })
  return parts
}

/** The indexes of the lines holding the query (case-insensitive). */
export function matchingLines(lines: readonly ProgramLogLine[], query: string): number[] {
  if (query === '') return []
  const needle = query.toLowerCase()
  const out: number[] = []
  lines.forEach((l, i) => {
    if (l.text.toLowerCase().includes(needle)) out.push(i)
  })
  return out
}

/** The first line written at or after the last start, or -1 (no start known, or nothing since). */
export function lastStartIndex(lines: readonly ProgramLogLine[], lastStartAt: number | undefined): number {
  if (lastStartAt === undefined) return -1
  return lines.findIndex((l) => l.at >= lastStartAt)
}

/** The next match after `from` (wrapping), or before it with `back`. */
export function nextMatch(matches: readonly number[], from: number, back = false): number | undefined {
  if (matches.length === 0) return undefined
  if (back) {
    for (let i = matches.length - 1; i >= 0; i--) if (matches[i]! < from) return matches[i]
    return matches[matches.length - 1]
  }
  for (const m of matches) if (m > from) return m
  return matches[0]
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

/** "14:03:07.250" */
export function logTime(at: number): string {
  return `${clock.format(at)}.${String(Math.floor(at % 1000)).padStart(3, '0')}`
}
