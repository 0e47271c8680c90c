import type { WorkerState, WorkerView } from '../../../shared/pools/pool'
import type { ManagedProgram } from '../supervisor/managedProgram'
import type { Candidate } from './balancer'
import type { Task } from './task'

/** One worker of a pool: its supervised program and what the pool knows of it. */
export class WorkerSlot implements Candidate {
  /** Connected and said ready in its current run. */
  ready = false
  readyAt = 0
  freeSince = 0
  /** The task it runs (or ran and was cancelled meanwhile), and the key of that attempt while it runs it. */
  task: Task | undefined
  attemptKey: number | undefined
  tasksDone = 0
  tasksFailed = 0
  /** Tasks in its current run, for maxTasksPerWorker. */
  runTasks = 0
  restarts = 0
  /** Consecutive exits without becoming ready: the pool's own respawn waits longer each time. */
  quickFails = 0
  started = false
  /** Leaving the pool (it shrank), once its task ends. */
  retiring = false
  /** Being stopped to be started again (timeout, hang, recycling). */
  replacing = false
  respawn: NodeJS.Timeout | undefined
  /** The timeout of a task cancelled while it ran here: the worker is replaced if it never answers. */
  abandoned: NodeJS.Timeout | undefined
  /** Set once the pool lets go of it: resolves when its processes are gone. */
  dropping: Promise<void> | undefined
  lastEnd: { at: number; reason: string } | undefined
  readonly offs: Array<() => void> = []

  constructor(
    readonly n: number,
    readonly name: string,
    readonly m: ManagedProgram,
  ) {}

  get free(): boolean {
    return this.ready && this.attemptKey === undefined
  }

  get state(): WorkerState {
    if (this.dropping) return 'stopping'
    switch (this.m.runner.state) {
      case 'starting':
        return 'starting'
      case 'running':
        return this.ready ? (this.attemptKey !== undefined ? 'busy' : 'idle') : 'starting'
      case 'stopping':
        return this.replacing ? 'restarting' : 'stopping'
      case 'fatal':
        return 'failed'
      case 'stopped':
        return this.replacing ? 'restarting' : 'stopping'
      default:
        return 'restarting'
    }
  }

  view(lastHeartbeat: number | undefined): WorkerView {
    const s = this.m.status()
    const task = this.task?.state === 'running' ? this.task.id : undefined
    return {
      name: this.name,
      state: this.state,
      ...(s.pid !== undefined ? { pid: s.pid } : {}),
      ...(task !== undefined ? { currentTask: task } : {}),
      tasksDone: this.tasksDone,
      tasksFailed: this.tasksFailed,
      ...(s.cpu !== undefined ? { cpu: s.cpu } : {}),
      ...(s.memory !== undefined ? { memory: s.memory } : {}),
      restarts: this.restarts,
      since: s.since,
      reason: s.reason,
      ...(lastHeartbeat !== undefined ? { lastHeartbeat } : {}),
      ...(this.lastEnd ? { lastEnd: this.lastEnd } : {}),
    }
  }
}
