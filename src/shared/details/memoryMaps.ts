import type { MemoryMapping, MemoryMaps, MemoryTotals } from './types'

/**
 * /proc/PID/smaps grouped by what is mapped (each file, [heap], [stack],
 * anonymous memory), and the totals of smaps_rollup. Sizes there are in kB.
 */

const HEADER = /^[0-9a-f]+-[0-9a-f]+\s+\S+\s+[0-9a-f]+\s+\S+\s+\d+\s*(.*)$/
const FIELD = /^(\w+):\s+(\d+) kB$/

function kindOf(name: string): MemoryMapping['kind'] {
  if (name === '') return 'anonymous'
  if (name === '[heap]') return 'heap'
  if (name.startsWith('[stack')) return 'stack'
  if (name.startsWith('[')) return 'special'
  return 'file'
}

/** A mapping's header starts with its address in lowercase hex; its fields start with a capital ("Rss:"). */
function isHeader(line: string): boolean {
  const c = line.charCodeAt(0)
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102)
}

/** The kB of a "Name:   123 kB" line as bytes. */
function kbField(line: string, nameLength: number): number {
  return Number.parseInt(line.slice(nameLength + 1), 10) * 1024
}

export function parseSmaps(text: string): MemoryMapping[] {
  const groups = new Map<string, MemoryMapping>()
  let current: MemoryMapping | undefined
  // Only three of the ~25 lines a mapping has matter: checked by their start, the rest skipped cheaply.
  for (const line of text.split('\n')) {
    if (isHeader(line)) {
      const header = HEADER.exec(line)
      if (!header) continue
      const raw = (header[1] ?? '').trim()
      const kind = kindOf(raw)
      // Anonymous memory is one group; so is each file, each [stack:tid] under [stack].
      const name = kind === 'anonymous' ? 'anonymous' : kind === 'stack' ? '[stack]' : raw
      current = groups.get(name)
      if (!current) {
        current = { name, kind, count: 0, sizeBytes: 0, rssBytes: 0, swapBytes: 0 }
        groups.set(name, current)
      }
      current.count++
    } else if (!current) {
      continue
    } else if (line.startsWith('Size:')) {
      current.sizeBytes += kbField(line, 4)
    } else if (line.startsWith('Rss:')) {
      current.rssBytes += kbField(line, 3)
    } else if (line.startsWith('Swap:')) {
      current.swapBytes += kbField(line, 4)
    }
  }
  return [...groups.values()].sort((a, b) => b.rssBytes - a.rssBytes || b.sizeBytes - a.sizeBytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The totals of smaps_rollup, or undefined when the text has no Rss line (not that file). */
export function parseSmapsRollup(text: string): MemoryTotals | undefined {
  const fields = new Map<string, number>()
  for (const line of text.split('\n')) {
    const field = FIELD.exec(line)
    if (field?.[1]) fields.set(field[1], Number(field[2]) * 1024)
  }
  const rss = fields.get('Rss')
  if (rss === undefined) return undefined
  return { rssBytes: rss, pssBytes: fields.get('Pss') ?? 0, swapBytes: fields.get('Swap') ?? 0, anonymousBytes: fields.get('Anonymous') ?? 0 }
}

/** Totals from the per-mapping groups, where the kernel has no smaps_rollup (before 4.14). */
export function totalsOf(mappings: readonly MemoryMapping[]): MemoryTotals {
  let rssBytes = 0
  let swapBytes = 0
  let anonymousBytes = 0
  for (const m of mappings) {
    rssBytes += m.rssBytes
    swapBytes += m.swapBytes
    if (m.kind !== 'file') anonymousBytes += m.rssBytes
  }
  return { rssBytes, pssBytes: rssBytes, swapBytes, anonymousBytes }
}

export function memoryMaps(smaps: string, rollup: string | undefined): MemoryMaps {
  const mappings = parseSmaps(smaps)
  return { totals: (rollup !== undefined ? parseSmapsRollup(rollup) : undefined) ?? totalsOf(mappings), mappings }
}
