import type { ProcessHistory, ProcessSnapshot } from '../../../shared/types/process'

interface Ring {
  startTime: number
  timestamps: Float64Array
  cpu: Float32Array
  memory: Float64Array
  /** Next slot to write. */
  head: number
  size: number
  /** The record() call that last saw the process. */
  seen: number
}

/**
 * CPU and memory of every process over its last `capacity` snapshots, in
 * fixed typed-array rings: the bound holds however long Proctor runs, and a
 * process that is gone (or whose pid was reused) loses its ring.
 */
export class ProcessHistoryStore {
  private readonly rings = new Map<number, Ring>()
  private records = 0

  constructor(private capacity: number) {}

  setCapacity(capacity: number): void {
    if (capacity === this.capacity) return
    this.capacity = capacity
    this.rings.clear()
  }

  get trackedCount(): number {
    return this.rings.size
  }

  record(snapshot: ProcessSnapshot): void {
    // A call number per ring rather than a set of the pids seen: no allocation per call.
    const call = ++this.records
    for (const p of snapshot.processes) {
      let ring = this.rings.get(p.pid)
      if (!ring || ring.startTime !== p.startTime) {
        ring = {
          startTime: p.startTime,
          timestamps: new Float64Array(this.capacity),
          cpu: new Float32Array(this.capacity),
          memory: new Float64Array(this.capacity),
          head: 0,
          size: 0,
          seen: call,
        }
        this.rings.set(p.pid, ring)
      }
      ring.seen = call
      ring.timestamps[ring.head] = snapshot.timestamp
      ring.cpu[ring.head] = p.cpuPercent
      ring.memory[ring.head] = p.memoryBytes
      ring.head = ring.head + 1 === this.capacity ? 0 : ring.head + 1
      if (ring.size < this.capacity) ring.size++
    }
    // Every process listed has its ring, so any more rings belong to processes that are gone.
    if (this.rings.size > snapshot.processes.length) {
      for (const [pid, ring] of this.rings) if (ring.seen !== call) this.rings.delete(pid)
    }
  }

  get(pid: number, startTime: number): ProcessHistory {
    const ring = this.rings.get(pid)
    const out: ProcessHistory = { timestamps: [], cpuPercent: [], memoryBytes: [] }
    if (!ring || ring.startTime !== startTime) return out
    const first = (ring.head - ring.size + this.capacity) % this.capacity
    for (let i = 0; i < ring.size; i++) {
      const at = (first + i) % this.capacity
      out.timestamps.push(ring.timestamps[at] ?? 0)
      out.cpuPercent.push(Math.round((ring.cpu[at] ?? 0) * 100) / 100)
      out.memoryBytes.push(ring.memory[at] ?? 0)
    }
    return out
  }
}
