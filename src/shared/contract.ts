import { z } from 'zod'
import type { ProcessInfo, ProcessSnapshot, ProcessWatchEvent } from './types/process'
import type { ProcessTreeNode } from './process/tree'
import type { ProcessDelta } from './process/delta'
import { StructuredQuery } from './query/structured'
import type { ActionReport, AuditEntry } from './types/control'
import { MENU_ACTIONS, type MenuEntry } from './process/menu'
import { auditArgs, killArgs, reniceArgs, resumeArgs, suspendArgs, terminateArgs } from './controlSchemas'
import type { AppInfo, MetricsAggregates, MetricsHistory, SystemMetrics } from './types/system'
import { metricsWindowSchema } from './system/ranges'
import { settingsPatchSchema, type Settings } from './settings'

/**
 * The one contract: every call and every stream Proctor serves. The Electron
 * bridge, the preload, the WebSocket host and the in-process transport are
 * all derived from these two maps, so adding an entry here (and its handler
 * in the engine) is the whole change.
 *
 * A call has an argument schema (checked at the boundary) and a result type.
 * A stream has a parameter schema and a payload type; it runs only while
 * someone is subscribed.
 */

export interface CallSpec<Args extends z.ZodType, Result> {
  readonly args: Args
  readonly doc: string
  /** Phantom: carries the result type; never set at runtime. */
  readonly result?: Result
}

export interface StreamSpec<Params extends z.ZodType, Payload> {
  readonly params: Params
  readonly doc: string
  /** Phantom: carries the payload type; never set at runtime. */
  readonly payload?: Payload
}

function call<Result>() {
  return <Args extends z.ZodType>(args: Args, doc: string): CallSpec<Args, Result> => ({ args, doc })
}

function stream<Payload>() {
  return <Params extends z.ZodType>(params: Params, doc: string): StreamSpec<Params, Payload> => ({ params, doc })
}

const noArgs = z.undefined({ error: 'takes no argument' })
const pid = z.number().int().positive().max(2 ** 31)

const findArgs = z.strictObject({
  /** The query language of the search box: `cpu > 5 and user = root`, `name =~ node`, plain words. */
  query: z.string().max(4096).optional(),
  filter: StructuredQuery.optional(),
  sortBy: z.enum(['cpu', 'memory', 'pid', 'name']).optional(),
  limit: z.number().int().positive().optional(),
})

/** A context menu as data (src/shared/process/menu.ts), checked like any argument. */
const menuEntry: z.ZodType<MenuEntry> = z.lazy(() =>
  z.union([
    z.strictObject({ separator: z.literal(true) }),
    z.strictObject({
      id: z.string().min(1).max(100),
      label: z.string().max(200),
      action: z.enum(MENU_ACTIONS).optional(),
      value: z.number().optional(),
      enabled: z.boolean(),
      destructive: z.boolean().optional(),
      submenu: z.array(menuEntry).max(50).optional(),
    }),
  ]),
)
const screenCoordinate = z.number().int().min(0).max(100_000)

export interface ProcessTree {
  timestamp: number
  cpuScale: ProcessSnapshot['cpuScale']
  roots: ProcessTreeNode[]
}

/*
 * Process actions and settings changes run as asked: the API does not ask
 * for confirmation (that is the window's and the tray's job, when the user
 * wants it). Each is recorded in the audit log with who asked: the
 * transport names the caller (desktop window, tray, command line, browser
 * session by its address).
 */
export const calls = {
  getAppInfo: call<AppInfo>()(noArgs, 'Name, version, platform, adapter in use and start-up notices.'),
  getProcessList: call<ProcessSnapshot>()(noArgs, 'Every process with CPU % over the last refresh interval.'),
  getProcessTree: call<ProcessTree>()(noArgs, 'Every process as a forest by parent, with subtree totals.'),
  findProcesses: call<ProcessInfo[]>()(findArgs, 'Processes matching a text query and/or a structured filter.'),
  killProcess: call<ActionReport>()(killArgs, 'Send a signal (TERM by default) to processes, each named by pid and start time.'),
  terminateProcess: call<ActionReport>()(terminateArgs, 'TERM, wait up to graceMs (5 s), then KILL; says which ended it.'),
  suspendProcess: call<ActionReport>()(suspendArgs, 'Stop processes (SIGSTOP).'),
  resumeProcess: call<ActionReport>()(resumeArgs, 'Continue stopped processes (SIGCONT).'),
  reniceProcess: call<ActionReport>()(reniceArgs, 'Set the nice value (-20..19) of every thread.'),
  popupProcessMenu: call<{ id: string | null }>()(
    z.strictObject({ items: z.array(menuEntry).min(1).max(50), x: screenCoordinate, y: screenCoordinate }),
    'Desktop app: show a context menu natively; answers the id of the item chosen, or null. UNAVAILABLE in a browser.',
  ),
  revealExecutable: call<null>()(
    z.strictObject({ pid, startTime: z.number().int().nonnegative().optional() }),
    "Desktop app: show a process's executable in the file manager. UNAVAILABLE in a browser.",
  ),
  getSignalNames: call<string[]>()(noArgs, "The platform's signal names, without SIG."),
  getAuditLog: call<AuditEntry[]>()(auditArgs, 'The most recent process actions and settings changes, their results and who made them, newest last.'),
  getSystemMetrics: call<SystemMetrics>()(noArgs, 'CPU, memory, swap, load, disks, network, filesystems, processes, sensors, now.'),
  getMetricsHistory: call<MetricsHistory>()(
    metricsWindowSchema,
    'Recorded system samples in columns: a range (1m, 5m, 15m, 1h) up to now, or from..to (ms since the epoch), or all.',
  ),
  getAggregatedMetrics: call<MetricsAggregates>()(metricsWindowSchema, 'min, max, average and p95 of every series over the same windows.'),
  getSettings: call<Settings>()(noArgs, 'The current settings.'),
  updateSettings: call<Settings>()(settingsPatchSchema, 'Merge a patch into the settings, validate, persist; returns the result.'),
} as const

export const streams = {
  subscribeToProcessUpdates: stream<ProcessSnapshot>()(noArgs, 'A process snapshot every refreshInterval.'),
  subscribeToProcessDeltas: stream<ProcessDelta>()(
    noArgs,
    'The same snapshots as changes: the whole first, then what changed, appeared and went (applyProcessDelta rebuilds them).',
  ),
  watchProcess: stream<ProcessWatchEvent>()(
    z.strictObject({ pid, startTime: z.number().int().nonnegative().optional() }),
    "One process's samples with its CPU and memory history, then 'exited'.",
  ),
  subscribeToMetrics: stream<SystemMetrics>()(noArgs, 'A system sample every refreshInterval.'),
} as const

export type Calls = typeof calls
export type Streams = typeof streams
export type CallName = keyof Calls
export type StreamName = keyof Streams

/** What a client passes. */
export type CallInput<K extends CallName> = z.input<Calls[K]['args']>
/** What a handler receives, after validation and defaults. */
export type CallArgs<K extends CallName> = z.output<Calls[K]['args']>
export type CallResult<K extends CallName> = Calls[K] extends CallSpec<z.ZodType, infer R> ? R : never
export type StreamInput<K extends StreamName> = z.input<Streams[K]['params']>
export type StreamParams<K extends StreamName> = z.output<Streams[K]['params']>
export type StreamPayload<K extends StreamName> = Streams[K] extends StreamSpec<z.ZodType, infer P> ? P : never

export const callNames = Object.keys(calls) as CallName[]
export const streamNames = Object.keys(streams) as StreamName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name)
}

export type Unsubscribe = () => void

type CallMethod<K extends CallName> = undefined extends CallInput<K>
  ? (arg?: CallInput<K>) => Promise<CallResult<K>>
  : (arg: CallInput<K>) => Promise<CallResult<K>>

type StreamMethod<K extends StreamName> = undefined extends StreamInput<K>
  ? (listener: (payload: StreamPayload<K>) => void, onError?: (error: Error) => void) => Unsubscribe
  : (
      params: StreamInput<K>,
      listener: (payload: StreamPayload<K>) => void,
      onError?: (error: Error) => void,
    ) => Unsubscribe

/** The typed API the renderer, the CLI and tests use, whatever the transport. */
export type ProctorApi = { [K in CallName]: CallMethod<K> } & { [K in StreamName]: StreamMethod<K> }
