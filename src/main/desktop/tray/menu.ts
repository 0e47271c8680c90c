import type { ErrorInfo } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import { ACTIONS, actionBlocker, describeError, suspendOrResume, type ActionRequest } from '../../../shared/process/actions'
import type { ProcessInfo } from '../../../shared/types/process'
import { formatNetwork, formatWholePercent, type TraySample } from './text'

/**
 * The tray menu as plain data, built by a pure function of the state: the
 * edge turns it into an Electron menu and routes each item's command. Tests
 * read it directly.
 */

/** The actions the tray offers (renice is the window's). */
export type TrayAction = 'terminate' | 'kill' | 'suspend' | 'resume'

/** An action on the process the menu showed: its identity travels with it. */
export interface TrayActionCommand {
  type: 'process'
  action: TrayAction
  pid: number
  startTime: number
  name: string
}

export type TrayCommand =
  | TrayActionCommand
  | { type: 'show-window' }
  | { type: 'hide-window' }
  | { type: 'pause-monitoring' }
  | { type: 'resume-monitoring' }
  | { type: 'quit' }
  | { type: 'start-program'; name: string }
  | { type: 'supervise'; pid: number; startTime: number; name: string }

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'item'; label: string; enabled: boolean; command?: TrayCommand; submenu?: TrayMenuItem[] }

export interface TrayMenuState {
  /** The latest system sample, if any. */
  sample: TraySample | undefined
  /** The latest process list, if any. */
  processes: readonly ProcessInfo[] | undefined
  windowVisible: boolean
  paused: boolean
  /** Processes with an action under way (by pid and start time): their actions wait. */
  busy?: ReadonlyArray<{ pid: number; startTime: number; action: TrayAction }>
  /** The supervisor's programs, when there are any (and a supervisor to ask). */
  programs?: TrayPrograms
}

/** What the tray shows of the supervised programs: a count, and loudly, those that gave up (fatal). */
export interface TrayPrograms {
  running: number
  total: number
  fatal: Array<{ name: string; reason: string }>
}

/** The tray's summary of an overview. */
export function trayPrograms(programs: ReadonlyArray<{ name: string; state: string; reason: string }>): TrayPrograms {
  return {
    running: programs.filter((p) => p.state === 'running' || p.state === 'starting').length,
    total: programs.length,
    fatal: programs.filter((p) => p.state === 'fatal').map((p) => ({ name: p.name, reason: p.reason })),
  }
}

export const TOP_PROCESS_COUNT = 5
/** Longer names are cut (with …) so the menu stays narrow. */
export const MAX_NAME_LENGTH = 32

/** The `count` busiest processes: CPU, then memory, then pid, so equal loads keep a stable order. */
export function topByCpu(processes: readonly ProcessInfo[], count = TOP_PROCESS_COUNT): ProcessInfo[] {
  return [...processes]
    .sort((a, b) => b.cpuPercent - a.cpuPercent || b.memoryBytes - a.memoryBytes || a.pid - b.pid)
    .slice(0, count)
}

/** Electron reads & as a mnemonic marker in labels (Windows, Linux); && is a literal &. */
export function menuText(text: string): string {
  return text.replace(/&/g, '&&')
}

function shortName(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH - 1)}…` : name
}

/** "3.4%" under 10, "23%" above: the tray has no room for more digits. */
export function formatCpu(percent: number): string {
  if (!Number.isFinite(percent)) return '–'
  const tenths = Math.round(Math.max(0, percent) * 10) / 10
  return tenths < 10 ? `${tenths.toFixed(1)}%` : `${Math.round(tenths)}%`
}

function processItem(p: ProcessInfo, busy: TrayMenuState['busy']): TrayMenuItem {
  const running = busy?.find((b) => b.pid === p.pid && b.startTime === p.startTime)
  const identity = { pid: p.pid, startTime: p.startTime, name: p.name }
  const blocked = actionBlocker(p)
  const act = (action: TrayAction): TrayMenuItem => ({
    type: 'item',
    label: ACTIONS[action].label,
    enabled: running === undefined && blocked === undefined,
    command: { type: 'process', action, ...identity },
  })
  const submenu: TrayMenuItem[] = [
    { type: 'item', label: menuText(`pid ${p.pid} · ${p.user}`), enabled: false },
    ...(blocked ? [{ type: 'item' as const, label: menuText(`No actions: ${blocked}`), enabled: false }] : []),
    { type: 'separator' },
    act('terminate'),
    act('kill'),
    act(suspendOrResume(p)),
    { type: 'separator' },
    // Opens the window's add form, filled from the process; nothing is done to it before the user confirms there.
    { type: 'item', label: 'Supervise this…', enabled: running === undefined && blocked === undefined, command: { type: 'supervise', ...identity } },
  ]
  const status = running ? `  (${ACTIONS[running.action].progress.toLowerCase()}…)` : suspendOrResume(p) === 'resume' ? '  (suspended)' : ''
  return {
    type: 'item',
    label: menuText(`${shortName(p.name)}  ${formatCpu(p.cpuPercent)} · ${formatBytes(p.memoryBytes)}${status}`),
    enabled: true,
    submenu,
  }
}

/** The whole tray menu for a state. Same state, same menu (deep-equal), so the edge can skip rebuilds. */
export function buildTrayMenu(state: TrayMenuState): TrayMenuItem[] {
  const line = (label: string): TrayMenuItem => ({ type: 'item', label, enabled: false })
  const sep: TrayMenuItem = { type: 'separator' }
  const items: TrayMenuItem[] = []
  if (state.paused) {
    items.push(line('Monitoring paused'))
  } else {
    items.push(
      line(`CPU ${formatWholePercent(state.sample?.cpu.total)}`),
      line(`Memory ${formatWholePercent(state.sample?.memory.percent)}`),
      line(`Network ${formatNetwork(state.sample)}`),
      sep,
    )
    if (state.processes === undefined) {
      items.push(line('Reading processes…'))
    } else {
      items.push(line('Top processes by CPU'))
      for (const p of topByCpu(state.processes)) items.push(processItem(p, state.busy))
    }
  }
  const programs = state.programs
  if (programs && programs.total > 0) {
    items.push(sep, line(`Programs: ${programs.running} of ${programs.total} running`))
    for (const f of programs.fatal) {
      items.push({
        type: 'item',
        label: menuText(`⚠ ${shortName(f.name)} failed: Proctor stopped restarting it`),
        enabled: true,
        submenu: [
          line(menuText(f.reason.length > 80 ? `${f.reason.slice(0, 79)}…` : f.reason)),
          sep,
          { type: 'item', label: 'Start again', enabled: true, command: { type: 'start-program', name: f.name } },
        ],
      })
    }
  }
  items.push(
    sep,
    state.windowVisible
      ? { type: 'item', label: 'Hide Proctor', enabled: true, command: { type: 'hide-window' } }
      : { type: 'item', label: 'Show Proctor', enabled: true, command: { type: 'show-window' } },
    state.paused
      ? { type: 'item', label: 'Resume monitoring', enabled: true, command: { type: 'resume-monitoring' } }
      : { type: 'item', label: 'Pause monitoring', enabled: true, command: { type: 'pause-monitoring' } },
    sep,
    { type: 'item', label: 'Quit Proctor', enabled: true, command: { type: 'quit' } },
  )
  return items
}

/** The window's action request for a tray command: same identity, same words, same call. */
export function actionRequest(command: TrayActionCommand): ActionRequest {
  return { action: command.action, process: { pid: command.pid, startTime: command.startTime, name: command.name } }
}

/** The notification for a failed command: the window's error report, in a notification's title and body. */
export function actionFailureNotice(command: TrayActionCommand, error: ErrorInfo): { title: string; body: string } {
  const outcome = describeError(actionRequest(command), error)
  return { title: outcome.title, body: `${outcome.detail} (${error.code}). ${outcome.hint}` }
}
