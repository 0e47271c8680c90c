/**
 * For pool workers: take tasks from Proctor's pool and answer them.
 *
 *   const { serveTasks } = require('/path/to/out/client/proctor-ipc.cjs')
 *   serveTasks(async (payload, task) => compute(payload))
 *
 * It connects (PROCTOR_IPC_SOCKET, PROCTOR_IPC_TOKEN, as for any program
 * Proctor starts), beats every PROCTOR_POOL_HEARTBEAT_MS (the pool's hang
 * detection reads the beats), answers each task request with the
 * handler's result, or with its error's name, message and stack when it
 * throws or rejects, and says ready once the handler is in place: the pool
 * sends it tasks from then on. Built on the client's public API only; the
 * messages: docs/ipc-protocol.md, "Tasks".
 */
import type { TaskRequest, TaskResponse } from '../shared/pools/pool'
import { connect, type ConnectOptions, type ProctorIpc } from './index'

export interface TaskInfo {
  /** The task's id (`<pool>/<n>`). */
  id: string
  /** 1 on its first run; more when an earlier worker died under it. */
  attempt: number
}

export type TaskHandler = (payload: unknown, task: TaskInfo) => unknown

export interface ServeTasksOptions extends ConnectOptions {
  /** Exit the process (code 1) once the connection is lost for good, so the pool starts a fresh worker; default true. */
  exitOnClose?: boolean
}

/** Default beat when the pool did not say (a worker started by hand). */
const DEFAULT_HEARTBEAT_MS = 5000

export async function serveTasks(handler: TaskHandler, options: ServeTasksOptions = {}): Promise<ProctorIpc> {
  const { exitOnClose = true, ...connectOptions } = options
  const fromPool = Number(process.env.PROCTOR_POOL_HEARTBEAT_MS)
  const heartbeatInterval = connectOptions.heartbeatInterval ?? (Number.isFinite(fromPool) && fromPool > 0 ? fromPool : DEFAULT_HEARTBEAT_MS)
  const ipc = await connect({ ...connectOptions, heartbeatInterval })
  ipc.onRequest(async (payload): Promise<TaskResponse> => {
    const task = (payload as Partial<TaskRequest> | null)?.task
    if (!task || typeof task !== 'object' || typeof task.id !== 'string') {
      return { ok: false, error: { name: 'TypeError', message: 'not a task: expected { task: { id, attempt, payload } }' } }
    }
    try {
      const result = await handler(task.payload, { id: task.id, attempt: task.attempt })
      return { ok: true, result: result === undefined ? null : result }
    } catch (err) {
      if (err instanceof Error) return { ok: false, error: { name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) } }
      return { ok: false, error: { message: String(err) } }
    }
  })
  if (exitOnClose) {
    ipc.onState((state, reason) => {
      if (state !== 'closed') return
      process.stderr.write(`proctor pool worker: the connection to Proctor is gone (${reason ?? 'closed'}): exiting\n`)
      process.exit(1)
    })
  }
  ipc.heartbeat()
  ipc.ready()
  return ipc
}
