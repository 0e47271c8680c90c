import type { ErrorInfo } from '../errors'
import type { Caller } from './caller'

export type ControlAction = 'signal' | 'terminate' | 'suspend' | 'resume' | 'renice'

/** The process the user saw: its pid and, to be sure it is still the same one, its start time. */
export interface ProcessTarget {
  pid: number
  startTime?: number
}

/** What happened to one target (and, with tree, to each process of its subtree). */
export interface ActionResult {
  pid: number
  startTime?: number
  name?: string
  action: ControlAction
  ok: boolean
  /** The signal sent (signal action), or the one that ended the process (terminate). */
  signal?: string
  /** terminate: which signal ended it, or 'gone' if it exited before the signal. */
  endedBy?: 'TERM' | 'KILL' | 'gone'
  /** renice: the nice value now in force. */
  nice?: number
  /** With tree: every process acted on, descendants first. */
  affected?: number[]
  elevated?: boolean
  error?: ErrorInfo
}

export interface ActionReport {
  results: ActionResult[]
}

/** One process action in the audit log. */
export interface ActionAuditEntry {
  timestamp: number
  action: ControlAction
  pid: number
  startTime?: number
  name?: string
  command?: string
  /** signal, graceMs, priority, tree, elevate: what was asked. */
  options: Record<string, string | number | boolean>
  ok: boolean
  outcome: string
  errorCode?: string
  /** Who asked (absent in entries written before callers were recorded). */
  caller?: Caller
}

/** One settings change in the audit log: what changed, and who changed it. */
export interface SettingsAuditEntry {
  timestamp: number
  action: 'settings'
  /** Each changed setting (dotted for nested ones, e.g. ui.theme) with its old and new value. */
  changes: Array<{ key: string; from: unknown; to: unknown }>
  /** Names taken off the protected list by this change: a safety net removed. */
  unprotected?: string[]
  ok: true
  outcome: string
  caller: Caller
}

/** One supervisor action in the audit log: a program added, changed, started, stopped, ... and by whom. */
export interface ProgramAuditEntry {
  timestamp: number
  action: 'program'
  verb: 'add' | 'edit' | 'remove' | 'start' | 'stop' | 'restart' | 'adopt'
  name: string
  ok: boolean
  outcome: string
  errorCode?: string
  caller: Caller
}

/** One message Proctor sent through the broker, or an identity registered or revoked, and by whom. */
export interface IPCAuditEntry {
  timestamp: number
  action: 'ipc'
  verb: 'send' | 'request' | 'broadcast' | 'register' | 'unregister'
  /** The endpoint addressed, registered or revoked ('*' for a broadcast). */
  target: string
  ok: boolean
  outcome: string
  errorCode?: string
  caller: Caller
}

/** One change to a worker pool (created, removed, scaled) or a task cancelled, and by whom. Submitted tasks are counted in the pool's metrics instead: one entry each would flood the log. */
export interface PoolAuditEntry {
  timestamp: number
  action: 'pool'
  verb: 'create' | 'remove' | 'scale' | 'cancel'
  /** The pool, or the task cancelled. */
  target: string
  ok: boolean
  outcome: string
  errorCode?: string
  caller: Caller
}

export type AuditEntry = ActionAuditEntry | SettingsAuditEntry | ProgramAuditEntry | IPCAuditEntry | PoolAuditEntry
