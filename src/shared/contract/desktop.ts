import { z } from 'zod'
import { MENU_ACTIONS, type MenuEntry } from '../process/menu'
import { call, identity, noArgs, stream } from './spec'

/** What only the desktop app can do; the headless host answers UNAVAILABLE. */

/** A context menu as data (src/shared/process/menu.ts), checked like any argument. */
const menuEntry: z.ZodType<MenuEntry> = z.lazy(() =>
  z.union([
    z.strictObject({ separator: z.literal(true) }),
    z.strictObject({
      id: z.string().min(1).max(100),
      label: z.string().max(200),
      action: z.enum(MENU_ACTIONS).optional(),
      value: z.number().optional(),
      signal: z.string().max(20).optional(),
      enabled: z.boolean(),
      destructive: z.boolean().optional(),
      submenu: z.array(menuEntry).max(50).optional(),
    }),
  ]),
)
const screenCoordinate = z.number().int().min(0).max(100_000)

export const desktopCalls = {
  popupProcessMenu: call<{ id: string | null }>()(
    z.strictObject({ items: z.array(menuEntry).min(1).max(50), x: screenCoordinate, y: screenCoordinate }),
    'Desktop app: show a context menu natively; answers the id of the item chosen, or null. UNAVAILABLE in a browser.',
  ),
  revealExecutable: call<null>()(identity, "Desktop app: show a process's executable in the file manager. UNAVAILABLE in a browser."),
} as const

/** What the desktop app asks its window to show: the add form for a process chosen in the tray ("Supervise this…"). */
export interface WindowRequest {
  kind: 'adopt'
  pid: number
  startTime: number
  name: string
}

export const desktopStreams = {
  subscribeToWindowRequests: stream<WindowRequest>()(noArgs, 'Desktop app: what the tray asks the window to show. Never sends anything in a browser.'),
} as const
