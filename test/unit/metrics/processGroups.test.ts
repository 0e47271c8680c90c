import { describe, expect, it } from 'vitest'
import { GroupCpuTotals, groupByName, groupName, MAX_PROCESS_GROUPS, OTHER_GROUP } from '../../../src/main/core/metrics/processGroups'
import type { RawProcess } from '../../../src/shared/types/process'

function proc(pid: number, name: string, cpuTimeMs: number, extra: Partial<RawProcess> = {}): RawProcess {
  return {
    pid, startTime: 1, ppid: 1, name, command: name, user: 'u', uid: 1000, state: 'sleeping', nice: 0, priority: 20,
    threads: 2, cpuTimeMs, memoryBytes: 1000, virtualBytes: 5000, kernelThread: false, ...extra,
  }
}

describe('groupByName', () => {
  it('adds up processes of one name: count, threads, CPU seconds, resident bytes', () => {
    const groups = groupByName([proc(1, 'a', 1500), proc(2, 'a', 500, { threads: 5 }), proc(3, 'b', 100)])
    expect(groups).toEqual([
      { name: 'a', processes: 2, threads: 7, cpuSeconds: 2, residentBytes: 2000 },
      { name: 'b', processes: 1, threads: 2, cpuSeconds: 0.1, residentBytes: 1000 },
    ])
  })

  it(`keeps the ${MAX_PROCESS_GROUPS} names with the most CPU time and sums the rest into one group, whatever the population`, () => {
    const many = Array.from({ length: 2000 }, (_, i) => proc(i + 2, `job-${i}`, i))
    const groups = groupByName(many)
    expect(groups).toHaveLength(MAX_PROCESS_GROUPS + 1)
    expect(groups[0]).toMatchObject({ name: 'job-1999', processes: 1 })
    const other = groups.at(-1)!
    expect(other.name).toBe(OTHER_GROUP)
    expect(other.processes).toBe(2000 - MAX_PROCESS_GROUPS)
    // Nothing lost: the groups add up to the whole.
    expect(groups.reduce((n, g) => n + g.processes, 0)).toBe(2000)
    expect(groups.reduce((n, g) => n + g.residentBytes, 0)).toBe(2000 * 1000)
  })

  it('groups kernel threads by the name before their first "/", so per-CPU and work-queue suffixes make no new series', () => {
    expect(groupName({ name: 'kworker/1:1H-kblockd', kernelThread: true })).toBe('kworker')
    expect(groupName({ name: 'ksoftirqd/0', kernelThread: true })).toBe('ksoftirqd')
    // A user process keeps its name, slashes and all.
    expect(groupName({ name: 'a/b', kernelThread: false })).toBe('a/b')
  })

  it('keeps CPU seconds growing when a process exits, and counts a reused pid as a new process', () => {
    const cpu = new GroupCpuTotals()
    const seconds = (list: RawProcess[]) => Object.fromEntries(groupByName(list, cpu).map((g) => [g.name, g.cpuSeconds]))
    expect(seconds([proc(1, 'a', 1000), proc(2, 'a', 3000)])).toEqual({ a: 4 })
    // pid 2 used 1 s more, then exited: what it used stays counted.
    expect(seconds([proc(1, 'a', 1500), proc(2, 'a', 4000)])).toEqual({ a: 5.5 })
    expect(seconds([proc(1, 'a', 1500)])).toEqual({ a: 5.5 })
    // pid 2 again, another process (another start time), with 0.2 s of its own.
    expect(seconds([proc(1, 'a', 1500), proc(2, 'a', 200, { startTime: 9 })])).toEqual({ a: 5.7 })
  })

  it(`keeps "${OTHER_GROUP}" growing while groups move in and out of the kept ones`, () => {
    const cpu = new GroupCpuTotals()
    const other = (list: RawProcess[]) => groupByName(list, cpu, 1).find((g) => g.name === OTHER_GROUP)?.cpuSeconds
    // b is folded (a leads): other holds b's 1 s.
    expect(other([proc(1, 'a', 5000), proc(2, 'b', 1000)])).toBe(1)
    // b overtakes a: b is kept, a folded; other adds a's increment only (0.5 s), never drops by b's total.
    expect(other([proc(1, 'a', 5500), proc(2, 'b', 9000)])).toBe(1.5)
    expect(other([proc(1, 'a', 6500), proc(2, 'b', 9000)])).toBe(2.5)
  })

  it('forgets groups with no live process past its bound, never a live one', () => {
    const cpu = new GroupCpuTotals(3)
    for (let i = 0; i < 5; i++) cpu.add([proc(100 + i, `gone-${i}`, 1000), proc(1, 'live', 1000 * (i + 1))])
    expect(cpu.seconds('live')).toBe(5)
    expect(cpu.seconds('gone-0')).toBe(0)
    expect(cpu.seconds('gone-4')).toBe(1)
  })
})
