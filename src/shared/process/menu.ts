import type { ErrorInfo } from '../errors'
import type { ProcessInfo } from '../types/process'
import { ACTIONS, actionBlocker, isDestructiveSignal, PROCESS_ACTIONS, suspendOrResume } from './actions'

/**
 * The right-click menu of a process, as data: one pure function of the
 * process and its context, so the desktop app's native menu (Menu.popup)
 * and the browser's in-page menu cannot differ.
 */

export const MENU_ACTIONS = [
  ...PROCESS_ACTIONS,
  'copy-pid',
  'copy-command',
  'show-in-tree',
  'filter-user',
  'reveal-executable',
  'retry-elevated',
  'supervise',
  'register-ipc',
] as const
export type ProcessMenuAction = (typeof MENU_ACTIONS)[number]

export interface MenuItem {
  /** Unique within the menu; what a native menu reports back when chosen. */
  id: string
  label: string
  action?: ProcessMenuAction
  /** renice: the nice value to set. */
  value?: number
  /** signal: the signal to send, without SIG. */
  signal?: string
  enabled: boolean
  /** Asks for confirmation before it runs (unless the user turned that off). */
  destructive?: boolean
  submenu?: MenuEntry[]
}

export type MenuEntry = MenuItem | { separator: true }

export interface MenuContext {
  /** Desktop app: file-manager actions exist. */
  desktop: boolean
  /** The view the menu was opened from: "Show in tree" is pointless in the tree. */
  view: 'table' | 'tree'
  /** Whether "Supervise this…" is offered (the window has a Supervisor page; left out: yes). */
  supervise?: boolean
  /** Whether "Register for IPC…" is offered (the window has an IPC page; left out: yes). */
  registerIpc?: boolean
  /** The platform's signals (getSignalNames), for "Send signal…"; left out or empty: no such submenu. */
  signals?: readonly string[]
  /** The last action on this process failed with PERMISSION_DENIED and elevation is possible. */
  lastError?: ErrorInfo & { action: ProcessMenuAction; value?: number; signal?: string }
}

export const RENICE_LEVELS = [-20, -10, -5, 0, 5, 10, 19] as const

const item = (id: string, label: string, action: ProcessMenuAction | undefined, enabled = true, extra: Partial<MenuItem> = {}): MenuItem => ({
  id,
  label,
  ...(action ? { action } : {}),
  enabled,
  ...extra,
})

export function processMenu(p: ProcessInfo, ctx: MenuContext): MenuEntry[] {
  const actionable = actionBlocker(p) === undefined
  const act = (action: 'terminate' | 'kill' | 'suspend' | 'resume') =>
    item(action, ACTIONS[action].label, action, actionable, ACTIONS[action].destructive ? { destructive: true } : {})
  const entries: MenuEntry[] = [
    act('terminate'),
    act('kill'),
    act(suspendOrResume(p)),
    item('renice', ACTIONS.renice.label, undefined, actionable, {
      submenu: RENICE_LEVELS.map((level) =>
        item(`renice:${level}`, `${level > 0 ? '+' : ''}${level}${level === p.nice ? ' (current)' : ''}${level < 0 ? ' (higher priority)' : ''}`, 'renice', actionable && level !== p.nice, { value: level }),
      ),
    }),
  ]
  if (ctx.signals && ctx.signals.length > 0) {
    // Every signal of the platform, as htop offers them; each one asks first if it may end or stop the process.
    entries.push(
      item('signal', 'Send signal…', undefined, actionable, {
        submenu: ctx.signals.map((name) =>
          item(`signal:${name}`, `SIG${name}`, 'signal', actionable, { signal: name, ...(isDestructiveSignal(name) ? { destructive: true } : {}) }),
        ),
      }),
    )
  }
  const retry = ctx.lastError
  if (retry && retry.code === 'PERMISSION_DENIED' && retry.details?.elevationPossible === true) {
    entries.push({ separator: true }, item('retry-elevated', 'Retry as administrator', 'retry-elevated', true, { destructive: true }))
  }
  entries.push(
    { separator: true },
    item('copy-pid', 'Copy PID', 'copy-pid'),
    item('copy-command', 'Copy command line', 'copy-command'),
    { separator: true },
  )
  if (ctx.view === 'table') entries.push(item('show-in-tree', 'Show in tree', 'show-in-tree'))
  entries.push(item('filter-user', `Filter to user ${p.user}`, 'filter-user'))
  if (ctx.desktop) entries.push(item('reveal-executable', 'Reveal executable in file manager', 'reveal-executable', p.exe !== undefined))
  if (ctx.supervise !== false) {
    // Adopting stops the process and starts it again under Proctor: not for what takes no signals.
    entries.push({ separator: true }, item('supervise', 'Supervise this…', 'supervise', actionable))
  }
  // A token for the broker, bound to this process; nothing is done to the process itself.
  if (ctx.registerIpc !== false) {
    if (ctx.supervise === false) entries.push({ separator: true })
    entries.push(item('register-ipc', 'Register for IPC…', 'register-ipc', !p.kernelThread && p.state !== 'zombie'))
  }
  return entries
}

/** Finds an item by id, submenus included (a native menu reports the id of what was chosen). */
export function findMenuItem(entries: readonly MenuEntry[], id: string): MenuItem | undefined {
  for (const e of entries) {
    if ('separator' in e) continue
    if (e.id === id) return e
    const inner = e.submenu ? findMenuItem(e.submenu, id) : undefined
    if (inner) return inner
  }
  return undefined
}
