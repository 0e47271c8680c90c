import { statfsSync, promises as fsp, type StatsFs } from 'node:fs'
import type { FilesystemUsage } from '../../../../shared/types/system'
import { parseMounts, realMounts, type MountEntry } from './parse'

/** Sizes as df counts them: used = blocks - free; % of what a user can have (used + available). */
export function filesystemUsage(entry: MountEntry, s: Pick<StatsFs, 'bsize' | 'blocks' | 'bfree' | 'bavail'>): FilesystemUsage {
  const sizeBytes = s.blocks * s.bsize
  const usedBytes = (s.blocks - s.bfree) * s.bsize
  const availableBytes = s.bavail * s.bsize
  const userSpace = usedBytes + availableBytes
  return {
    mount: entry.mount,
    device: entry.device,
    type: entry.type,
    sizeBytes,
    usedBytes,
    availableBytes,
    percent: userSpace > 0 ? (usedBytes / userSpace) * 100 : 0,
  }
}

/**
 * Usage of every real mount. Local filesystems are asked with statfs
 * directly (microseconds). A remote one (NFS, SMB, sshfs, ...) can block
 * for as long as its server is unreachable, so it is asked asynchronously,
 * at most one request in flight per mount, and shows its last answer.
 */
export class FilesystemReader {
  private readonly remote = new Map<string, { usage?: FilesystemUsage; pending: boolean }>()

  constructor(private readonly mountsText: () => string | undefined) {}

  read(): FilesystemUsage[] {
    const out: FilesystemUsage[] = []
    const mounts = realMounts(parseMounts(this.mountsText() ?? ''))
    for (const m of mounts) {
      if (m.kind === 'remote') {
        const usage = this.remoteUsage(m)
        if (usage) out.push(usage)
        continue
      }
      try {
        const usage = filesystemUsage(m, statfsSync(m.mount))
        if (usage.sizeBytes > 0) out.push(usage)
      } catch {
        // Unmounted meanwhile, or not ours to look at.
      }
    }
    for (const mount of this.remote.keys()) if (!mounts.some((m) => m.mount === mount)) this.remote.delete(mount)
    return out
  }

  private remoteUsage(m: MountEntry): FilesystemUsage | undefined {
    let state = this.remote.get(m.mount)
    if (!state) this.remote.set(m.mount, (state = { pending: false }))
    if (!state.pending) {
      const s = state
      s.pending = true
      fsp.statfs(m.mount).then(
        (st) => {
          s.pending = false
          s.usage = st.blocks > 0 ? filesystemUsage(m, st) : undefined
        },
        () => {
          s.pending = false
          s.usage = undefined
        },
      )
    }
    return state.usage
  }
}
