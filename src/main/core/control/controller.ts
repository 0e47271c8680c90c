import { setPriority } from 'node:os'
import { ProctorError } from '../../../shared/errors'
import type { ActionAuditEntry, ActionReport, ActionResult, ControlAction, ProcessTarget } from '../../../shared/types/control'
import type { Caller } from '../../../shared/types/caller'
import type { AuditLog } from './auditLog'
import { detectElevation, elevatedArgv, runElevated, type ElevatedCommand, type Elevation } from './elevation'
import type { InspectedProcess, ProcessInspector } from '../processes/inspector'
import { ancestorsOf, protectionReason } from './protection'
import { normalizeSignal } from './signals'
import { DEFAULT_GRACE_MS } from '../../../shared/process/actions'
import { checkIdentity } from '../processes/identity'

export interface ControllerDeps {
  /** Reads the processes an action names, one by one, apart from the live collector. */
  inspector: ProcessInspector
  audit: AuditLog
  protectedNames: () => readonly string[]
  /** Proctor's own processes (this one, and the app's helpers in the desktop app). */
  ownPids: () => number[]
  elevation?: () => Elevation
  runElevated?: (argv: string[]) => Promise<void>
}

export interface ActionOptions {
  pid?: number
  startTime?: number
  targets?: ProcessTarget[]
  tree?: boolean
  elevate?: boolean
  signal?: string
  graceMs?: number
  priority?: number
}

const POLL_MS = 50
/** After KILL, how long to wait for the kernel to take the process away. */
const KILL_SETTLE_MS = 3000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Acts on processes, safely: every action names the identity the user saw
 * (pid + start time) and is refused with STALE_PROCESS if the pid is now
 * another process; init, kernel threads, Proctor and its ancestors, and the
 * user's protected names are refused with PROTECTED; EPERM becomes
 * PERMISSION_DENIED saying whether elevation is possible. Each target gets
 * its own result, and each result goes into the audit log.
 */
export class ProcessController {
  private readonly elevation: () => Elevation
  private readonly elevated: (argv: string[]) => Promise<void>

  constructor(private readonly deps: ControllerDeps) {
    this.elevation = deps.elevation ?? (() => detectElevation())
    this.elevated = deps.runElevated ?? runElevated
  }

  /** `caller` (which window, command or browser session asked) goes into the audit log with each result. */
  async run(action: ControlAction, options: ActionOptions, caller: Caller): Promise<ActionReport> {
    const signal = action === 'signal' ? normalizeSignal(options.signal ?? 'TERM') : undefined
    const targets: ProcessTarget[] =
      options.targets ?? (options.pid !== undefined ? [{ pid: options.pid, startTime: options.startTime }] : [])
    const ownPids = new Set(this.deps.ownPids())
    let ancestors: Set<number> | undefined
    const results: ActionResult[] = []
    for (const target of targets) {
      const p = await this.deps.inspector.inspect(target.pid)
      const result: ActionResult = { pid: target.pid, action, ok: false }
      if (target.startTime !== undefined) result.startTime = target.startTime
      if (p) result.name = p.name
      if (signal) result.signal = signal
      try {
        // Not in a fresh snapshot: the pid is not running. Whether it ever ran is unknown here (a typo, or long gone).
        const seen = checkIdentity(target, p)
        const group = options.tree ? [...(await this.deps.inspector.descendants(seen.pid)), seen] : [seen]
        ancestors ??= await this.ancestorsOf(ownPids)
        for (const q of group) {
          const why = protectionReason(q, { pids: ownPids, ancestors }, this.deps.protectedNames())
          if (why) {
            const inTree = q !== seen ? ` (in the tree of pid ${seen.pid})` : ''
            throw new ProctorError('PROTECTED', `refused: ${why}${inTree}`, { pid: q.pid })
          }
        }
        Object.assign(result, await this.act(action, seen, group, options, signal))
        result.ok = true
      } catch (err) {
        if (!(err instanceof ProctorError)) throw err
        result.error = err.toInfo()
      }
      this.record(result, p, options, caller)
      results.push(result)
    }
    return { results }
  }

  /** Proctor's own ancestors: acting on one could stop Proctor. Read once per action, process by process. */
  private async ancestorsOf(ownPids: ReadonlySet<number>): Promise<Set<number>> {
    const parents = new Map<number, number | undefined>()
    const parentOf = (pid: number) => parents.get(pid)
    for (const own of ownPids) {
      let pid: number | undefined = own
      while (pid !== undefined && pid > 0 && !parents.has(pid)) {
        const ppid: number | undefined = (await this.deps.inspector.inspect(pid))?.ppid
        parents.set(pid, ppid)
        pid = ppid
      }
    }
    return new Set([...ownPids].flatMap((pid) => ancestorsOf(pid, parentOf)))
  }

  private async act(
    action: ControlAction,
    target: InspectedProcess,
    group: InspectedProcess[],
    options: ActionOptions,
    signal: string | undefined,
  ): Promise<Partial<ActionResult>> {
    const elevate = options.elevate === true
    const affected: number[] = []
    const tree = options.tree ? { affected } : {}
    const elevatedFlag = elevate ? { elevated: true } : {}
    switch (action) {
      case 'signal':
        for (const q of group) if (await this.send(q, signal ?? 'TERM', elevate, q === target)) affected.push(q.pid)
        return { ...tree, ...elevatedFlag }
      case 'suspend':
        // Parent first, so it cannot start new children while the tree is being stopped.
        for (const q of [...group].reverse()) if (await this.send(q, 'STOP', elevate, q === target)) affected.push(q.pid)
        return { ...tree, ...elevatedFlag }
      case 'resume':
        for (const q of group) if (await this.send(q, 'CONT', elevate, q === target)) affected.push(q.pid)
        return { ...tree, ...elevatedFlag }
      case 'terminate':
        return { ...(await this.terminate(target, group, options.graceMs ?? DEFAULT_GRACE_MS, elevate, affected)), ...tree, ...elevatedFlag }
      case 'renice': {
        const priority = options.priority ?? 0
        for (const q of group) {
          await this.renice(q, priority, elevate)
          affected.push(q.pid)
        }
        const nice = this.deps.inspector.probe(target.pid).nice
        return { ...(nice !== undefined ? { nice } : {}), ...tree, ...elevatedFlag }
      }
    }
  }

  /** TERM the group (descendants first), wait up to the grace, KILL what is left. */
  private async terminate(
    target: InspectedProcess,
    group: InspectedProcess[],
    graceMs: number,
    elevate: boolean,
    affected: number[],
  ): Promise<Partial<ActionResult>> {
    const termed: InspectedProcess[] = []
    for (const q of group) {
      if (await this.send(q, 'TERM', elevate, false)) {
        termed.push(q)
        affected.push(q.pid)
        // A stopped process would hold the TERM until continued.
        if (q.state === 'stopped') await this.send(q, 'CONT', elevate, false)
      }
    }
    if (!termed.includes(target)) return { endedBy: 'gone', signal: 'TERM' }
    const deadline = Date.now() + graceMs
    let alive = termed.filter((q) => this.isAlive(q))
    while (alive.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS)
      alive = alive.filter((q) => this.isAlive(q))
    }
    const targetKilled = alive.includes(target)
    for (const q of alive) await this.send(q, 'KILL', elevate, false)
    const settle = Date.now() + KILL_SETTLE_MS
    while (alive.length > 0 && Date.now() < settle) {
      await sleep(POLL_MS)
      alive = alive.filter((q) => this.isAlive(q))
    }
    if (alive.length > 0) {
      throw new ProctorError('TIMEOUT', `still running after KILL: ${alive.map((q) => q.pid).join(', ')} (in uninterruptible sleep?)`, {
        pids: alive.map((q) => q.pid),
      })
    }
    return targetKilled ? { endedBy: 'KILL', signal: 'KILL' } : { endedBy: 'TERM', signal: 'TERM' }
  }

  /** Still the same process and not yet dead (a zombie counts as dead: only its parent's reaping is left). */
  private isAlive(q: InspectedProcess): boolean {
    const r = this.deps.inspector.probe(q.pid)
    return r.alive && (r.startTime === undefined || r.startTime === q.startTime)
  }

  /**
   * One signal to one process, after re-checking its identity. Returns false
   * if it had already gone (an error for the target itself when `mustExist`).
   */
  private async send(q: InspectedProcess, signal: string, elevate: boolean, mustExist: boolean): Promise<boolean> {
    if (!this.isAlive(q)) {
      if (mustExist) throw new ProctorError('NOT_FOUND', `pid ${q.pid} (${q.name}) has exited`, { pid: q.pid })
      return false
    }
    if (elevate) {
      await this.runElevatedCommand({ kind: 'signal', signal, pid: q.pid })
      return true
    }
    try {
      process.kill(q.pid, `SIG${signal}` as NodeJS.Signals)
      return true
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ESRCH') {
        if (mustExist) throw new ProctorError('NOT_FOUND', `pid ${q.pid} (${q.name}) has exited`, { pid: q.pid })
        return false
      }
      if (code === 'EPERM') throw this.permissionDenied(q, `send ${signal} to`)
      throw err
    }
  }

  private async renice(q: InspectedProcess, priority: number, elevate: boolean): Promise<void> {
    if (!this.isAlive(q)) throw new ProctorError('NOT_FOUND', `pid ${q.pid} (${q.name}) has exited`, { pid: q.pid })
    if (elevate) return this.runElevatedCommand({ kind: 'renice', priority, pid: q.pid })
    // On Linux a nice value belongs to a thread: set it on every thread of the process.
    for (const tid of this.deps.inspector.threads(q.pid)) {
      try {
        setPriority(tid, priority)
      } catch (err) {
        // os.setPriority throws a SystemError whose errno name is in info.code.
        const e = err as { code?: string; info?: { code?: string } }
        const code = e.info?.code ?? e.code ?? ''
        if (code === 'ESRCH') continue // a thread that ended meanwhile
        if (code === 'EACCES' || code === 'EPERM') {
          const raising = priority < q.nice
          throw this.permissionDenied(q, raising ? `raise the priority (nice ${q.nice} -> ${priority}) of` : 'renice')
        }
        throw err
      }
    }
  }

  private permissionDenied(q: InspectedProcess, what: string): ProctorError {
    const elevation = this.elevation()
    const can = elevation.possible
      ? `; retry as administrator (${elevation.method}) to do it anyway`
      : `; elevation is not available here (${elevation.reason ?? 'unknown reason'})`
    return new ProctorError('PERMISSION_DENIED', `not permitted to ${what} pid ${q.pid} (${q.name}, user ${q.user})${can}`, {
      pid: q.pid,
      elevationPossible: elevation.possible,
      ...(elevation.method ? { elevationMethod: elevation.method } : {}),
    })
  }

  private async runElevatedCommand(cmd: ElevatedCommand): Promise<void> {
    const elevation = this.elevation()
    if (!elevation.possible || !elevation.method) {
      throw new ProctorError('PERMISSION_DENIED', `cannot run as administrator here: ${elevation.reason ?? 'no method'}`, {
        pid: cmd.pid,
        elevationPossible: false,
      })
    }
    try {
      await this.elevated(elevatedArgv(elevation.method, cmd))
    } catch (err) {
      throw new ProctorError('PERMISSION_DENIED', `the administrator action failed or was cancelled: ${(err as Error).message}`, {
        pid: cmd.pid,
        elevationPossible: true,
      })
    }
  }

  private record(result: ActionResult, p: InspectedProcess | undefined, options: ActionOptions, caller: Caller): void {
    const asked: ActionAuditEntry['options'] = {}
    if (result.signal && result.action === 'signal') asked.signal = result.signal
    if (options.graceMs !== undefined) asked.graceMs = options.graceMs
    if (options.priority !== undefined) asked.priority = options.priority
    if (options.tree) asked.tree = true
    if (options.elevate) asked.elevate = true
    const entry: ActionAuditEntry = {
      timestamp: Date.now(),
      action: result.action,
      pid: result.pid,
      options: asked,
      ok: result.ok,
      outcome: result.ok ? describeSuccess(result) : (result.error?.message ?? 'failed'),
      caller,
    }
    if (result.startTime !== undefined) entry.startTime = result.startTime
    if (p) {
      entry.name = p.name
      entry.command = p.command.slice(0, 500)
    }
    if (result.error) entry.errorCode = result.error.code
    this.deps.audit.append(entry)
  }
}

function describeSuccess(r: ActionResult): string {
  const tree = r.affected ? ` (${r.affected.length} processes)` : ''
  switch (r.action) {
    case 'terminate':
      return r.endedBy === 'gone' ? 'had already exited' : `ended by ${r.endedBy}${tree}`
    case 'renice':
      return `nice is now ${r.nice ?? '?'}${tree}`
    case 'signal':
      return `sent ${r.signal}${tree}`
    case 'suspend':
      return `suspended${tree}`
    case 'resume':
      return `resumed${tree}`
  }
}
