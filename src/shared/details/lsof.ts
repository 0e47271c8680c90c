import type { OpenFile, OpenFileMode, OpenFileType } from './types'

/**
 * Open files from `lsof -nP -w -p PID -F fatn` (macOS has no /proc): one
 * field per line, its first character naming it (p pid, f fd, a access,
 * t type, n name). Descriptors that are not numbers (cwd, txt, mem) are
 * the process's own mappings and folders, not open files: left out.
 */

const TYPES: Readonly<Record<string, OpenFileType>> = {
  REG: 'file',
  DIR: 'dir',
  CHR: 'char',
  BLK: 'block',
  FIFO: 'pipe',
  PIPE: 'pipe',
  unix: 'socket',
  IPv4: 'socket',
  IPv6: 'socket',
  sock: 'socket',
  systm: 'other',
  KQUEUE: 'anon_inode',
  a_inode: 'anon_inode',
  LINK: 'link',
}
const MODES: Readonly<Record<string, OpenFileMode>> = { r: 'r', w: 'w', u: 'rw' }
const DELETED = / \(deleted\)$/

export function parseLsofFields(text: string): OpenFile[] {
  const files: OpenFile[] = []
  let current: { fd: number; mode?: OpenFileMode; type: OpenFileType } | undefined
  for (const line of text.split('\n')) {
    const field = line.charAt(0)
    const value = line.slice(1)
    if (field === 'f') {
      current = /^\d+$/.test(value) ? { fd: Number(value), type: 'other' } : undefined
    } else if (!current) {
      continue
    } else if (field === 'a') {
      const mode = MODES[value]
      if (mode) current.mode = mode
    } else if (field === 't') {
      current.type = TYPES[value] ?? 'other'
    } else if (field === 'n') {
      const deleted = DELETED.test(value)
      files.push({ ...current, path: deleted ? value.replace(DELETED, '') : value, deleted })
      current = undefined
    }
  }
  return files.sort((a, b) => a.fd - b.fd)
}
