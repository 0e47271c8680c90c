import type { WindowRequest } from '../../../shared/contract'
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
  /** Opens http://localhost:PORT/ in the default browser. */
  openLocalPort(port: number): void
}

type Calls = 'popupProcessMenu' | 'revealExecutable' | 'openPortInBrowser'
type Streams = 'subscribeToWindowRequests'

/**
 * The desktop app's own calls (native menus, the file manager). The edge
 * supplies the native part; the headless host has none, and these calls
 * then answer UNAVAILABLE, saying so.
 */
export class DesktopService implements Service<Calls, Streams> {
  private readonly windows = new Set<(request: WindowRequest) => void>()

  readonly handlers: Service<Calls>['handlers'] = {
    popupProcessMenu: async ({ items, x, y }) => ({ id: await this.native('a native menu').popupMenu(items, x, y) }),
    revealExecutable: (args) => this.revealExecutable(args.pid, args.startTime),
    openPortInBrowser: ({ port }) => {
      this.native('opening a browser').openLocalPort(port)
      return null
    },
  }
  readonly streams: Service<never, Streams>['streams'] = {
    subscribeToWindowRequests: (_params, sink) => {
      const listener = (request: WindowRequest) => sink.next(request)
      this.windows.add(listener)
      return () => this.windows.delete(listener)
    },
  }

  /** The tray asks the window to show something; the windows subscribed get it (none in a browser: nothing asks). */
  requestWindow(request: WindowRequest): void {
    for (const listener of this.windows) listener(request)
  }

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
