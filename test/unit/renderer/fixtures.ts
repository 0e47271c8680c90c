import type { ProcessInfo } from '../../../src/shared/types/process'

/** A process with plausible defaults; tests override what they look at. */
export function proc(over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid: 100,
    ppid: 1,
    startTime: 1_700_000_000_000,
    name: 'node',
    command: 'node app.js',
    user: 'alice',
    uid: 1000,
    state: 'sleeping',
    nice: 0,
    priority: 20,
    memoryBytes: 50 * 1024 * 1024,
    virtualBytes: 900 * 1024 * 1024,
    kernelThread: false,
    cpuPercent: 0,
    memoryPercent: 0.5,
    ...over,
  }
}
