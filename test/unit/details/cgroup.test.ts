import { describe, expect, it } from 'vitest'
import { containerOf, containerOfPath, parseCgroup } from '../../../src/shared/details/cgroup'

const ID = '3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809'

describe('cgroup', () => {
  it('parses v1 hierarchies with their controllers and the v2 entry', () => {
    // Captured: /proc/self/cgroup inside this sandbox (hybrid v1 + v2).
    const text = '9:name=systemd:/\n4:memory:/process_api/31b4affd4d95f391a18a24cff0e3ac2d\n2:cpu,cpuacct:/\n0::/\n'
    expect(parseCgroup(text)).toEqual([
      { hierarchy: 9, controllers: ['name=systemd'], path: '/' },
      { hierarchy: 4, controllers: ['memory'], path: '/process_api/31b4affd4d95f391a18a24cff0e3ac2d' },
      { hierarchy: 2, controllers: ['cpu', 'cpuacct'], path: '/' },
      { hierarchy: 0, controllers: [], path: '/' },
    ])
    // A 32-digit id is no container's.
    expect(containerOf(parseCgroup(text))).toBeUndefined()
    expect(parseCgroup('garbage\n\n')).toEqual([])
  })

  it.each([
    ['Docker, cgroup v1 (cgroupfs driver)', `/docker/${ID}`, 'docker'],
    ['Docker, cgroup v2 with systemd', `/system.slice/docker-${ID}.scope`, 'docker'],
    ['Podman as root', `/machine.slice/libpod-${ID}.scope`, 'podman'],
    ['Podman rootless', `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container`, 'podman'],
    ['Podman conmon', `/machine.slice/libpod-conmon-${ID}.scope`, 'podman'],
    ['Podman, cgroupfs manager', `/libpod_parent/libpod-${ID}`, 'podman'],
    ['Kubernetes on containerd', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-${ID}.scope`, 'containerd'],
    ['Kubernetes on CRI-O', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podab.slice/crio-${ID}.scope`, 'cri-o'],
    ['Kubernetes, cgroup v1', `/kubepods/burstable/pod5a5d1a7c-7d8e-11e9-a4b7-42010a800002/${ID}`, 'kubernetes'],
    ['containerd with ctr', `/default/${ID}`, 'containerd'],
  ])('finds the container id: %s', (_what, path, runtime) => {
    expect(containerOfPath(path)).toEqual({ runtime, id: ID })
    expect(containerOf(parseCgroup(`0::${path}\n`))).toEqual({ runtime, id: ID })
  })

  it('names LXC containers by their name', () => {
    expect(containerOfPath('/lxc.payload.web01')).toEqual({ runtime: 'lxc', id: 'web01' })
    expect(containerOfPath('/lxc/db/')).toEqual({ runtime: 'lxc', id: 'db' })
    expect(containerOfPath('/lxc.monitor.web01')).toBeUndefined()
  })

  it('sees no container on the host', () => {
    for (const path of ['/', '/user.slice/user-1000.slice/session-2.scope', '/system.slice/docker.service', '/init.scope', '/system.slice/containerd.service']) {
      expect(containerOfPath(path), path).toBeUndefined()
    }
  })
})
