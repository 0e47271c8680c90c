import type { TaskError, TaskState, TaskView } from '../../../shared/pools/pool'

/** A task as the pool holds it; `view()` is what callers see. */
export class Task {
  state: TaskState = 'queued'
  startedAt: number | undefined
  endedAt: number | undefined
  attempts = 0
  worker: string | undefined
  result: unknown
  error: TaskError | undefined
  /** Set while it runs: the key of the attempt under way (answers of older attempts are dropped). */
  attemptKey: number | undefined
  timer: NodeJS.Timeout | undefined
  /** Dropped once it ends: nothing keeps a finished task's input alive. */
  payload: unknown

  constructor(
    readonly id: string,
    readonly poolId: string,
    payload: unknown,
    readonly priority: number,
    /** ms on a worker before TIMEOUT */
    readonly timeoutMs: number,
    readonly submittedAt = Date.now(),
  ) {
    this.payload = payload
  }

  view(): TaskView {
    return {
      id: this.id,
      poolId: this.poolId,
      state: this.state,
      priority: this.priority,
      submittedAt: this.submittedAt,
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      attempts: this.attempts,
      ...(this.worker !== undefined ? { worker: this.worker } : {}),
      ...(this.state === 'done' ? { result: this.result } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
    }
  }
}
