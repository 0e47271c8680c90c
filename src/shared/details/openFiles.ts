import type { OpenFileMode, OpenFileType } from './types'

/**
 * What one /proc/PID/fd entry is: its link text says most (pipe:, socket:,
 * anon_inode:, " (deleted)"); for a path, the stat mode of what it points
 * to tells file, dir, char or block device.
 */

const DELETED = ' (deleted)'

// The S_IFMT bits of st_mode, as POSIX numbers them (fixed values on Linux and macOS).
const S_IFMT = 0o170000
const BY_FORMAT: ReadonlyMap<number, OpenFileType> = new Map([
  [0o100000, 'file'],
  [0o040000, 'dir'],
  [0o020000, 'char'],
  [0o060000, 'block'],
  [0o010000, 'pipe'],
  [0o140000, 'socket'],
  [0o120000, 'link'],
])

export function fileTypeOfMode(statMode: number): OpenFileType {
  return BY_FORMAT.get(statMode & S_IFMT) ?? 'other'
}

/**
 * The type, path and deleted mark of an fd from its link text and, when the
 * target could be stat'ed, its mode. A deleted file cannot be stat'ed by
 * path, so its type comes from the stat of the fd itself.
 */
export function classifyFdLink(link: string, statMode: number | undefined): { path: string; type: OpenFileType; deleted: boolean } {
  if (link.startsWith('socket:[')) return { path: link, type: 'socket', deleted: false }
  if (link.startsWith('pipe:[')) return { path: link, type: 'pipe', deleted: false }
  if (link.startsWith('anon_inode:')) return { path: link, type: 'anon_inode', deleted: false }
  const deleted = link.startsWith('/') && link.endsWith(DELETED)
  const path = deleted ? link.slice(0, -DELETED.length) : link
  return { path, type: statMode === undefined ? 'other' : fileTypeOfMode(statMode), deleted }
}

/** O_ACCMODE of the octal `flags:` line of /proc/PID/fdinfo/N: 0 read, 1 write, 2 both. */
export function modeOfFlags(octalFlags: string): OpenFileMode | undefined {
  const flags = Number.parseInt(octalFlags, 8)
  if (!Number.isFinite(flags)) return undefined
  switch (flags & 3) {
    case 0:
      return 'r'
    case 1:
      return 'w'
    case 2:
      return 'rw'
    default:
      return undefined
  }
}

/** The `flags:` value of an fdinfo text, or undefined. */
export function fdinfoFlags(fdinfo: string): string | undefined {
  return /^flags:\s*([0-7]+)$/m.exec(fdinfo)?.[1]
}
