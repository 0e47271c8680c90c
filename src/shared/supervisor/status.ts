import type { CheckResult, HealthStatus } from './checks'
import type { Program } from './program'
import type { ProgramState, Transition } from './states'

/** What the supervisor tells of its programs, over every transport. */

/** Who supervises: this engine, or another one it talks to. */
export interface OwnerInfo {
  /** 'desktop': the desktop app; 'daemon': `proctor daemon` (or `proctor serve`). */
  kind: 'desktop' | 'daemon'
  pid: number
  /** ms since the epoch */
  since: number
  /** The control socket the CLI and other windows connect to. */
  socket: string
  /** Whether this engine is the owner, or shows another one's programs. */
  local: boolean
}

export interface ProgramHealth {
  /** 'off': checks are configured but enableHealthChecks is off; 'none': no checks configured. */
  status: HealthStatus | 'off' | 'none'
  /** ms since the epoch of the last change of status */
  since?: number
  /** Newest last, at most CHECK_RESULTS_KEPT. */
  results: CheckResult[]
}

export interface LastExit {
  code: number | null
  signal: string | null
  uptimeMs: number
  spawnError?: string
  /** ms since the epoch */
  at: number
}

export interface ProgramStatus {
  name: string
  program: Program
  state: ProgramState
  /** ms since the epoch of the last transition */
  since: number
  /** Reason of the last transition. */
  reason: string
  /** The program's own process while it runs, and its start time (ms since the epoch) for actions on it. */
  pid?: number
  startTime?: number
  /** Processes it started that are known now (its own apart). */
  descendants: number
  /** Its own pid and its descendants', for the process table's managed badge. */
  pids: number[]
  /** Restarts since it last stayed up for stableMs. */
  restarts: number
  /** Restarts since the owner started. */
  totalRestarts: number
  /** ms since the epoch of the next scheduled restart (in backoff). */
  nextRestartAt?: number
  /** CPU % (100 = one core) and resident bytes of all its processes, when running. */
  cpu?: number
  memory?: number
  health: ProgramHealth
  lastExit?: LastExit
  /** What its start waits for ("db to be ready"), while it waits. */
  waitingFor?: string
  /** Why its last start did not happen (a dependency not ready in time, fatal, or stopped). */
  startError?: string
  /** ms since the epoch of the last start, for the log viewer's "jump to last start". */
  lastStartAt?: number
}

export interface ProgramsOverview {
  programs: ProgramStatus[]
  owner: OwnerInfo
  /** The global switches, so every view can say when checks or restarts are off. */
  healthChecks: boolean
  autoRestart: boolean
  /** enableIPC: programs get IPC tokens, so readiness and health checks of kind ipc can pass. */
  ipc: boolean
  /** Files set aside, programs found left behind by an owner that died: said once, kept for the UI. */
  notices: string[]
}

export interface ProgramDetail extends ProgramStatus {
  transitions: Transition[]
}

export interface StopReport {
  name: string
  /** Whether everything ended on the stop signal, before the KILL. */
  graceful: boolean
  /** Descendants that had left the program's group, by name and pid: found and stopped too. */
  outsideGroup: Array<{ pid: number; name: string }>
  durationMs: number
  /** Programs stopped first because they depend on this one. */
  dependents: string[]
}

export interface ProgramLogLine {
  /** ms since the epoch */
  at: number
  stream: 'stdout' | 'stderr'
  text: string
}

export interface ProgramLogs {
  name: string
  lines: ProgramLogLine[]
  /** The current log file, and how many lines did not reach the files. */
  file: string
  dropped: number
  /** Why writing the log file fails now (a full disk, the folder gone); lines are kept in memory and counted in dropped meanwhile. */
  fileError?: string
  lastStartAt?: number
}

/** A process offered for adoption: what the add form is pre-filled with. */
export interface AdoptionDraft {
  pid: number
  startTime: number
  /** A valid program definition, name made unique. */
  program: Program
  /** What could not be read (the environment of another user's process, say). */
  unreadable: string[]
}
