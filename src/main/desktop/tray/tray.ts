import { Menu, Notification, Tray, dialog, nativeImage, nativeTheme, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import type { ProctorApi, Unsubscribe, WindowRequest } from '../../../shared/contract'
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors'
import type { ProcessSnapshot } from '../../../shared/types/process'
import type { Caller } from '../../../shared/types/caller'
import type { Router } from '../../../shared/rpc/router'
import { createApi } from '../../../shared/rpc/client'
import { inProcessTransport } from '../../../shared/rpc/inProcess'
import { planTray, probeStatusNotifierHost } from './host'
import { renderTrayIcon, trayGraphCapacity, type TrayIconTheme } from './icon'
import { actionFailureNotice, actionRequest, buildTrayMenu, trayPrograms, type TrayPrograms, type TrayAction, type TrayActionCommand, type TrayCommand, type TrayMenuItem } from './menu'
import { confirmation, isDestructive, runAction, type ActionApi } from '../../../shared/process/actions'
import { encodePng } from './png'
import { trayTitle, trayTooltip, type TraySample } from './text'

/**
 * The tray icon: live CPU and memory bars, a tooltip, and a menu with the
 * busiest processes and their actions. Everything it shows is computed by
 * the pure builders in core/tray; this module only feeds them the engine's
 * streams and turns their output into Electron objects.
 *
 * Cost: the icon is redrawn only when a rounded value changes; the menu is
 * rebuilt on the process tick (once per refresh), only when its model
 * changed, and never while it is open.
 */

/** The parts of the engine the tray uses (Engine fits). */
export interface TrayEngine {
  readonly processes: { subscribe(listener: (snapshot: ProcessSnapshot) => void): Unsubscribe }
  readonly system: { subscribe(listener: (sample: TraySample) => void): Unsubscribe }
  /** The process actions, through the contract (the audit log names the tray as their caller). */
  readonly actions: ActionApi
  /** The supervisor's programs, through the contract (this engine's own, or the owner's it shows). */
  readonly programs?: Pick<ProctorApi, 'subscribeToPrograms' | 'startProgram'>
  /** Asks the window to show something (the add form for "Supervise this…"). */
  readonly requestWindow?: (request: WindowRequest) => void
}

/** How the audit log names the actions chosen in the tray's menu. */
export const TRAY_MENU_CALLER: Caller = { kind: 'desktop', detail: 'tray menu' }

/** The tray's view of an engine: its streams as they are, its actions through the contract. */
export function trayEngineOf(engine: {
  processes: { stream: TrayEngine['processes'] }
  system: { stream: TrayEngine['system'] }
  router: Router
  desktop?: { requestWindow(request: WindowRequest): void }
}): TrayEngine {
  const api = createApi(inProcessTransport(engine.router, TRAY_MENU_CALLER))
  const desktop = engine.desktop
  return {
    processes: engine.processes.stream,
    system: engine.system.stream,
    actions: api,
    programs: api,
    ...(desktop ? { requestWindow: (r: WindowRequest) => desktop.requestWindow(r) } : {}),
  }
}

/** The main window, as the tray sees it; `show` opens one if there is none. */
export interface TrayWindow {
  isVisible(): boolean
  show(): void
  hide(): void
}

export interface ProctorTrayOptions {
  engine: TrayEngine
  window: TrayWindow
  quit: () => void
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  /** Whether a StatusNotifier host is there (Linux); default: ask the session bus. */
  probeHost?: () => Promise<{ present: boolean; how: string }>
  /**
   * Asked before what ends or stops a process (the window asks the same); false cancels. Default: no question
   * (index.ts asks with a message box when settings ui.confirmDestructive is on).
   */
  confirm?: (command: TrayActionCommand) => Promise<boolean>
  /** 'bars' (default): CPU and memory bars; 'graph': a CPU graph beside the memory bar. */
  style?: 'bars' | 'graph'
  log?: (message: string) => void
}

export interface ProctorTray {
  readonly tray: Tray
  /**
   * Whether something shows the icon, as far as Proctor can tell: only then
   * may closing the window hide it. False on Linux until the host check says yes.
   */
  readonly visibleToUser: boolean
  /** Settles once the host check (if any) has answered. */
  readonly hostChecked: Promise<void>
  readonly paused: boolean
  /** The window was shown or hidden: the menu's Show/Hide follows. */
  windowChanged(): void
  /** Settles when no process action started from the menu is running. */
  idle(): Promise<void>
  dispose(): void
}

/** Icon sizes per platform: 1x and 2x of the panel's icon size. */
function iconSizes(platform: NodeJS.Platform): Array<{ size: number; scale: number }> {
  if (platform === 'darwin' || platform === 'win32') return [{ size: 16, scale: 1 }, { size: 32, scale: 2 }]
  return [{ size: 22, scale: 1 }, { size: 44, scale: 2 }]
}

/** Template on macOS; elsewhere from the OS theme, unless PROCTOR_TRAY_THEME=light|dark says which panel it is. */
function iconTheme(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): TrayIconTheme {
  if (platform === 'darwin') return 'template'
  const forced = env.PROCTOR_TRAY_THEME?.trim().toLowerCase()
  if (forced === 'light' || forced === 'dark') return forced
  const dark = platform === 'win32' ? nativeTheme.shouldUseDarkColorsForSystemIntegratedUI : nativeTheme.shouldUseDarkColors
  return dark ? 'dark' : 'light'
}

function toTemplate(items: readonly TrayMenuItem[], run: (command: TrayCommand) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' }
    const command = item.command
    return {
      label: item.label,
      enabled: item.enabled,
      ...(command ? { click: () => run(command) } : {}),
      ...(item.submenu ? { submenu: toTemplate(item.submenu, run) } : {}),
    }
  })
}

/**
 * A `confirm` for createProctorTray: while `wanted()` (settings
 * ui.confirmDestructive, as in the window), a message box asks before
 * an action that ends or stops a process, Cancel being the default.
 */
export function askBeforeDestructive(wanted: () => boolean): NonNullable<ProctorTrayOptions['confirm']> {
  return async (command) => {
    if (!wanted()) return true
    const question = confirmation(actionRequest(command))
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'Proctor',
      message: question.title,
      detail: question.body,
      buttons: [question.confirmLabel, 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    })
    return response === 0
  }
}

/**
 * Makes the tray icon, or returns undefined when there is to be none
 * (PROCTOR_TRAY=off) or the platform cannot make one: Proctor then simply
 * keeps its window.
 */
export function createProctorTray(options: ProctorTrayOptions): ProctorTray | undefined {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  const log = options.log ?? ((m: string) => console.error(m))
  const plan = planTray(platform, env)
  if (!plan.create) {
    log(`tray: none (${plan.reason})`)
    return undefined
  }
  const sizes = iconSizes(platform)
  const graph = options.style === 'graph'
  const historyCapacity = graph ? Math.max(...sizes.map((s) => trayGraphCapacity(s.size))) : 0

  let sample: TraySample | undefined
  let snapshot: ProcessSnapshot | undefined
  let programs: TrayPrograms | undefined
  const history: Array<number | null> = []
  let paused = false
  let visibleToUser = plan.hostPresent === true
  let disposed = false
  const busy: Array<{ pid: number; startTime: number; action: TrayAction }> = []
  const running = new Set<Promise<void>>()
  let stops: Unsubscribe[] = []
  /** What was handed to Electron last, so unchanged values cost nothing. */
  let iconKey = ''
  let lastTip: string | undefined
  let lastTitle: string | undefined
  const drawIcon = (): NativeImage => {
    const theme = iconTheme(platform, env)
    const cpu = sample?.cpu.total ?? null
    const memory = sample?.memory.percent ?? null
    const images = sizes.map(({ size, scale }) => ({
      scale,
      png: encodePng(renderTrayIcon({ cpu, memory, size, theme, paused, ...(graph ? { history } : {}) })),
    }))
    const [first, ...rest] = images
    const image = nativeImage.createFromBuffer(first!.png, { scaleFactor: first!.scale })
    for (const r of rest) image.addRepresentation({ scaleFactor: r.scale, buffer: r.png })
    if (theme === 'template') image.setTemplateImage(true)
    return image
  }
  const keyOf = (): string => {
    const round = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 'x' : Math.round(v))
    const theme = iconTheme(platform, env)
    return [theme, paused, round(sample?.cpu.total), round(sample?.memory.percent), graph ? history.map(round).join(',') : ''].join('|')
  }

  let tray: Tray
  try {
    iconKey = keyOf()
    tray = new Tray(drawIcon())
  } catch (err) {
    log(`tray: could not be created (${(err as Error).message}); the window stays the way back`)
    return undefined
  }

  const safely = (what: string, fn: () => void): void => {
    if (disposed || tray.isDestroyed()) return
    try {
      fn()
    } catch (err) {
      log(`tray: ${what} failed: ${(err as Error).message}`)
    }
  }

  const refreshIcon = (): void =>
    safely('updating the icon', () => {
      const key = keyOf()
      if (key !== iconKey) {
        iconKey = key
        tray.setImage(drawIcon())
      }
      const tip = trayTooltip(sample, { paused })
      if (tip !== lastTip) {
        lastTip = tip
        tray.setToolTip(tip)
      }
      if (platform === 'darwin') {
        const title = trayTitle(sample, { paused })
        if (title !== lastTitle) {
          lastTitle = title
          tray.setTitle(title, { fontType: 'monospacedDigit' })
        }
      }
    })

  let menuJson = ''
  let menuOpen = false
  let menuStale = false
  const refreshMenu = (): void =>
    safely('building the menu', () => {
      const model = buildTrayMenu({
        sample,
        processes: snapshot?.processes,
        windowVisible: options.window.isVisible(),
        paused,
        busy,
        ...(programs ? { programs } : {}),
      })
      const json = JSON.stringify(model)
      if (json === menuJson) return
      if (menuOpen) {
        // Replacing an open menu closes or reshuffles it under the pointer: wait until it closes.
        menuStale = true
        return
      }
      const menu = Menu.buildFromTemplate(toTemplate(model, run))
      menu.on('menu-will-show', () => (menuOpen = true))
      menu.on('menu-will-close', () => {
        menuOpen = false
        if (menuStale) {
          menuStale = false
          // After Electron has finished closing it.
          setImmediate(refreshMenu)
        }
      })
      tray.setContextMenu(menu)
      menuJson = json
    })

  /** A notification, and a log line (all there is where notifications are not supported). */
  const notify = (title: string, body: string): void => {
    log(`tray: ${title}: ${body}`)
    if (!Notification.isSupported()) return
    try {
      new Notification({ title, body }).show()
    } catch (err) {
      log(`tray: notification failed: ${(err as Error).message}`)
    }
  }

  /** A process command from the menu: confirmed if destructive, run by identity, failures notified. */
  const runProcess = async (command: TrayActionCommand): Promise<void> => {
    if (options.confirm && isDestructive(command)) {
      let go = false
      try {
        go = await options.confirm(command)
      } catch (err) {
        log(`tray: asking to confirm failed: ${(err as Error).message}`)
      }
      if (!go || disposed) return
    }
    const entry = { pid: command.pid, startTime: command.startTime, action: command.action }
    busy.push(entry)
    refreshMenu()
    const fail = (error: ErrorInfo) => {
      const notice = actionFailureNotice(command, error)
      notify(notice.title, notice.body)
    }
    try {
      const result = (await runAction(options.engine.actions, actionRequest(command))).results[0]
      if (!result) fail({ code: 'INTERNAL', message: 'the action returned no result' })
      else if (!result.ok) fail(result.error ?? { code: 'INTERNAL', message: 'the action failed without saying why' })
    } catch (err) {
      fail(toErrorInfo(err))
    } finally {
      busy.splice(busy.indexOf(entry), 1)
      refreshMenu()
    }
  }

  const subscribe = (): void => {
    stops = [
      options.engine.system.subscribe((s) => {
        sample = s
        if (graph) {
          history.push(s.cpu.total)
          if (history.length > historyCapacity) history.splice(0, history.length - historyCapacity)
        }
        refreshIcon()
      }),
      options.engine.processes.subscribe((s) => {
        snapshot = s
        refreshMenu()
      }),
    ]
  }
  // Programs are not monitoring: their count and a program giving up (fatal) stay in the menu while
  // monitoring is paused, until the tray goes. Without a supervisor (UNAVAILABLE) the menu has no programs.
  const watchPrograms = (): (() => void) =>
    options.engine.programs?.subscribeToPrograms(
      (o) => {
        const before = programs
        programs = trayPrograms(o.programs)
        // A program that has just given up is told loudly; those fatal before the tray looked are in the menu.
        if (before) {
          for (const f of programs.fatal) {
            if (!before.fatal.some((b) => b.name === f.name)) notify(`${f.name} keeps failing: Proctor stopped restarting it`, f.reason)
          }
        }
        refreshMenu()
      },
      () => {},
    ) ?? (() => {})
  let stopPrograms: () => void = () => {}

  const unsubscribe = (): void => {
    for (const stop of stops) stop()
    stops = []
  }

  function run(command: TrayCommand): void {
    switch (command.type) {
      case 'process': {
        const started = runProcess(command)
        running.add(started)
        void started.finally(() => running.delete(started))
        return
      }
      case 'show-window':
        return options.window.show()
      case 'hide-window':
        return options.window.hide()
      case 'pause-monitoring':
        if (paused) return
        paused = true
        unsubscribe()
        refreshIcon()
        return refreshMenu()
      case 'resume-monitoring':
        if (!paused) return
        paused = false
        sample = undefined
        snapshot = undefined
        history.length = 0
        subscribe()
        refreshIcon()
        return refreshMenu()
      case 'quit':
        return options.quit()
      case 'supervise':
        options.window.show()
        return options.engine.requestWindow?.({ kind: 'adopt', pid: command.pid, startTime: command.startTime, name: command.name })
      case 'start-program': {
        const started = (async () => {
          try {
            await options.engine.programs?.startProgram({ name: command.name })
          } catch (err) {
            const error = toErrorInfo(err)
            notify(`Could not start ${command.name}`, `${error.message} (${error.code})`)
          }
        })()
        running.add(started)
        void started.finally(() => running.delete(started))
        return
      }
    }
  }

  // The icon is the way back to the window where the platform sends clicks (Windows, most Linux hosts);
  // on macOS a click opens the menu.
  if (platform !== 'darwin') tray.on('click', () => options.window.show())
  const onTheme = () => refreshIcon()
  nativeTheme.on('updated', onTheme)

  refreshIcon()
  refreshMenu()
  subscribe()
  stopPrograms = watchPrograms()

  let hostChecked: Promise<void> = Promise.resolve()
  if (plan.hostPresent === undefined) {
    const probe = options.probeHost ?? (() => probeStatusNotifierHost({ env }))
    hostChecked = probe().then(
      (answer) => {
        visibleToUser = answer.present
        log(
          answer.present
            ? `tray: a StatusNotifier host is there (${answer.how})`
            : `tray: no StatusNotifier host found (${answer.how}); closing the window will quit instead of hiding it (PROCTOR_TRAY=on overrides)`,
        )
      },
      (err: unknown) => log(`tray: the host check failed (${(err as Error).message}); the window will not hide into the tray`),
    )
  }

  return {
    tray,
    get visibleToUser() {
      return visibleToUser && !disposed
    },
    hostChecked,
    get paused() {
      return paused
    },
    windowChanged: refreshMenu,
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running])
    },
    dispose() {
      if (disposed) return
      disposed = true
      unsubscribe()
      stopPrograms()
      nativeTheme.removeListener('updated', onTheme)
      if (!tray.isDestroyed()) tray.destroy()
    },
  }
}
