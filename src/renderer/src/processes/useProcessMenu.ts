import { useCallback, useEffect, useState } from 'react'
import { findMenuItem, processMenu, type MenuContext, type MenuEntry, type MenuItem } from '../../../shared/process/menu'
import { isProcessAction } from '../../../shared/process/actions'
import type { ProcessInfo } from '../../../shared/types/process'
import { api } from '../api'
import { copyText } from '../clipboard'
import { browserMode } from '../hooks/useConnection'
import type { Toasts } from '../hooks/useToasts'
import { findProcess, type Changes } from './changes'
import { processKey } from './identity'
import { userQuery } from './quickFilters'
import type { ProcessActions } from './useProcessActions'
import type { View } from './useProcessRows'

/** The desktop app shows the right-click menu natively (Menu.popup); a browser, in the page. */
const nativeMenus = !browserMode

export interface MenuInputs {
  changes: Changes
  view: View
  actions: ProcessActions
  toasts: Toasts
  showInTree(p: ProcessInfo): void
  onSearch(text: string): void
  focusList(): void
  /** "Supervise this…": opens the Supervisor page's add form for it. */
  supervise(p: ProcessInfo): void
  /** Register for IPC…: the IPC page's register dialog, filled from this process. */
  registerIpc(p: ProcessInfo): void
}

export interface ProcessMenu {
  /** A menu is open in the page: the keys other than Escape are its own. */
  isOpen: boolean
  /** The menu open in the page (browser mode, or when the native one failed). */
  open: { process: ProcessInfo; entries: MenuEntry[]; x: number; y: number } | undefined
  /** A process's menu entries: the same for the right-click menu, the details' buttons and the keys. */
  entriesFor(p: ProcessInfo): MenuEntry[]
  run(item: MenuItem, p: ProcessInfo): void
  openAt(key: string, x: number, y: number): void
  close(): void
}

/** The right-click menu of a process: what it offers, where it shows, and what each item does. */
export function useProcessMenu({ changes, view, actions, toasts, showInTree, onSearch, focusList, supervise, registerIpc }: MenuInputs): ProcessMenu {
  const [menu, setMenu] = useState<{ key: string; x: number; y: number } | undefined>(undefined)
  const signals = useSignalNames()

  const entriesFor = useCallback(
    (p: ProcessInfo): MenuEntry[] => {
      const lastError = actions.lastErrors.get(processKey(p))
      const context: MenuContext = { desktop: !browserMode, view, signals, ...(lastError ? { lastError } : {}) }
      return processMenu(p, context)
    },
    [actions.lastErrors, view, signals],
  )

  const run = useCallback(
    (item: MenuItem, p: ProcessInfo) => {
      const action = item.action
      if (!action || !item.enabled) return
      if (isProcessAction(action)) {
        actions.request({ action, process: p, ...(item.value !== undefined ? { priority: item.value } : {}), ...(item.signal !== undefined ? { signal: item.signal } : {}) })
        return
      }
      switch (action) {
        case 'retry-elevated': {
          const last = actions.lastErrors.get(processKey(p))
          if (last && isProcessAction(last.action)) {
            actions.request({
              action: last.action,
              process: p,
              elevate: true,
              ...(last.value !== undefined ? { priority: last.value } : {}),
              ...(last.signal !== undefined ? { signal: last.signal } : {}),
            })
          }
          return
        }
        case 'copy-pid':
        case 'copy-command': {
          const [text, what] = action === 'copy-pid' ? [String(p.pid), `PID ${p.pid}`] : [p.command, `the command line of ${p.name} (PID ${p.pid})`]
          copyText(text).then(
            () => toasts.show({ tone: 'success', title: `Copied ${what}` }),
            (err: unknown) => toasts.show({ tone: 'error', title: `Could not copy ${what}`, hint: `${err instanceof Error ? err.message : String(err)}: select the text in the details and copy it.` }),
          )
          return
        }
        case 'show-in-tree':
          showInTree(p)
          return
        case 'filter-user':
          onSearch(userQuery(p.user))
          return
        case 'supervise':
          supervise(p)
          return
        case 'register-ipc':
          registerIpc(p)
          return
        case 'reveal-executable':
          api.revealExecutable({ pid: p.pid, startTime: p.startTime }).catch((err: unknown) =>
            toasts.show({ tone: 'error', title: `Could not show the executable of ${p.name}`, detail: err instanceof Error ? err.message : String(err) }),
          )
          return
      }
    },
    [actions, toasts, showInTree, onSearch, supervise, registerIpc],
  )

  const openAt = useCallback(
    (key: string, x: number, y: number) => {
      const p = findProcess(changes, key)
      if (!p) return
      if (nativeMenus) {
        const entries = entriesFor(p)
        api.popupProcessMenu({ items: entries, x: Math.max(0, Math.round(x)), y: Math.max(0, Math.round(y)) }).then(
          ({ id }) => {
            const item = id === null ? undefined : findMenuItem(entries, id)
            if (item) run(item, p)
          },
          () => setMenu({ key, x, y }),
        )
        return
      }
      setMenu({ key, x, y })
    },
    [changes, entriesFor, run],
  )

  const close = useCallback(() => {
    setMenu(undefined)
    focusList()
  }, [focusList])

  const process = menu ? findProcess(changes, menu.key) : undefined
  const open = menu && process ? { process, entries: entriesFor(process), x: menu.x, y: menu.y } : undefined
  return { isOpen: menu !== undefined, open, entriesFor, run, openAt, close }
}

/** The platform's signals, asked once: the "Send signal…" submenu lists them (none until they arrive). */
function useSignalNames(): readonly string[] {
  const [names, setNames] = useState<readonly string[]>([])
  useEffect(() => {
    let live = true
    api.getSignalNames().then(
      (list) => live && setNames(list),
      () => {}, // without the list the menu simply has no "Send signal…"
    )
    return () => {
      live = false
    }
  }, [])
  return names
}
