import type { ProcessInfo } from '../../../src/shared/types/process'

/** A plausible user process; override what a test is about. */
export function proc(overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid: 4242,
    ppid: 1,
    name: 'node',
    command: '/usr/bin/node server.js --port=8080',
    exe: '/usr/bin/node',
    user: 'alice',
    uid: 1000,
    state: 'sleeping',
    nice: 0,
    priority: 20,
    threads: 11,
    cpuPercent: 12.5,
    memoryBytes: 150 * 1024 ** 2,
    memoryPercent: 1.8,
    virtualBytes: 1.2e9,
    openFiles: 24,
    kernelThread: false,
    startTime: 1_700_000_000_000,
    ...overrides,
  }
}

/** The same process as seen without permission to read exe and open files. */
export function hidden(p: ProcessInfo): ProcessInfo {
  const { exe: _exe, openFiles: _files, ...rest } = p
  return rest
}
