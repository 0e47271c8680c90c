import type { FilesystemUsage } from '../types/system'

/**
 * A filesystem's space in four figures that add up, as df and GNOME Disks
 * show it: used + available + reserved = size. Showing "used of size" beside
 * df's percentage mixes two bases: df's Use% is of the space a user can
 * have (used + available), which is smaller than the size whenever space is
 * reserved for the superuser.
 */
export interface FilesystemSpace {
  size: number
  used: number
  /** Free for anyone. */
  available: number
  /** Free for the superuser only: size - used - available (never negative). */
  reserved: number
  /** used + available: the space a user can have. */
  usable: number
  /** used / usable, 0..100, as df's Use% (0 for an empty usable space). */
  percent: number
}

const bytes = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0)

export function filesystemSpace(fs: Pick<FilesystemUsage, 'sizeBytes' | 'usedBytes' | 'availableBytes'>): FilesystemSpace {
  const used = bytes(fs.usedBytes)
  const available = bytes(fs.availableBytes)
  const size = bytes(fs.sizeBytes)
  const usable = used + available
  // Some filesystems (btrfs, FUSE ones) may report more than their size as used + available: nothing is reserved then.
  return { size, used, available, reserved: Math.max(0, size - usable), usable, percent: usable > 0 ? (used / usable) * 100 : 0 }
}
