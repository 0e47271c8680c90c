import { describe, expect, it } from 'vitest'
import { formatProcessTree } from '../../../src/main/cli/format'
import { buildProcessTree } from '../../../src/shared/process/tree'
import type { ProcessInfo } from '../../../src/shared/types/process'

function proc(pid: number, ppid: number, name: string): ProcessInfo {
  return {
    pid, ppid, startTime: 0, name, command: name, user: 'u', uid: 0, state: 'sleeping', nice: 0,
    priority: 20, threads: 1, memoryBytes: 1024 ** 2, virtualBytes: 0, kernelThread: false, cpuPercent: 0, memoryPercent: 0,
  }
}

// Two roots (init, and an orphan whose parent is not listed); siblings at
// several depths; a last child that has children of its own.
const forest = buildProcessTree([
  proc(1, 0, 'init'),
  proc(10, 1, 'sshd'),
  proc(11, 10, 'bash'),
  proc(111, 11, 'vim'),
  proc(112, 11, 'less'),
  proc(12, 10, 'bash'),
  proc(20, 1, 'cron'),
  proc(21, 20, 'job'),
  proc(211, 21, 'sleep'),
  proc(500, 9999, 'orphan'),
  proc(501, 500, 'worker'),
])

describe('formatProcessTree', () => {
  it('draws branches as pstree and htop do: ├─ for all but the last child, └─ for the last, │ where a branch goes on', () => {
    expect(formatProcessTree(forest).split('\n')).toEqual([
      '1 init 0.0% 1.0 MiB  [8 below, 0.0% cpu, 9.0 MiB]',
      '├─ 10 sshd 0.0% 1.0 MiB  [4 below, 0.0% cpu, 5.0 MiB]',
      '│  ├─ 11 bash 0.0% 1.0 MiB  [2 below, 0.0% cpu, 3.0 MiB]',
      '│  │  ├─ 111 vim 0.0% 1.0 MiB',
      '│  │  └─ 112 less 0.0% 1.0 MiB',
      '│  └─ 12 bash 0.0% 1.0 MiB',
      '└─ 20 cron 0.0% 1.0 MiB  [2 below, 0.0% cpu, 3.0 MiB]',
      '   └─ 21 job 0.0% 1.0 MiB  [1 below, 0.0% cpu, 2.0 MiB]',
      '      └─ 211 sleep 0.0% 1.0 MiB',
      '500 orphan 0.0% 1.0 MiB  [1 below, 0.0% cpu, 2.0 MiB]',
      '└─ 501 worker 0.0% 1.0 MiB',
    ])
  })

  it('cuts lines to the terminal width, glyphs included', () => {
    const lines = formatProcessTree(forest, 12).split('\n')
    expect(lines[3]).toBe('│  │  ├─ 111')
    expect(lines.every((l) => l.length <= 12)).toBe(true)
  })

  it('draws a chain thousands deep without running out of stack', () => {
    const chain = buildProcessTree(Array.from({ length: 5000 }, (_, i) => proc(i + 1, i, 'p')))
    const lines = formatProcessTree(chain).split('\n')
    expect(lines).toHaveLength(5000)
    expect(lines[2]).toBe('   └─ 3 p 0.0% 1.0 MiB  [4997 below, 0.0% cpu, 4.9 GiB]')
  })
})
