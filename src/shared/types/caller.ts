/**
 * Who made a call: recorded in the audit log with every process action and
 * settings change, so a log line says which window, command or browser
 * session acted. Each transport names its own callers; a caller cannot
 * choose what it is recorded as.
 */
export interface Caller {
  /**
   * desktop: the app's window (or its tray menu); cli: a `proctor` command;
   * browser: a session of the headless host; internal: the engine itself
   * or a test calling it in process.
   */
  kind: 'desktop' | 'cli' | 'browser' | 'internal'
  /** Which one: the tray menu, the CLI's pid and user, the browser's address and port. */
  detail?: string
}

export const INTERNAL_CALLER: Caller = { kind: 'internal' }

const KIND_NAMES: Record<Caller['kind'], string> = {
  desktop: 'desktop app',
  cli: 'command line',
  browser: 'browser session',
  internal: 'Proctor itself',
}

/** "browser session (127.0.0.1:51234)", "command line (pid 4242, user ada)". */
export function describeCaller(caller: Caller | undefined): string {
  if (!caller) return 'unknown (logged before callers were recorded)'
  const name = KIND_NAMES[caller.kind] ?? caller.kind
  return caller.detail ? `${name} (${caller.detail})` : name
}
