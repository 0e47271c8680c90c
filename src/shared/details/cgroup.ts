import type { CgroupEntry, Container } from './types'

/**
 * /proc/PID/cgroup, and the container a cgroup path shows, as Docker,
 * Podman, containerd, CRI-O, LXC and Kubernetes name their cgroups:
 *   /docker/<id>, /system.slice/docker-<id>.scope
 *   /machine.slice/libpod-<id>.scope, /user.slice/.../libpod-<id>.scope/container
 *   /system.slice/containerd.service/..., cri-containerd-<id>.scope
 *   /kubepods/.../crio-<id>.scope, /lxc.payload.<name>, /lxc/<name>
 */

export function parseCgroup(text: string): CgroupEntry[] {
  const entries: CgroupEntry[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const first = line.indexOf(':')
    const second = line.indexOf(':', first + 1)
    if (first < 0 || second < 0) continue
    const hierarchy = Number(line.slice(0, first))
    if (!Number.isInteger(hierarchy)) continue
    const controllers = line.slice(first + 1, second)
    entries.push({ hierarchy, controllers: controllers === '' ? [] : controllers.split(','), path: line.slice(second + 1) })
  }
  return entries
}

const ID = '([0-9a-f]{64})'
const PATTERNS: ReadonlyArray<[Container['runtime'], RegExp]> = [
  ['podman', new RegExp(`libpod-(?:conmon-)?${ID}`)],
  ['podman', new RegExp(`/libpod_parent/.*?${ID}`)],
  ['cri-o', new RegExp(`crio-(?:conmon-)?${ID}`)],
  ['containerd', new RegExp(`cri-containerd-${ID}`)],
  ['docker', new RegExp(`docker-${ID}\\.scope`)],
  ['docker', new RegExp(`/docker/${ID}`)],
  ['kubernetes', new RegExp(`/kubepods[^\\s]*/${ID}`)],
  ['containerd', new RegExp(`/(?:[^/]+)/${ID}$`)],
]
// lxc.payload.NAME holds the container; lxc.monitor.NAME is LXC's own monitor, on the host.
const LXC = /\/lxc(?:\.payload\.|\/)([^/]+)/

/** The container a cgroup path shows, or undefined for a process on the host. */
export function containerOfPath(path: string): Container | undefined {
  for (const [runtime, pattern] of PATTERNS) {
    const id = pattern.exec(path)?.[1]
    if (id) return { runtime, id }
  }
  const lxc = LXC.exec(path)?.[1]
  if (lxc) return { runtime: 'lxc', id: lxc }
  return undefined
}

/** The container of any of a process's cgroup entries (the v2 one first). */
export function containerOf(entries: readonly CgroupEntry[]): Container | undefined {
  const ordered = [...entries].sort((a, b) => a.hierarchy - b.hierarchy)
  for (const e of ordered) {
    const found = containerOfPath(e.path)
    if (found) return found
  }
  return undefined
}
