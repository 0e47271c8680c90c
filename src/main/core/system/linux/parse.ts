import type { CpuCounters } from '../../../../shared/system/cpu'
import type { DiskCounters, InterfaceCounters } from '../../../../shared/system/derive'
import type { SystemMetrics } from '../../../../shared/types/system'

/** Pure parsers of the system-wide /proc files, tested on captured copies. */

export interface ProcStatCpus {
  total: CpuCounters | undefined
  cores: CpuCounters[]
}

function cpuColumns(fields: string[]): CpuCounters {
  const n = (i: number) => Number(fields[i] ?? 0) || 0
  // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user/nice]
  return { user: n(1), nice: n(2), system: n(3), idle: n(4), iowait: n(5), irq: n(6), softirq: n(7), steal: n(8) }
}

/** The `cpu` and `cpuN` lines of /proc/stat (offline CPUs have no line). */
export function parseProcStatCpus(text: string): ProcStatCpus {
  const out: ProcStatCpus = { total: undefined, cores: [] }
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) {
      // The cpu lines come first; the rest of the file (intr, ...) can be long.
      if (out.total) break
      continue
    }
    const fields = line.split(/\s+/)
    if (fields[0] === 'cpu') out.total = cpuColumns(fields)
    else out.cores.push(cpuColumns(fields))
  }
  return out
}

/** /proc/meminfo as bytes by field name (values are in kB = KiB). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(?: kB)?$/.exec(line)
    if (m) out.set(m[1]!, Number(m[2]) * (line.endsWith('kB') ? 1024 : 1))
  }
  return out
}

const pct = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0)

/**
 * Memory as free(1) counts it: used = total - MemAvailable (the kernel's own
 * estimate of what can be had without swapping); cache = Cached +
 * SReclaimable. Kernels before 3.14 lack MemAvailable: free + buffers + cache.
 */
export function memoryFromMeminfo(m: Map<string, number>): Pick<SystemMetrics, 'memory' | 'swap'> {
  const total = m.get('MemTotal') ?? 0
  const buffers = m.get('Buffers') ?? 0
  const cached = (m.get('Cached') ?? 0) + (m.get('SReclaimable') ?? 0)
  const available = Math.min(total, m.get('MemAvailable') ?? (m.get('MemFree') ?? 0) + buffers + cached)
  const used = total - available
  const swapTotal = m.get('SwapTotal') ?? 0
  const swapUsed = Math.max(0, swapTotal - (m.get('SwapFree') ?? 0))
  return {
    memory: { total, used, available, cached, buffers, percent: pct(used, total) },
    swap: { total: swapTotal, used: swapUsed, percent: pct(swapUsed, swapTotal) },
  }
}

export function parseLoadavg(text: string): SystemMetrics['load'] {
  const [a, b, c] = text.split(' ').map(Number)
  return [a || 0, b || 0, c || 0]
}

/** Seconds since boot: the first number of /proc/uptime. */
export function parseUptime(text: string): number {
  return Number(text.split(' ')[0]) || 0
}

/**
 * /proc/net/dev: two header lines, then `name: rx bytes packets errs drop
 * fifo frame compressed multicast tx bytes packets errs drop ...`. Old
 * kernels print no space after the colon when the number is wide.
 */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = []
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon < 0 || line.includes('|')) continue
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number)
    if (f.length < 16) continue
    out.push({
      name: line.slice(0, colon).trim(),
      rxBytes: f[0]!,
      rxPackets: f[1]!,
      rxErrors: f[2]!,
      txBytes: f[8]!,
      txPackets: f[9]!,
      txErrors: f[10]!,
    })
  }
  return out
}

/** /proc/diskstats counts sectors of 512 bytes, whatever the device's own sector size. */
const SECTOR_BYTES = 512

/**
 * /proc/diskstats, devices that `isDisk` accepts: `major minor name reads
 * merged sectorsRead msReading writes merged sectorsWritten ...`.
 */
export function parseDiskstats(text: string, isDisk: (name: string) => boolean): DiskCounters[] {
  const out: DiskCounters[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const device = f[2]!
    if (!isDisk(device)) continue
    out.push({
      device,
      readOps: Number(f[3]),
      readBytes: Number(f[5]) * SECTOR_BYTES,
      writeOps: Number(f[7]),
      writeBytes: Number(f[9]) * SECTOR_BYTES,
    })
  }
  return out
}

/**
 * Whole disks by name, for when /sys/block cannot be read: no partitions
 * (sda1, nvme0n1p2, mmcblk0p1), no RAM-backed or loop devices, and no
 * stacked ones (dm-*, md*) whose I/O already shows on the disks below them.
 */
export function isWholeDiskName(name: string): boolean {
  if (/^(loop|ram|zram|dm-|md|nbd|fd|sr)\d/.test(name)) return false
  if (/^(nvme\d+n\d+|mmcblk\d+)$/.test(name)) return true
  return /^[a-z]+$/.test(name) // sda, vda, xvda, hda; sda1 is a partition
}

export interface MountEntry {
  device: string
  mount: string
  type: string
}

/** Spaces, tabs, newlines and backslashes in paths appear as octal escapes (\040). */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

/** /proc/self/mounts (fstab format: device mount type options dump pass). */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = []
  for (const line of text.split('\n')) {
    const f = line.split(' ')
    if (f.length < 3) continue
    out.push({ device: unescapeMountField(f[0]!), mount: unescapeMountField(f[1]!), type: f[2]! })
  }
  return out
}

/** Kernel and memory filesystems, read-only images (snaps) and helper FUSE mounts: nothing a user stores files on. */
const PSEUDO_TYPES = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'ramfs', 'rootfs', 'cgroup', 'cgroup2', 'securityfs',
  'debugfs', 'tracefs', 'configfs', 'fusectl', 'mqueue', 'hugetlbfs', 'pstore', 'bpf', 'autofs',
  'binfmt_misc', 'efivarfs', 'nsfs', 'rpc_pipefs', 'selinuxfs', 'squashfs', 'devfs', 'nfsd',
  'fuse.lxcfs', 'fuse.portal', 'fuse.gvfsd-fuse', 'fuse.snapfuse', 'fuse.squashfuse', 'fuse.squashfuse_ll',
])

/** A remote server can make statfs hang: these are asked asynchronously, never on the sampling thread's path. */
const REMOTE_TYPES = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ceph', '9p', 'glusterfs', 'afs', 'davfs', 'fuse.sshfs', 'fuse.rclone'])

export type MountKind = 'pseudo' | 'local' | 'remote'

export function mountKind(type: string): MountKind {
  if (PSEUDO_TYPES.has(type)) return 'pseudo'
  if (REMOTE_TYPES.has(type) || type === 'fuse' || type.startsWith('fuse.')) return 'remote'
  return 'local'
}

/**
 * Mounts worth a statfs: no pseudo filesystems, and each device once (bind
 * mounts and btrfs subvolumes repeat it; the first, usually the shortest
 * path, is kept).
 */
export function realMounts(entries: MountEntry[]): (MountEntry & { kind: Exclude<MountKind, 'pseudo'> })[] {
  const seen = new Set<string>()
  const out: (MountEntry & { kind: Exclude<MountKind, 'pseudo'> })[] = []
  for (const e of entries) {
    const kind = mountKind(e.type)
    if (kind === 'pseudo' || seen.has(e.device)) continue
    seen.add(e.device)
    out.push({ ...e, kind })
  }
  return out
}

/** The state letter of /proc/PID/stat: the first field after the command name, which may contain ') '. */
export function statStateLetter(text: string): string | undefined {
  const close = text.lastIndexOf(')')
  return close < 0 ? undefined : text[close + 2]
}
