import type { CpuScale, ProcessInfo, ProcessSnapshot, RawProcessSample } from '../types/process'

/** Identity key: a pid reused by a new process gets a new key. */
export function identityKey(p: { pid: number; startTime: number }): string {
  return `${p.pid}:${p.startTime}`
}

/** Rate per second of a cumulative counter; counters that go backwards give 0, a zero period gives undefined. */
export function ratePerSecond(prev: number | undefined, cur: number | undefined, elapsedMs: number): number | undefined {
  if (prev === undefined || cur === undefined || !(elapsedMs > 0)) return undefined
  const delta = cur - prev
  return delta > 0 ? (delta * 1000) / elapsedMs : 0
}

/**
 * CPU % of one process between two readings, top-style (100 = one core),
 * saturating: never negative, never above cores x 100, never NaN.
 */
export function cpuPercent(prevCpuMs: number, curCpuMs: number, elapsedMs: number, cpuCount: number): number {
  if (!(elapsedMs > 0)) return 0
  const used = curCpuMs - prevCpuMs
  if (!(used > 0)) return 0
  return Math.min((used / elapsedMs) * 100, cpuCount * 100)
}

/**
 * Turns two raw samples into a snapshot. A process seen for the first time
 * that started after the previous reading is measured over its own life;
 * with no previous reading at all, CPU % is 0 (unknown, not guessed).
 *
 * `prevSnapshot`, the snapshot derived from `prev`, lets a process whose
 * reading did not change (the reader hands back the same object: it did not
 * run) keep its last info object when every derived figure is the same too
 * (no CPU, no I/O): most processes sleep, and at the machine's own ~80
 * processes building them afresh every second was a tenth of the engine's
 * CPU. Readers of snapshots never mutate infos except to scale CPU, and a
 * kept one's CPU is 0.
 */
export function deriveSnapshot(prev: RawProcessSample | undefined, cur: RawProcessSample, prevSnapshot?: ProcessSnapshot): ProcessSnapshot {
  // By pid (an index into prev), checked against start time: cheaper than building a string key per process.
  const before = new Map<number, number>()
  if (prev) for (let i = 0; i < prev.processes.length; i++) before.set(prev.processes[i]!.pid, i)
  const infos = prevSnapshot && prev && prevSnapshot.processes.length === prev.processes.length && prevSnapshot.memoryTotal === cur.memoryTotal ? prevSnapshot.processes : undefined
  const elapsed = prev ? cur.monotonicMs - prev.monotonicMs : 0
  const processes: ProcessInfo[] = cur.processes.map((p) => {
    const at = before.get(p.pid)
    const seen = at === undefined ? undefined : prev!.processes[at]
    const old = seen !== undefined && seen.startTime === p.startTime ? seen : undefined
    let cpu = 0
    if (p.cpuPercentHint !== undefined) cpu = Math.max(0, Math.min(p.cpuPercentHint, cur.cpuCount * 100))
    else if (old) cpu = cpuPercent(old.cpuTimeMs, p.cpuTimeMs, elapsed, cur.cpuCount)
    else if (prev && p.startTime >= prev.timestamp) cpu = cpuPercent(0, p.cpuTimeMs, cur.timestamp - p.startTime, cur.cpuCount)
    // Counters read less often than every sample are measured over the time between their own reads;
    // no new read since the previous sample means the process made no syscalls, hence no I/O.
    const ioElapsed =
      p.ioMonotonicMs !== undefined && old?.ioMonotonicMs !== undefined ? p.ioMonotonicMs - old.ioMonotonicMs : elapsed
    const readRate = ioElapsed === 0 && old ? 0 : ratePerSecond(old?.readBytes, p.readBytes, ioElapsed)
    const writeRate = ioElapsed === 0 && old ? 0 : ratePerSecond(old?.writeBytes, p.writeBytes, ioElapsed)
    // The same reading, nothing derived from it moved: the info of the last snapshot still holds.
    const kept = old === p && infos !== undefined ? infos[at!] : undefined
    if (kept !== undefined && kept.pid === p.pid && kept.startTime === p.startTime && cpu === 0 && kept.cpuPercent === 0 && kept.diskReadBytesPerSec === readRate && kept.diskWriteBytesPerSec === writeRate) return kept
    // Field by field rather than a rest spread: this runs for every process every tick. Every field
    // in the literal, unknown ones undefined (JSON leaves them out): one object shape for every process,
    // so the code that reads snapshots stays optimized instead of being recompiled for each new shape.
    const info: ProcessInfo = {
      pid: p.pid,
      ppid: p.ppid,
      startTime: p.startTime,
      name: p.name,
      command: p.command,
      user: p.user,
      uid: p.uid,
      state: p.state,
      nice: p.nice,
      priority: p.priority,
      memoryBytes: p.memoryBytes,
      virtualBytes: p.virtualBytes,
      kernelThread: p.kernelThread,
      cpuPercent: cpu,
      memoryPercent: cur.memoryTotal > 0 ? (p.memoryBytes / cur.memoryTotal) * 100 : 0,
      threads: p.threads,
      exe: p.exe,
      openFiles: p.openFiles,
      diskReadBytesPerSec: readRate,
      diskWriteBytesPerSec: writeRate,
    }
    return info
  })
  return { timestamp: cur.timestamp, cpuCount: cur.cpuCount, memoryTotal: cur.memoryTotal, cpuScale: 'core', processes }
}

/** Converts a top-style snapshot to the requested scale, in place. */
export function applyCpuScale(snapshot: ProcessSnapshot, scale: CpuScale): ProcessSnapshot {
  if (snapshot.cpuScale === scale || snapshot.cpuCount <= 0) return snapshot
  const factor = scale === 'machine' ? 1 / snapshot.cpuCount : snapshot.cpuCount
  for (const p of snapshot.processes) p.cpuPercent *= factor
  snapshot.cpuScale = scale
  return snapshot
}
