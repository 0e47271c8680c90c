/** What the details panel's tabs show of one process, as the engine answers it. */

export type OpenFileType = 'file' | 'dir' | 'pipe' | 'socket' | 'anon_inode' | 'char' | 'block' | 'link' | 'other'
export type OpenFileMode = 'r' | 'w' | 'rw'

export interface OpenFile {
  fd: number
  /** The path, or what stands for one (`pipe:[123]`, `socket:[456]`, `anon_inode:[eventfd]`). */
  path: string
  type: OpenFileType
  /** Unknown where the flags cannot be read. */
  mode?: OpenFileMode
  /** The file was unlinked while still open: its space is freed only when it is closed. */
  deleted: boolean
}

export interface EnvironmentVariable {
  name: string
  /** Left out for a secret-looking name: revealEnvironmentVariable returns it on request. */
  value?: string
  /** The name looks like it holds a secret (TOKEN, SECRET, PASSWORD, KEY, ...). */
  secret: boolean
}

/** An answer that may be refused for another user's process, said as such rather than as an error. */
export type Readable<T> = { permitted: true; value: T } | { permitted: false; reason: string }

export interface ThreadInfo {
  tid: number
  name: string
  state: string
  /** Of one core, over `cpuBasis`. */
  cpuPercent: number
}

export interface ThreadList {
  threads: ThreadInfo[]
  /** 'interval': since the previous reading of this process's threads; 'lifetime': since each thread started. */
  cpuBasis: 'interval' | 'lifetime'
}

export interface MemoryMapping {
  /** A file's path, or [heap], [stack], [vdso], ..., or 'anonymous'. */
  name: string
  kind: 'file' | 'heap' | 'stack' | 'anonymous' | 'special'
  /** How many mappings it groups. */
  count: number
  sizeBytes: number
  rssBytes: number
  swapBytes: number
}

export interface MemoryTotals {
  rssBytes: number
  pssBytes: number
  swapBytes: number
  anonymousBytes: number
}

export interface MemoryMaps {
  /** From smaps_rollup where the kernel has it, else summed from smaps. */
  totals: MemoryTotals
  /** Largest resident first. */
  mappings: MemoryMapping[]
}

export interface CgroupEntry {
  /** The hierarchy id (0 for the unified cgroup v2 tree). */
  hierarchy: number
  /** The controllers of that hierarchy ('' for v2). */
  controllers: string[]
  path: string
}

export interface Container {
  runtime: 'docker' | 'podman' | 'containerd' | 'cri-o' | 'lxc' | 'kubernetes'
  /** Full id as the cgroup path names it (64 hex digits for most runtimes). */
  id: string
}

export interface CgroupInfo {
  entries: CgroupEntry[]
  container?: Container
}
