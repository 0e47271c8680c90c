import type { CpuCounters } from '../../../../shared/system/cpu'
import type { DiskCounters, InterfaceCounters } from '../../../../shared/system/derive'
import type { SystemMetrics } from '../../../../shared/types/system'

/** Pure parsers of the system-wide /proc files, tested on captured copies. */

export interface ProcStatCpus {
  total: CpuCounters | undefined
  cores: CpuCounters[]
}

/*
 * The files read every sample are scanned from their bytes: at one sample a
 * second the code runs cold, and scanning measured 6 to 9 times cheaper than
 * splitting strings with regular expressions (about 15 against 94 µs for
 * /proc/stat, 15 against 143 µs for /proc/meminfo, medians over two
 * minutes at 1 Hz on this project's machine). The string forms below wrap
 * them, for tests and one-off reads.
 */

/** Scan position, shared by the scanners below (each starts it at 0). */
let pos = 0

const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09

function skipBlanks(buf: Uint8Array, end: number): void {
  while (pos < end && isBlank(buf[pos])) pos++
}

/** Moves pos past the end of the current line. */
function nextLine(buf: Uint8Array, end: number): void {
  while (pos < end && buf[pos] !== 0x0a) pos++
  pos++
}

/** An unsigned decimal integer at pos (after blanks), or NaN if there is none. */
function uint(buf: Uint8Array, end: number): number {
  skipBlanks(buf, end)
  let v = 0
  const start = pos
  for (let c = buf[pos] ?? 0; pos < end && c >= 48 && c <= 57; c = buf[++pos] ?? 0) v = v * 10 + (c - 48)
  return pos > start ? v : NaN
}

/**
 * An unsigned decimal with a fraction ("12.34"), or NaN. All digits as one
 * integer, divided once by a power of ten: the same double as Number("12.34").
 */
function decimal(buf: Uint8Array, end: number): number {
  skipBlanks(buf, end)
  let v = 0
  let scale = 1
  let fraction = false
  const start = pos
  for (; pos < end; pos++) {
    const c = buf[pos] ?? 0
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48)
      if (fraction) scale *= 10
    } else if (c === 0x2e && !fraction) fraction = true
    else break
  }
  return pos > start ? v / scale : NaN
}

/** The bytes of a word (up to a blank, a newline or `stop`), latin1. */
function word(buf: Uint8Array, end: number, stop = -1): string {
  skipBlanks(buf, end)
  let out = ''
  for (let c = buf[pos] ?? 0; pos < end && c !== 0x0a && c !== stop && !isBlank(c); c = buf[++pos] ?? 0) out += String.fromCharCode(c)
  return out
}

const C = 0x63
const P = 0x70
const U = 0x75

/**
 * The `cpu` and `cpuN` lines of /proc/stat (offline CPUs have no line):
 * user nice system idle iowait irq softirq steal (guest and guest_nice are
 * already inside user and nice). Missing columns (old kernels) read 0.
 */
export function scanProcStatCpus(buf: Uint8Array, end: number): ProcStatCpus {
  const out: ProcStatCpus = { total: undefined, cores: [] }
  pos = 0
  while (pos < end) {
    if (pos + 2 >= end || buf[pos] !== C || buf[pos + 1] !== P || buf[pos + 2] !== U) {
      // The cpu lines come first; the rest of the file (intr, ...) can be long.
      if (out.total) break
      nextLine(buf, end)
      continue
    }
    pos += 3
    const total = isBlank(buf[pos])
    while (pos < end && !isBlank(buf[pos]) && buf[pos] !== 0x0a) pos++
    const n = () => {
      skipBlanks(buf, end)
      return buf[pos] === 0x0a ? 0 : uint(buf, end) || 0
    }
    const counters: CpuCounters = { user: n(), nice: n(), system: n(), idle: n(), iowait: n(), irq: n(), softirq: n(), steal: n() }
    if (total) out.total = counters
    else out.cores.push(counters)
    nextLine(buf, end)
  }
  return out
}

/** The `cpu` and `cpuN` lines of /proc/stat (offline CPUs have no line). */
export function parseProcStatCpus(text: string): ProcStatCpus {
  const buf = Buffer.from(text, 'latin1')
  return scanProcStatCpus(buf, buf.length)
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

/** The fields memoryFromMeminfo uses, as bytes to match line starts against. */
const MEMINFO_FIELDS = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SReclaimable', 'SwapTotal', 'SwapFree'].map((name) => ({
  name,
  bytes: Buffer.from(`${name}:`, 'latin1'),
}))

/** Memory and swap from /proc/meminfo's bytes: only the fields used, no string per line. */
export function scanMeminfo(buf: Uint8Array, end: number): Pick<SystemMetrics, 'memory' | 'swap'> {
  const fields = new Map<string, number>()
  pos = 0
  while (pos < end) {
    for (const f of MEMINFO_FIELDS) {
      let i = 0
      while (i < f.bytes.length && pos + i < end && buf[pos + i] === f.bytes[i]) i++
      if (i === f.bytes.length) {
        pos += i
        const v = uint(buf, end)
        skipBlanks(buf, end)
        if (!Number.isNaN(v)) fields.set(f.name, buf[pos] === 0x6b ? v * 1024 : v)
        break
      }
    }
    nextLine(buf, end)
  }
  return memoryFromMeminfo(fields)
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

export function scanLoadavg(buf: Uint8Array, end: number): SystemMetrics['load'] {
  pos = 0
  const a = decimal(buf, end)
  const b = decimal(buf, end)
  const c = decimal(buf, end)
  return [a || 0, b || 0, c || 0]
}

export function parseLoadavg(text: string): SystemMetrics['load'] {
  const buf = Buffer.from(text, 'latin1')
  return scanLoadavg(buf, buf.length)
}

/** Seconds since boot: the first number of /proc/uptime. */
export function scanUptime(buf: Uint8Array, end: number): number {
  pos = 0
  return decimal(buf, end) || 0
}

export function parseUptime(text: string): number {
  const buf = Buffer.from(text, 'latin1')
  return scanUptime(buf, buf.length)
}

/**
 * /proc/net/dev: two header lines, then `name: rx bytes packets errs drop
 * fifo frame compressed multicast tx bytes packets errs drop ...`. Old
 * kernels print no space after the colon when the number is wide.
 */
export function scanNetDev(buf: Uint8Array, end: number): InterfaceCounters[] {
  const out: InterfaceCounters[] = []
  const f: number[] = []
  pos = 0
  while (pos < end) {
    let colon = -1
    let bar = false
    for (let i = pos; i < end && buf[i] !== 0x0a; i++) {
      if (buf[i] === 0x3a && colon < 0) colon = i
      else if (buf[i] === 0x7c) bar = true
    }
    if (colon < 0 || bar) {
      nextLine(buf, end)
      continue
    }
    const name = word(buf, colon, 0x3a)
    pos = colon + 1
    f.length = 0
    for (let v = uint(buf, end); !Number.isNaN(v); v = uint(buf, end)) f.push(v)
    if (f.length >= 16) {
      out.push({ name, rxBytes: f[0]!, rxPackets: f[1]!, rxErrors: f[2]!, txBytes: f[8]!, txPackets: f[9]!, txErrors: f[10]! })
    }
    nextLine(buf, end)
  }
  return out
}

export function parseNetDev(text: string): InterfaceCounters[] {
  const buf = Buffer.from(text, 'latin1')
  return scanNetDev(buf, buf.length)
}

/** /proc/diskstats counts sectors of 512 bytes, whatever the device's own sector size. */
const SECTOR_BYTES = 512

/**
 * /proc/diskstats, devices that `isDisk` accepts: `major minor name reads
 * merged sectorsRead msReading writes merged sectorsWritten ...`.
 */
export function scanDiskstats(buf: Uint8Array, end: number, isDisk: (name: string) => boolean): DiskCounters[] {
  const out: DiskCounters[] = []
  pos = 0
  while (pos < end) {
    const major = uint(buf, end)
    const minor = uint(buf, end)
    const device = word(buf, end)
    const readOps = uint(buf, end)
    uint(buf, end) // reads merged
    const sectorsRead = uint(buf, end)
    uint(buf, end) // ms reading
    const writeOps = uint(buf, end)
    uint(buf, end) // writes merged
    const sectorsWritten = uint(buf, end)
    if (!Number.isNaN(major + minor + sectorsWritten) && device && isDisk(device)) {
      out.push({ device, readOps, readBytes: sectorsRead * SECTOR_BYTES, writeOps, writeBytes: sectorsWritten * SECTOR_BYTES })
    }
    nextLine(buf, end)
  }
  return out
}

export function parseDiskstats(text: string, isDisk: (name: string) => boolean): DiskCounters[] {
  const buf = Buffer.from(text, 'latin1')
  return scanDiskstats(buf, buf.length, isDisk)
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
