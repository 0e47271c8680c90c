import type { ErrorInfo } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import type { ControlAction } from '../../../shared/types/control'
import type { ProcessInfo } from '../../../shared/types/process'
import { formatNetwork, formatWholePercent, type TraySample } from './text'

/**
 * The tray menu as plain data, built by a pure function of the state: the
 * edge turns it into an Electron menu and routes each item's command. Tests
 * read it directly.
 */

export type ProcessCommand = 'terminate' | 'kill' | 'suspend' | 'resume'

export type TrayCommand =
  /** An action on the process the menu showed: its identity travels with it. */
  | { type: 'process'; command: ProcessCommand; pid: number; startTime: number; name: string }
  | { type: 'show-window' }
  | { type: 'hide-window' }
  | { type: 'pause-monitoring' }
  | { type: 'resume-monitoring' }
  | { type: 'quit' }

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
  busy?: ReadonlyArray<{ pid: number; startTime: number; command: ProcessCommand }>
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

const VERBS: Record<ProcessCommand, { label: string; busy: string; verb: string }> = {
  terminate: { label: 'Terminate', busy: 'terminating…', verb: 'terminate' },
  kill: { label: 'Kill', busy: 'killing…', verb: 'kill' },
  suspend: { label: 'Suspend', busy: 'suspending…', verb: 'suspend' },
  resume: { label: 'Resume', busy: 'resuming…', verb: 'resume' },
}

/** Why a process gets no actions in the tray, or undefined. The controller still checks everything else. */
function noActions(p: ProcessInfo): string | undefined {
  if (p.kernelThread) return 'kernel thread: no actions'
  if (p.state === 'zombie') return 'zombie: gone when its parent reaps it'
  return undefined
}

function processItem(p: ProcessInfo, busy: TrayMenuState['busy']): TrayMenuItem {
  const running = busy?.find((b) => b.pid === p.pid && b.startTime === p.startTime)
  const identity = { pid: p.pid, startTime: p.startTime, name: p.name }
  const blocked = noActions(p)
  const act = (command: ProcessCommand): TrayMenuItem => ({
    type: 'item',
    label: VERBS[command].label,
    enabled: running === undefined && blocked === undefined,
    command: { type: 'process', command, ...identity },
  })
  const submenu: TrayMenuItem[] = [
    { type: 'item', label: menuText(`pid ${p.pid} · ${p.user}`), enabled: false },
    ...(blocked ? [{ type: 'item' as const, label: blocked, enabled: false }] : []),
    { type: 'separator' },
    act('terminate'),
    act('kill'),
    act(p.state === 'stopped' ? 'resume' : 'suspend'),
  ]
  const status = running ? `  (${VERBS[running.command].busy})` : p.state === 'stopped' ? '  (suspended)' : ''
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

/** What the engine is asked for a process command: the window's actions, by identity. */
export function controlRequest(command: Extract<TrayCommand, { type: 'process' }>): {
  action: ControlAction
  options: { pid: number; startTime: number; signal?: string }
} {
  const identity = { pid: command.pid, startTime: command.startTime }
  switch (command.command) {
    case 'terminate':
      return { action: 'terminate', options: identity }
    case 'kill':
      return { action: 'signal', options: { ...identity, signal: 'KILL' } }
    case 'suspend':
      return { action: 'suspend', options: identity }
    case 'resume':
      return { action: 'resume', options: identity }
  }
}

/** The notification for a failed process command: what failed, and the error's code and message. */
export function actionFailureNotice(command: Extract<TrayCommand, { type: 'process' }>, error: ErrorInfo): { title: string; body: string } {
  return {
    title: `Could not ${VERBS[command.command].verb} ${command.name} (pid ${command.pid})`,
    body: `${error.code}: ${error.message}`,
  }
}

/** Terminate and Kill lose work; Suspend and Resume can be undone. */
export function isDestructive(command: Extract<TrayCommand, { type: 'process' }>): boolean {
  return command.command === 'terminate' || command.command === 'kill'
}

/** What to ask before a destructive command (when the user wants to be asked: settings ui.confirmDestructive). */
export function confirmationFor(command: Extract<TrayCommand, { type: 'process' }>): { message: string; detail: string; button: string } {
  const who = `${command.name} (pid ${command.pid})`
  return command.command === 'kill'
    ? { message: `Kill ${who}?`, detail: 'It is stopped at once (SIGKILL), with no chance to save anything.', button: 'Kill' }
    : {
        message: `Terminate ${who}?`,
        detail: 'It is asked to exit (SIGTERM) and killed if it is still running a few seconds later. Unsaved work in it may be lost.',
        button: 'Terminate',
      }
}
