import type { MenuEntry } from '../../../shared/process/menu'
import { ProctorError } from '../../../shared/errors'
import { checkIdentity } from '../processes/identity'
import type { ProcessInspector } from '../processes/inspector'
import type { Service } from '../service'

/** What only the desktop app can do; the edge supplies it (src/main/desktop/nativeDesktop.ts). */
export interface NativeDesktop {
  /** Shows the menu natively; resolves the chosen item's id, or null when dismissed. */
  popupMenu(items: MenuEntry[], x: number, y: number): Promise<string | null>
  revealPath(path: string): void
}

type Calls = 'popupProcessMenu' | 'revealExecutable'

/**
 * The desktop app's own calls (native menus, the file manager). The edge
 * supplies the native part; the headless host has none, and these calls
 * then answer UNAVAILABLE, saying so.
 */
export class DesktopService implements Service<Calls> {
  readonly handlers: Service<Calls>['handlers'] = {
    popupProcessMenu: async ({ items, x, y }) => ({ id: await this.native('a native menu').popupMenu(items, x, y) }),
    revealExecutable: (args) => this.revealExecutable(args.pid, args.startTime),
  }
  readonly streams = {}

  constructor(
    private readonly desktop: NativeDesktop | undefined,
    private readonly inspector: ProcessInspector,
  ) {}

  private native(what: string): NativeDesktop {
    if (!this.desktop) throw new ProctorError('UNAVAILABLE', `${what} needs the desktop app; this is the headless host`)
    return this.desktop
  }

  private async revealExecutable(pid: number, startTime: number | undefined): Promise<null> {
    const desktop = this.native('revealing a file')
    const p = checkIdentity({ pid, startTime }, await this.inspector.inspect(pid))
    if (!p.exe) throw new ProctorError('PERMISSION_DENIED', `the executable of pid ${pid} (${p.name}) cannot be read`, { pid, elevationPossible: false })
    desktop.revealPath(p.exe)
    return null
  }
}
